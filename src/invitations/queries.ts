import type { Queryable } from "../db/database.ts";

export type InvitationRole = "member" | "account_admin" | "billing_admin";
export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

/** An invitation row as the service reads it. */
export interface InvitationRow {
  orgId: string;
  invitationId: string;
  email: string;
  emailKey: string;
  name: string | null;
  role: InvitationRole;
  seatProduct: string | null;
  status: InvitationStatus;
  expiresAt: Date;
  invitedBy: string | null;
  invitedByName: string | null;
  createdAt: Date;
  sentAt: Date;
}

/**
 * Invitations an upload made stay hidden until the upload is published, so a commit written
 * in chunks appears all at once. Every read of invitations by address or by page uses this.
 */
export const LIVE = `not exists (
  select 1 from invitation_uploads x
   where x.org_id = i.org_id and x.upload_id = i.upload_id and x.published_at is null)`;

const COLUMNS = `i.org_id as "orgId", i.invitation_id as "invitationId", i.email,
  i.email_key as "emailKey", i.name, i.role, i.seat_product as "seatProduct", i.status,
  i.expires_at as "expiresAt", i.invited_by as "invitedBy", u.name as "invitedByName",
  i.created_at as "createdAt", i.sent_at as "sentAt"`;

/** The organization's name and the acting user's, locking the organization against other
 * invitation batches (not against foreign-key checks) so the hourly count stays true. */
export async function lockOrganizationForInvites(
  tx: Queryable,
  orgId: string,
  userId: string,
): Promise<{ organization: string; inviter: string } | null> {
  const result = await tx.query<{ organization: string; inviter: string | null }>(
    `select o.name as organization, u.name as inviter
       from organizations o left join "user" u on u.id = $2
      where o.org_id = $1
        for no key update of o`,
    [orgId, userId],
  );
  const row = result.rows[0];

  return row ? { organization: row.organization, inviter: row.inviter ?? "" } : null;
}

/** Marks pending invitations past their expiry as expired, for the given keys. */
export async function expirePending(
  tx: Queryable,
  orgId: string,
  keys: readonly string[],
  now: Date,
): Promise<void> {
  await tx.query(
    `update invitations set status = 'expired'
      where org_id = $1 and email_key = any($2::text[]) and status = 'pending'
        and expires_at <= $3`,
    [orgId, keys, now],
  );
}

export interface KeyState {
  key: string;
  state: "member" | "invited";
  invitationId: string | null;
}

/** Which of the keys belong to members, and which have a pending invitation: one query. */
export async function classifyKeys(
  tx: Queryable,
  orgId: string,
  keys: readonly string[],
): Promise<KeyState[]> {
  const result = await tx.query<KeyState>(
    `select u.email as key, 'member' as state, null::uuid as "invitationId"
       from "user" u join members m on m.user_id = u.id and m.org_id = $1
      where u.email = any($2::text[])
     union all
     select i.email_key, 'invited', i.invitation_id
       from invitations i
      where i.org_id = $1 and i.email_key = any($2::text[]) and i.status = 'pending'
        and ${LIVE}`,
    [orgId, keys],
  );

  return result.rows;
}

/** How many invitations one person sent since `since`, in every organization. */
export async function countSentBySince(tx: Queryable, inviterId: string, since: Date) {
  const result = await tx.query<{ count: number }>(
    `select count(*)::int as count from invitations
      where invited_by = $1 and created_at > $2 and upload_id is null`,
    [inviterId, since],
  );

  return result.rows[0]?.count ?? 0;
}

/** How many invitations the organization created since `since`. */
export async function countCreatedSince(tx: Queryable, orgId: string, since: Date) {
  const result = await tx.query<{ count: number }>(
    `select count(*)::int as count from invitations
      where org_id = $1 and created_at > $2 and upload_id is null`,
    [orgId, since],
  );

  return result.rows[0]?.count ?? 0;
}

export interface NewInvitations {
  orgId: string;
  inviterId: string;
  role: InvitationRole;
  seatProduct: string | null;
  now: Date;
  expiresAt: Date;
  emails: string[];
  keys: string[];
  names: Array<string | null>;
}

/** Inserts invitations in one statement; keys that already have a pending one are skipped. */
export async function insertInvitations(
  tx: Queryable,
  input: NewInvitations,
): Promise<Array<{ invitationId: string; key: string }>> {
  const result = await tx.query<{ invitationId: string; key: string }>(
    `insert into invitations (org_id, email, email_key, name, role, seat_product, expires_at,
                              invited_by, created_at, sent_at)
     select $1, e.email, e.key, e.name, $2, $3, $4, $5, $6, $6
       from unnest($7::text[], $8::text[], $9::text[]) with ordinality as e(email, key, name, n)
      order by e.n
     on conflict (org_id, email_key) where status = 'pending' do nothing
     returning invitation_id as "invitationId", email_key as key`,
    [
      input.orgId,
      input.role,
      input.seatProduct,
      input.expiresAt,
      input.inviterId,
      input.now,
      input.emails,
      input.keys,
      input.names,
    ],
  );

  return result.rows;
}

