import { one, type Queryable } from "../db/database.ts";

/** An organization's row, as the service reads it. */
export interface OrganizationRow {
  orgId: string;
  name: string;
  billingEmail: string | null;
  website: string | null;
  address: string | null;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The profile fields that can be filled in after creation. */
export interface ProfileFields {
  billingEmail: string | null;
  website: string | null;
  address: string | null;
  description: string | null;
}

export interface MyOrganizationRow {
  orgId: string;
  name: string;
  isOwner: boolean;
  isAccountAdmin: boolean;
  isBillingAdmin: boolean;
  joinedAt: Date;
}

const COLUMNS = `org_id as "orgId", name, billing_email as "billingEmail", website, address,
  description, created_at as "createdAt", updated_at as "updatedAt"`;

/** Inserts the organization and its creator as owner and account admin. */
export async function insertOrganization(
  tx: Queryable,
  input: { orgId: string; name: string; createdBy: string; now: Date },
): Promise<OrganizationRow> {
  const created = await tx.query<OrganizationRow>(
    `insert into organizations (org_id, name, created_by, created_at, updated_at)
     values ($1, $2, $3, $4, $4)
     returning ${COLUMNS}`,
    [input.orgId, input.name, input.createdBy, input.now],
  );
  await tx.query(
    `insert into members (org_id, user_id, is_owner, is_account_admin, joined_at)
     values ($1, $2, true, true, $3)`,
    [input.orgId, input.createdBy, input.now],
  );

  return one(created);
}

/** True when the ID belongs to an organization now or did once. */
export async function organizationIdUsed(q: Queryable, orgId: string): Promise<boolean> {
  const result = await q.query(
    `select 1 from organizations where org_id = $1
     union all
     select 1 from retired_organization_ids where org_id = $1`,
    [orgId],
  );

  return result.rows.length > 0;
}

/** True when the ID belonged to an organization that was deleted. */
export async function organizationIdRetired(q: Queryable, orgId: string): Promise<boolean> {
  const result = await q.query(`select 1 from retired_organization_ids where org_id = $1`, [orgId]);

  return result.rows.length > 0;
}

/**
 * Reads an organization; with `lock`, takes its row lock, the point every transaction that
 * counts owners or deletes the organization queues at.
 */
export async function findOrganization(
  q: Queryable,
  orgId: string,
  lock = false,
): Promise<OrganizationRow | null> {
  const result = await q.query<OrganizationRow>(
    `select ${COLUMNS} from organizations where org_id = $1 ${lock ? "for update" : ""}`,
    [orgId],
  );

  return result.rows[0] ?? null;
}

/** Writes the name and profile fields. */
export async function updateOrganizationRow(
  tx: Queryable,
  orgId: string,
  fields: ProfileFields & { name: string; now: Date },
): Promise<OrganizationRow> {
  const result = await tx.query<OrganizationRow>(
    `update organizations
        set name = $2, billing_email = $3, website = $4, address = $5, description = $6,
            updated_at = $7
      where org_id = $1
      returning ${COLUMNS}`,
    [
      orgId,
      fields.name,
      fields.billingEmail,
      fields.website,
      fields.address,
      fields.description,
      fields.now,
    ],
  );

  return one(result);
}

/** Every organization the user belongs to, with their roles, by name. */
export async function listOrganizationsOf(
  q: Queryable,
  userId: string,
): Promise<MyOrganizationRow[]> {
  const result = await q.query<MyOrganizationRow>(
    `select o.org_id as "orgId", o.name, m.is_owner as "isOwner",
            m.is_account_admin as "isAccountAdmin", m.is_billing_admin as "isBillingAdmin",
            m.joined_at as "joinedAt"
       from members m
       join organizations o on o.org_id = m.org_id
      where m.user_id = $1
      order by lower(o.name), o.org_id`,
    [userId],
  );

  return result.rows;
}

/**
 * Deletes everything the organization owns and retires its ID. Tables keyed by a global value
 * (token and invitation secret hashes) and seats, which reach the organization only through
 * other rows, are deleted explicitly, so nothing depends on a chain of cascades; the rest goes
 * with the organization's row by its foreign keys.
 */
export async function deleteOrganizationData(
  tx: Queryable,
  orgId: string,
  now: Date,
): Promise<void> {
  await tx.query(`delete from token_hashes where org_id = $1`, [orgId]);
  await tx.query(`delete from tokens where org_id = $1`, [orgId]);
  await tx.query(`delete from seats where org_id = $1`, [orgId]);
  await tx.query(`delete from invoices where org_id = $1`, [orgId]);
  await tx.query(`delete from subscriptions where org_id = $1`, [orgId]);
  await tx.query(`delete from invitation_secrets where org_id = $1`, [orgId]);
  await tx.query(`delete from invitations where org_id = $1`, [orgId]);
  await tx.query(`delete from members where org_id = $1`, [orgId]);
  await tx.query(`delete from organizations where org_id = $1`, [orgId]);
  await tx.query(`insert into retired_organization_ids (org_id, retired_at) values ($1, $2)`, [
    orgId,
    now,
  ]);
}
