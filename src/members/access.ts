import type { FastifyRequest } from "fastify";
import { requireUser, type SignedInUser } from "../accounts/session.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError } from "../errors.ts";

/** What each role may do, one line per role. Owners may do everything. */
const ROLE_PERMISSIONS = {
  member: ["organization.read", "token.use"],
  accountAdmin: [
    "member.list",
    "member.manage",
    "invitation.manage",
    "seat.read",
    "seat.manage",
    "audit.read",
  ],
  billingAdmin: ["member.list", "billing.read", "billing.manage", "seat.read", "audit.read"],
  owner: [
    "organization.update",
    "organization.delete",
    "member.list",
    "member.manage",
    "member.manage_owners",
    "invitation.manage",
    "billing.read",
    "billing.manage",
    "seat.read",
    "seat.manage",
    "audit.read",
  ],
} as const;

export type Permission = (typeof ROLE_PERMISSIONS)[keyof typeof ROLE_PERMISSIONS][number];

export interface Membership {
  orgId: string;
  userId: string;
  isOwner: boolean;
  isAccountAdmin: boolean;
  isBillingAdmin: boolean;
}

export function permissionsOf(member: Membership): Set<Permission> {
  const granted = new Set<Permission>(ROLE_PERMISSIONS.member);
  const add = (list: readonly Permission[]) => list.forEach((p) => granted.add(p));
  if (member.isAccountAdmin) add(ROLE_PERMISSIONS.accountAdmin);
  if (member.isBillingAdmin) add(ROLE_PERMISSIONS.billingAdmin);
  if (member.isOwner) add(ROLE_PERMISSIONS.owner);

  return granted;
}

export function can(member: Membership, permission: Permission): boolean {
  return permissionsOf(member).has(permission);
}

/** Membership of a user in an organization; `lock` takes a row lock for the transaction. */
export async function findMembership(
  q: Queryable,
  orgId: string,
  userId: string,
  lock = false,
): Promise<Membership | null> {
  const result = await q.query<Membership>(
    `select org_id as "orgId", user_id as "userId", is_owner as "isOwner",
            is_account_admin as "isAccountAdmin", is_billing_admin as "isBillingAdmin"
       from members where org_id = $1 and user_id = $2 ${lock ? "for update" : ""}`,
    [orgId, userId],
  );

  return result.rows[0] ?? null;
}

export interface Caller {
  user: SignedInUser;
  membership: Membership;
}

/**
 * The signed-in caller and their membership, checked in this order: signed in (401), a member
 * (404, so non-members learn nothing, not even that the organization exists), allowed (403).
 */
export async function authorize(
  ctx: Context,
  request: FastifyRequest,
  orgId: string,
  permission: Permission,
): Promise<Caller> {
  const user = await requireUser(ctx, request);
  const membership = await findMembership(ctx.db, orgId, user.id);
  if (!membership) throw new AppError("organization.not_found");
  if (!can(membership, permission)) throw new AppError("organization.forbidden", { permission });

  return { user, membership };
}

/**
 * The caller's membership read again inside a transaction, after it took the organization's
 * row lock, so a role taken away by a transaction that committed meanwhile counts. Throws like
 * authorize: organization.not_found when they are no longer a member, organization.forbidden
 * without the permission.
 */
export async function confirmCaller(
  tx: Queryable,
  caller: Caller,
  permission: Permission,
): Promise<Membership> {
  const membership = await findMembership(tx, caller.membership.orgId, caller.user.id);
  if (!membership) throw new AppError("organization.not_found");
  if (!can(membership, permission)) throw new AppError("organization.forbidden", { permission });

  return membership;
}

/** The admin roles a member can be given, as the membership flags name them. */
export type AdminRole = "isAccountAdmin" | "isBillingAdmin";

/**
 * Whether the member may give an admin role to themselves or to someone they invite: owners
 * may give any, others only one they hold. It keeps an account admin who is not a billing
 * admin from making themselves one, or inviting someone as one.
 */
export function mayGrant(member: Membership, role: AdminRole): boolean {
  return member.isOwner || member[role];
}

/** The role flags of a membership, as the API names them. */
export function rolesOf(member: Pick<Membership, "isOwner" | "isAccountAdmin" | "isBillingAdmin">) {
  return {
    owner: member.isOwner,
    accountAdmin: member.isAccountAdmin,
    billingAdmin: member.isBillingAdmin,
  };
}
