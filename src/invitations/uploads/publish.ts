import { recordAudit } from "../../audit/record.ts";
import type { Context } from "../../context.ts";
import type { Queryable } from "../../db/database.ts";
import { enqueueMail } from "../../mail/outbox.ts";
import { newSecret, sha256 } from "../../secrets.ts";
import { insertSecrets, LIVE, lockOrganizationForInvites } from "../queries.ts";
import { invitationMail } from "../service.ts";
import type { UploadKey } from "./file.ts";
import type { UploadRow } from "./queries.ts";

/** The rows of one chunk: lines after `after`, up to and including `end`. */
const CHUNK_ROWS = `r.org_id = $1 and r.upload_id = $2 and r.line > $3 and r.line <= $4`;

export interface Chunk {
  after: number;
  end: number;
  rows: number;
}

/**
 * Refreshes the planner's statistics after a bulk load: without them it takes tables of
 * thousands of new rows for empty ones and scans them once per row.
 */
export async function analyzeUploadTables(q: Queryable): Promise<void> {
  await q.query(`analyze invitation_upload_rows`);
  await q.query(`analyze invitations`);
}

/** The next chunk of at most `limit` rows after line `after` (invited ones only if asked). */
export async function nextChunk(
  q: Queryable,
  key: UploadKey,
  after: number,
  limit: number,
  invitedOnly: boolean,
): Promise<Chunk | null> {
  const result = await q.query<{ end: number | null; rows: number }>(
    `select max(line)::int as end, count(*)::int as rows from (
       select line from invitation_upload_rows
        where org_id = $1 and upload_id = $2 and line > $3
          and (not $5::boolean or outcome = 'invited')
        order by line limit $4) c`,
    [key.orgId, key.uploadId, after, limit, invitedOnly],
  );
  const row = result.rows[0];

  return row?.end ? { after, end: row.end, rows: row.rows } : null;
}

/** Moves a progress mark on, only from where this worker found it: false if another moved it. */
async function advanceMark(
  tx: Queryable,
  key: UploadKey,
  mark: "published" | "mailed",
  chunk: Chunk,
): Promise<boolean> {
  const moved = await tx.query(
    `update invitation_uploads
        set ${mark}_through = $4, ${mark}_rows = ${mark}_rows + $5
      where org_id = $1 and upload_id = $2 and ${mark}_through = $3`,
    [key.orgId, key.uploadId, chunk.after, chunk.end, chunk.rows],
  );

  return moved.rowCount > 0;
}

/** Rows whose address became a member's, or got a pending invitation, since the dry run. */
async function reclassify(tx: Queryable, key: UploadKey, chunk: Chunk, now: Date) {
  const params = [key.orgId, key.uploadId, chunk.after, chunk.end];
  await tx.query(
    `update invitations i set status = 'expired'
      where i.org_id = $1 and i.status = 'pending' and i.expires_at <= $5
        and i.email_key in (select r.email_key from invitation_upload_rows r
                             where ${CHUNK_ROWS} and r.outcome = 'invited')`,
    [...params, now],
  );
  const members = await tx.query(
    `update invitation_upload_rows r set outcome = 'already_member', invitation_id = null
       from "user" u join members m on m.user_id = u.id and m.org_id = $1
      where ${CHUNK_ROWS} and r.outcome = 'invited' and u.email = r.email_key`,
    params,
  );
  const invited = await tx.query(
    `update invitation_upload_rows r set outcome = 'already_invited', invitation_id = i.invitation_id
       from invitations i
      where ${CHUNK_ROWS} and r.outcome = 'invited'
        and i.org_id = $1 and i.email_key = r.email_key and i.status = 'pending' and ${LIVE}`,
    params,
  );

  return { members: members.rowCount, invited: invited.rowCount };
}

