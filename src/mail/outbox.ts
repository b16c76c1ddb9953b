import type { Queryable } from "../db/database.ts";
import type { Sealer } from "./sealing.ts";
import type { TemplateName } from "./templates/index.ts";

/**
 * Account mail goes before everything else; invitations sent by list go before those of a CSV
 * upload, so one organization's upload of thousands never holds up another's few.
 */
export const MAIL_PRIORITY = { account: 10, member: 50, invitation: 90, upload: 95 } as const;

export interface OutgoingMail {
  template: TemplateName;
  to: string;
  /** Plain parameters for the template: names, organization, product. */
  params: Record<string, string>;
  /** Links and tokens: sealed in the row and erased once delivered. */
  secrets?: Record<string, string>;
  priority: number;
}

export const MAIL_JOB = "mail.send";

/** The payload a mail job carries. */
export interface MailPayload {
  template: TemplateName;
  to: string;
  params: Record<string, string>;
  sealed?: string;
}

/**
 * Writes mail to the outbox in the caller's transaction, so it leaves if and only if the change
 * that caused it commits. Many rows go in one statement.
 */
export async function enqueueMail(
  tx: Queryable,
  sealer: Sealer,
  mails: readonly OutgoingMail[],
): Promise<void> {
  if (mails.length === 0) return;

  const payloads = mails.map((mail) => {
    const payload: MailPayload = { template: mail.template, to: mail.to, params: mail.params };
    if (mail.secrets) payload.sealed = sealer.seal(mail.secrets);
    return JSON.stringify(payload);
  });

  await tx.query(
    `insert into jobs (kind, payload, priority)
     select $1, payload::jsonb, priority
       from unnest($2::text[], $3::int[]) as mail(payload, priority)`,
    [MAIL_JOB, payloads, mails.map((mail) => mail.priority)],
  );
}

/** How many mails of one priority wait in the outbox. */
export async function queuedMails(db: Queryable, priority: number): Promise<number> {
  const result = await db.query<{ count: number }>(
    `select count(*)::int as count from jobs
      where kind = $1 and status = 'queued' and priority = $2`,
    [MAIL_JOB, priority],
  );

  return result.rows[0]?.count ?? 0;
}
