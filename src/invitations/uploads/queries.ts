import type { Queryable } from "../../db/database.ts";
import type { CsvInspection } from "../csv/reader.ts";
import type { InvitationRole } from "../queries.ts";
import type { UploadKey } from "./file.ts";
import type { RowOutcome, StagedRow } from "./rows.ts";

export type UploadStatus =
  "receiving" | "reading" | "ready" | "committing" | "committed" | "failed";

export interface UploadCounts {
  invited: number;
  alreadyMember: number;
  alreadyInvited: number;
  duplicate: number;
  invalid: number;
  skipped: number;
}

/** An upload row as the service reads it. */
export interface UploadRow extends UploadCounts {
  orgId: string;
  uploadId: string;
  createdBy: string | null;
  filename: string | null;
  byteSize: number;
  status: UploadStatus;
  role: InvitationRole;
  seatProduct: string | null;
  mayGrantBillingAdmin: boolean;
  columnChoice: string | null;
  layout: CsvInspection | null;
  totalRows: number;
  readRows: number;
  publishedThrough: number;
  publishedRows: number;
  mailedThrough: number;
  mailedRows: number;
  commitRequestedBy: string | null;
  errorCode: string | null;
  createdAt: Date;
  commitRequestedAt: Date | null;
  publishedAt: Date | null;
  finishedAt: Date | null;
}

const COLUMNS = `org_id as "orgId", upload_id as "uploadId", created_by as "createdBy", filename,
  byte_size as "byteSize", status, role, seat_product as "seatProduct",
  may_grant_billing_admin as "mayGrantBillingAdmin", column_choice as "columnChoice", layout, total_rows as "totalRows", read_rows as "readRows",
  published_through as "publishedThrough", published_rows as "publishedRows",
  mailed_through as "mailedThrough", mailed_rows as "mailedRows",
  commit_requested_by as "commitRequestedBy", invited, already_member as "alreadyMember",
  already_invited as "alreadyInvited", duplicate, invalid, skipped, error_code as "errorCode",
  created_at as "createdAt", commit_requested_at as "commitRequestedAt",
  published_at as "publishedAt", finished_at as "finishedAt"`;

/** The count column each outcome adds to. */
export const COUNT_COLUMN: Record<RowOutcome, string> = {
  invited: "invited",
  already_member: "already_member",
  already_invited: "already_invited",
  duplicate: "duplicate",
  invalid: "invalid",
  skipped: "skipped",
};

export interface NewUpload {
  orgId: string;
  createdBy: string;
  filename: string | null;
  role: InvitationRole;
  seatProduct: string | null;
  mayGrantBillingAdmin: boolean;
  columnChoice: string | null;
  now: Date;
}

export async function insertUpload(tx: Queryable, upload: NewUpload): Promise<string> {
  const result = await tx.query<{ uploadId: string }>(
    `insert into invitation_uploads
       (org_id, created_by, filename, role, seat_product, column_choice, created_at,
        may_grant_billing_admin)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     returning upload_id as "uploadId"`,
    [
      upload.orgId,
      upload.createdBy,
      upload.filename,
      upload.role,
      upload.seatProduct,
      upload.columnChoice,
      upload.now,
      upload.mayGrantBillingAdmin,
    ],
  );

  return result.rows[0]?.uploadId as string;
}

/** Uploads the organization started since `since`, and when the first of them was. */
export async function uploadsSince(q: Queryable, orgId: string, since: Date) {
  const result = await q.query<{ count: number; first: Date | null }>(
    `select count(*)::int as count, min(created_at) as first from invitation_uploads
      where org_id = $1 and created_at > $2`,
    [orgId, since],
  );

  return result.rows[0] ?? { count: 0, first: null };
}

export async function findUpload(q: Queryable, key: UploadKey): Promise<UploadRow | null> {
  const result = await q.query<UploadRow>(
    `select ${COLUMNS} from invitation_uploads where org_id = $1 and upload_id = $2`,
    [key.orgId, key.uploadId],
  );

  return result.rows[0] ?? null;
}

/** The organization's latest uploads, newest first (not those still arriving). */
export async function listUploads(q: Queryable, orgId: string, limit: number) {
  const result = await q.query<UploadRow>(
    `select ${COLUMNS} from invitation_uploads
      where org_id = $1 and status <> 'receiving'
      order by created_at desc, upload_id desc
      limit $2`,
    [orgId, limit],
  );

  return result.rows;
}

/** The upload, locked for the rest of the transaction. */
export async function lockUpload(tx: Queryable, key: UploadKey): Promise<UploadRow | null> {
  const result = await tx.query<UploadRow>(
    `select ${COLUMNS} from invitation_uploads where org_id = $1 and upload_id = $2 for update`,
    [key.orgId, key.uploadId],
  );

  return result.rows[0] ?? null;
}

export async function deleteUpload(q: Queryable, key: UploadKey): Promise<void> {
  await q.query(`delete from invitation_uploads where org_id = $1 and upload_id = $2`, [
    key.orgId,
    key.uploadId,
  ]);
}