/** Inserts the chunk's invitations, still hidden; answers how many a racing invite beat. */
async function insertChunk(tx: Queryable, ctx: Context, upload: UploadRow, chunk: Chunk) {
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.invitationLifetimeMs);
  const params = [upload.orgId, upload.uploadId, chunk.after, chunk.end];
  const candidates = await tx.query<{ count: number }>(
    `select count(*)::int as count from invitation_upload_rows r
      where ${CHUNK_ROWS} and r.outcome = 'invited'`,
    params,
  );
  const inserted = await tx.query(
    `insert into invitations (org_id, invitation_id, email, email_key, name, role, seat_product,
                              expires_at, invited_by, created_at, sent_at, upload_id)
     select r.org_id, r.invitation_id, r.email, r.email_key, r.name, r.role, r.seat_product,
            $5, $6, $7, $7, r.upload_id
       from invitation_upload_rows r
      where ${CHUNK_ROWS} and r.outcome = 'invited'
      order by r.line
     on conflict (org_id, email_key) where status = 'pending' do nothing`,
    [...params, expiresAt, upload.commitRequestedBy ?? upload.createdBy, now],
  );

  const beaten = (candidates.rows[0]?.count ?? 0) - inserted.rowCount;
  if (beaten > 0) {
    // Another upload, not yet published, holds these addresses.
    await tx.query(
      `update invitation_upload_rows r set outcome = 'already_invited', invitation_id = null
        where ${CHUNK_ROWS} and r.outcome = 'invited'
          and not exists (select 1 from invitations i
                           where i.org_id = r.org_id and i.invitation_id = r.invitation_id)`,
      params,
    );
  }

  return beaten;
}

/**
 * Publishes one chunk's invitations in one transaction, hidden until the whole upload is
 * published: first looks again at members and pending invitations, since they may have
 * changed since the dry run. Answers false if another worker did this chunk.
 */
export async function publishChunk(ctx: Context, upload: UploadRow, chunk: Chunk) {
  return ctx.db.transaction(async (tx) => {
    const inviter = upload.commitRequestedBy ?? upload.createdBy ?? "";
    await lockOrganizationForInvites(tx, upload.orgId, inviter);
    if (!(await advanceMark(tx, upload, "published", chunk))) return false;

    const now = ctx.clock.now();
    const found = await reclassify(tx, upload, chunk, now);
    const beaten = await insertChunk(tx, ctx, upload, chunk);
    await tx.query(
      `update invitation_uploads
          set invited = invited - $3::int, already_member = already_member + $4::int,
              already_invited = already_invited + $5::int
        where org_id = $1 and upload_id = $2`,
      [
        upload.orgId,
        upload.uploadId,
        found.members + found.invited + beaten,
        found.members,
        found.invited + beaten,
      ],
    );

    return true;
  });
}

/** Makes every invitation of the upload visible at once, with one audit record for it. */
export async function publishUpload(ctx: Context, key: UploadKey): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const result = await tx.query<{ actor: string | null; invited: number; rows: number }>(
      `update invitation_uploads
          set status = 'committed', published_at = $3
        where org_id = $1 and upload_id = $2 and status = 'committing'
        returning coalesce(commit_requested_by, created_by) as actor, invited,
                  total_rows as rows`,
      [key.orgId, key.uploadId, now],
    );
    const published = result.rows[0];
    if (!published) return;

    await recordAudit(tx, [
      {
        orgId: key.orgId,
        actorId: published.actor,
        action: "invitation.uploaded",
        targetType: "invitation_upload",
        targetId: key.uploadId,
        details: { invited: published.invited, rows: published.rows },
      },
    ]);
  });
}

/** Puts one chunk's invitation mails in the outbox, with new link secrets. */
export async function mailChunk(ctx: Context, upload: UploadRow, chunk: Chunk) {
  return ctx.db.transaction(async (tx) => {
    const inviter = upload.commitRequestedBy ?? upload.createdBy ?? "";
    const names = await lockOrganizationForInvites(tx, upload.orgId, inviter);
    if (!names || !(await advanceMark(tx, upload, "mailed", chunk))) return false;

    const result = await tx.query<{
      invitationId: string;
      email: string;
      key: string;
      name: string | null;
      expiresAt: Date;
    }>(
      `select i.invitation_id as "invitationId", i.email, i.email_key as key, i.name,
              i.expires_at as "expiresAt"
         from invitation_upload_rows r
         join invitations i on i.org_id = r.org_id and i.invitation_id = r.invitation_id
        where ${CHUNK_ROWS} and r.outcome = 'invited' and i.status = 'pending'`,
      [upload.orgId, upload.uploadId, chunk.after, chunk.end],
    );

    const invitations = result.rows;
    const secrets = invitations.map(() => newSecret());
    await insertSecrets(
      tx,
      upload.orgId,
      invitations.map((row, i) => ({
        invitationId: row.invitationId,
        hash: sha256(secrets[i] as string),
      })),
    );
    await enqueueMail(
      tx,
      ctx.sealer,
      invitations.map((row, i) =>
        invitationMail(ctx, {
          bulk: true,
          to: row.key,
          email: row.email,
          name: row.name ?? undefined,
          inviter: names.inviter,
          organization: names.organization,
          expiresAt: row.expiresAt,
          secret: secrets[i] as string,
        }),
      ),
    );

    return true;
  });
}
