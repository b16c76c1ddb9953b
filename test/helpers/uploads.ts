import { readFileSync } from "node:fs";
import path from "node:path";
import type { Answer, Client } from "./client.ts";
import type { TestServer } from "./server.ts";

/** The real-world input files, byte for byte (see test/cases/INDEX.md). */
export function caseFile(name: string): Buffer {
  return readFileSync(path.join(import.meta.dirname, "..", "cases", name));
}

export interface UploadOptions {
  column?: string;
  role?: string;
  seatProduct?: string;
  commit?: boolean;
  filename?: string;
  contentType?: string;
}

/** Sends a file to uploadInvitationsCsv as a browser's fetch would: the bytes as the body. */
export function uploadFile(
  client: Client,
  orgId: string,
  bytes: Uint8Array | string,
  options: UploadOptions = {},
): Promise<Answer> {
  const query = new URLSearchParams();
  for (const name of ["column", "role", "seatProduct", "filename"] as const) {
    const value = options[name];
    if (value !== undefined) query.set(name, value);
  }
  if (options.commit) query.set("commit", "true");

  return client.request(
    "POST",
    `/api/v1/organizations/${orgId}/invitation-uploads?${query.toString()}`,
    typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes,
    { "content-type": options.contentType ?? "text/csv" },
  );
}

/** Every row result of an upload, following the pages. */
export async function uploadRows(client: Client, orgId: string, uploadId: string) {
  const rows: any[] = [];
  for (let after = 0; ;) {
    const page = await client.get(
      `/api/v1/organizations/${orgId}/invitation-uploads/${uploadId}/rows?limit=500&after=${after}`,
    );
    if (page.status !== 200) throw new Error(`rows: ${page.status} ${JSON.stringify(page.body)}`);
    rows.push(...page.body.rows);
    if (page.body.nextAfter === null) return rows;
    after = page.body.nextAfter;
  }
}

/** getInvitationUpload: the upload's state as the API shows it. */
export async function uploadState(client: Client, orgId: string, uploadId: string) {
  const answer = await client.get(`/api/v1/organizations/${orgId}/invitation-uploads/${uploadId}`);
  if (answer.status !== 200)
    throw new Error(`upload: ${answer.status} ${JSON.stringify(answer.body)}`);

  return answer.body.upload;
}

export function commitUpload(client: Client, orgId: string, uploadId: string): Promise<Answer> {
  return client.post(`/api/v1/organizations/${orgId}/invitation-uploads/${uploadId}/commit`);
}

/** Invitation mails in the outbox (sent or not) from one organization. */
export async function invitationMailCount(server: TestServer, orgId: string): Promise<number> {
  const result = await server.tessera.ctx.db.query<{ count: number }>(
    `select count(*)::int as count from jobs
      where kind = 'mail.send' and payload->>'template' = 'invitation'
        and payload->'params'->>'organization' = $1`,
    [`Organization ${orgId}`],
  );

  return result.rows[0]?.count ?? 0;
}

/** The organization's live pending invitations, by address key. */
export async function pendingKeys(server: TestServer, orgId: string): Promise<string[]> {
  const result = await server.tessera.ctx.db.query<{ key: string }>(
    `select email_key as key from invitations i
      where org_id = $1 and status = 'pending'
        and not exists (select 1 from invitation_uploads x where x.org_id = i.org_id
                          and x.upload_id = i.upload_id and x.published_at is null)
      order by email_key`,
    [orgId],
  );

  return result.rows.map((row) => row.key);
}

/**
 * Drops the organization's queued invitation mails, once a test has counted them: thousands of
 * them would otherwise go out over SMTP the next time any test delivers its own mail.
 */
export async function discardInvitationMails(server: TestServer, orgId: string): Promise<void> {
  await server.tessera.ctx.db.query(
    `delete from jobs
      where kind = 'mail.send' and status = 'queued' and payload->>'template' = 'invitation'
        and payload->'params'->>'organization' = $1`,
    [`Organization ${orgId}`],
  );
}