/** The file is stored and read: from now on its rows are counted. */
export async function markReceived(
  q: Queryable,
  key: UploadKey,
  file: { byteSize: number; layout: CsvInspection },
): Promise<void> {
  await q.query(
    `update invitation_uploads
        set status = 'reading', byte_size = $3, layout = $4::jsonb, total_rows = $5
      where org_id = $1 and upload_id = $2`,
    [key.orgId, key.uploadId, file.byteSize, JSON.stringify(file.layout), file.layout.records],
  );
}

/** Adds a chunk's outcomes to the counts, counting `delta` more rows as read. */
function countUpdates(counts: Partial<Record<RowOutcome, number>>, first: number): string {
  return Object.entries(counts)
    .filter(([, n]) => n !== 0)
    .map(([outcome], i) => {
      const column = COUNT_COLUMN[outcome as RowOutcome];
      return `${column} = ${column} + $${first + i}::int`;
    })
    .join(", ");
}

function countValues(counts: Partial<Record<RowOutcome, number>>): number[] {
  return Object.values(counts).filter((n): n is number => n !== undefined && n !== 0);
}

/**
 * Stores a chunk of read rows and moves the read count on, only if nobody else moved it since
 * `readBefore` (so two workers never store one chunk twice). Answers whether it was stored.
 */
export async function storeRows(
  tx: Queryable,
  key: UploadKey,
  readBefore: number,
  rows: readonly StagedRow[],
): Promise<boolean> {
  const counts: Partial<Record<RowOutcome, number>> = {};
  for (const row of rows) counts[row.outcome] = (counts[row.outcome] ?? 0) + 1;

  const sets = countUpdates(counts, 5);
  const moved = await tx.query(
    `update invitation_uploads set read_rows = read_rows + $4::int${sets ? ", " + sets : ""}
      where org_id = $1 and upload_id = $2 and read_rows = $3 and status = 'reading'`,
    [key.orgId, key.uploadId, readBefore, rows.length, ...countValues(counts)],
  );
  if (moved.rowCount === 0) return false;

  await tx.query(
    `insert into invitation_upload_rows (org_id, upload_id, line, input, email, email_key, name,
                                         role, seat_product, outcome, reason, duplicate_of,
                                         invitation_id)
     select $1, $2, r.*
       from unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::int[], $13::uuid[]) as r`,
    [
      key.orgId,
      key.uploadId,
      rows.map((r) => r.line),
      rows.map((r) => r.input),
      rows.map((r) => r.email),
      rows.map((r) => r.key),
      rows.map((r) => r.name),
      rows.map((r) => r.role),
      rows.map((r) => r.seatProduct),
      rows.map((r) => r.outcome),
      rows.map((r) => r.reason),
      rows.map((r) => r.duplicateOf),
      rows.map((r) => r.invitationId),
    ],
  );

  return true;
}

/** The first line each key was seen on in rows already stored. */
export async function firstLines(
  q: Queryable,
  key: UploadKey,
  keys: readonly string[],
): Promise<Map<string, number>> {
  const result = await q.query<{ key: string; line: number }>(
    `select email_key as key, min(line)::int as line from invitation_upload_rows
      where org_id = $1 and upload_id = $2 and email_key = any($3::text[])
      group by email_key`,
    [key.orgId, key.uploadId, keys],
  );

  return new Map(result.rows.map((row) => [row.key, row.line]));
}

export async function setStatus(
  q: Queryable,
  key: UploadKey,
  status: UploadStatus,
  extra: { errorCode?: string; finished?: Date } = {},
): Promise<void> {
  await q.query(
    `update invitation_uploads
        set status = $3, error_code = coalesce($4, error_code),
            finished_at = coalesce($5, finished_at)
      where org_id = $1 and upload_id = $2`,
    [key.orgId, key.uploadId, status, extra.errorCode ?? null, extra.finished ?? null],
  );
}

export async function requestCommit(
  tx: Queryable,
  key: UploadKey,
  by: string,
  now: Date,
  status: UploadStatus,
): Promise<void> {
  await tx.query(
    `update invitation_uploads
        set commit_requested_by = $3, commit_requested_at = $4, status = $5
      where org_id = $1 and upload_id = $2`,
    [key.orgId, key.uploadId, by, now, status],
  );
}

export interface RowPage {
  outcome?: RowOutcome | "problems" | undefined;
  afterLine: number;
  limit: number;
}

/** A page of an upload's row results in line order, optionally of one outcome. */
export async function listRows(q: Queryable, key: UploadKey, page: RowPage) {
  const result = await q.query<StagedRow>(
    `select line, input, email, email_key as key, name, role, seat_product as "seatProduct",
            outcome, reason, duplicate_of as "duplicateOf", invitation_id as "invitationId"
       from invitation_upload_rows
      where org_id = $1 and upload_id = $2 and line > $3
        and case $4::text
              when 'all' then true
              when 'problems' then outcome in ('invalid', 'duplicate')
              else outcome = $4::text
            end
      order by line
      limit $5`,
    [key.orgId, key.uploadId, page.afterLine, page.outcome ?? "all", page.limit],
  );

  return result.rows;
}