/** Stores the hashes of link secrets, many in one statement. */
export async function insertSecrets(
  tx: Queryable,
  orgId: string,
  rows: ReadonlyArray<{ invitationId: string; hash: Buffer }>,
): Promise<void> {
  if (rows.length === 0) return;

  await tx.query(
    `insert into invitation_secrets (secret_hash, org_id, invitation_id)
     select decode(s.hash, 'hex'), $1, s.id
       from unnest($2::text[], $3::uuid[]) as s(hash, id)`,
    [orgId, rows.map((r) => r.hash.toString("hex")), rows.map((r) => r.invitationId)],
  );
}

/** One invitation, locked for the rest of the transaction. */
export async function lockInvitation(
  tx: Queryable,
  orgId: string,
  invitationId: string,
): Promise<InvitationRow | null> {
  const result = await tx.query<InvitationRow>(
    `select ${COLUMNS}
       from invitations i left join "user" u on u.id = i.invited_by
      where i.org_id = $1 and i.invitation_id = $2 and ${LIVE}
        for update of i`,
    [orgId, invitationId],
  );

  return result.rows[0] ?? null;
}

/** Whether another invitation for the same address is pending. */
export async function otherPendingExists(tx: Queryable, row: InvitationRow): Promise<boolean> {
  const result = await tx.query(
    `select 1 from invitations i
      where i.org_id = $1 and i.email_key = $2 and i.status = 'pending'
        and i.invitation_id <> $3 and ${LIVE}`,
    [row.orgId, row.emailKey, row.invitationId],
  );

  return result.rowCount > 0;
}

/** Replaces an invitation's link secret and expiry, making it pending again. */
export async function renewInvitation(
  tx: Queryable,
  row: InvitationRow,
  hash: Buffer,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await tx.query(`delete from invitation_secrets where org_id = $1 and invitation_id = $2`, [
    row.orgId,
    row.invitationId,
  ]);
  await insertSecrets(tx, row.orgId, [{ invitationId: row.invitationId, hash }]);
  await tx.query(
    `update invitations set status = 'pending', expires_at = $3, sent_at = $4
      where org_id = $1 and invitation_id = $2`,
    [row.orgId, row.invitationId, expiresAt, now],
  );
}

/** Marks an invitation revoked; its secret row stays so the link can say so. */
export async function markRevoked(tx: Queryable, row: InvitationRow, now: Date): Promise<void> {
  await tx.query(
    `update invitations set status = 'revoked', revoked_at = $3
      where org_id = $1 and invitation_id = $2`,
    [row.orgId, row.invitationId, now],
  );
}

/** Marks an invitation accepted by a user. */
export async function markAccepted(
  tx: Queryable,
  row: InvitationRow,
  userId: string,
  now: Date,
): Promise<void> {
  await tx.query(
    `update invitations set status = 'accepted', accepted_at = $3, accepted_by = $4
      where org_id = $1 and invitation_id = $2`,
    [row.orgId, row.invitationId, now, userId],
  );
}

export interface ListFilter {
  orgId: string;
  status: InvitationStatus | "all";
  now: Date;
  after: { createdAt: Date; invitationId: string } | null;
  limit: number;
}

/** A page of invitations, newest first; `status` treats pending ones past expiry as expired. */
export async function listInvitationRows(q: Queryable, filter: ListFilter) {
  const result = await q.query<InvitationRow>(
    `select ${COLUMNS}
       from invitations i left join "user" u on u.id = i.invited_by
      where i.org_id = $1 and ${LIVE}
        and case $2::text
              when 'all' then true
              when 'pending' then i.status = 'pending' and i.expires_at > $3
              when 'expired' then i.status = 'expired'
                or (i.status = 'pending' and i.expires_at <= $3)
              else i.status = $2::text
            end
        and ($4::timestamptz is null or (i.created_at, i.invitation_id) < ($4, $5::uuid))
      order by i.created_at desc, i.invitation_id desc
      limit $6`,
    [
      filter.orgId,
      filter.status,
      filter.now,
      filter.after?.createdAt ?? null,
      filter.after?.invitationId ?? null,
      filter.limit,
    ],
  );

  return result.rows;
}

/** What a link's landing page shows: the organization, the inviter's name. */
export async function findLinkDetails(q: Queryable, orgId: string, invitationId: string) {
  const result = await q.query<{ name: string; inviter: string | null }>(
    `select o.name, u.name as inviter
       from invitations i
       join organizations o on o.org_id = i.org_id
       left join "user" u on u.id = i.invited_by
      where i.org_id = $1 and i.invitation_id = $2`,
    [orgId, invitationId],
  );

  return result.rows[0] ?? null;
}

/** Adds a member with the invitation's role; nothing changes for someone already a member. */
export async function addInvitedMember(
  tx: Queryable,
  orgId: string,
  userId: string,
  role: InvitationRole,
  now: Date,
): Promise<void> {
  await tx.query(
    `insert into members (org_id, user_id, is_account_admin, is_billing_admin, joined_at)
     values ($1, $2, $3, $4, $5)
     on conflict (org_id, user_id) do nothing`,
    [orgId, userId, role === "account_admin", role === "billing_admin", now],
  );
}
