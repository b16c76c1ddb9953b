import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError, assertThat } from "../errors.ts";
import { decodeCursor, encodeCursor, TEXT_PART, TIMESTAMP_PART } from "../http/cursor.ts";
import { enqueueMail, MAIL_PRIORITY } from "../mail/outbox.ts";
import { findOrganization, type OrganizationRow } from "../organizations/queries.ts";
import { can, confirmCaller, mayGrant, rolesOf, type Caller, type Membership } from "./access.ts";
import {
  countOwners,
  endMembership,
  findMember,
  selectMembers,
  setRoles,
  type MemberQuery,
  type MemberRow,
} from "./queries.ts";

export type { MemberRow } from "./queries.ts";

export interface MemberListInput {
  q?: string | undefined;
  role?: MemberQuery["role"];
  hasSeat?: boolean | undefined;
  tokenActive?: boolean | undefined;
  cursor?: string | undefined;
  limit: number;
}

export interface RolesPatch {
  owner?: boolean | undefined;
  accountAdmin?: boolean | undefined;
  billingAdmin?: boolean | undefined;
}

/** Takes the organization's row lock: every change that counts owners queues here. */
async function lockOrganization(tx: Queryable, orgId: string): Promise<OrganizationRow> {
  const organization = await findOrganization(tx, orgId, true);
  assertThat(organization, "organization.not_found");

  return organization;
}

/** The member, locked, or member.not_found. */
async function lockMember(tx: Queryable, orgId: string, userId: string) {
  const member = await findMember(tx, orgId, userId, true);
  assertThat(member, "member.not_found", { userId });

  return member;
}

/** Refuses to take away the last owner; call it under the organization's row lock. */
async function keepAnOwner(tx: Queryable, member: Membership): Promise<void> {
  if (!member.isOwner) return;

  const owners = await countOwners(tx, member.orgId);
  assertThat(owners > 1, "member.last_owner", { userId: member.userId });
}

/** Refuses a member giving themselves an admin role they do not hold, unless an owner. */
function refuseSelfPromotion(actor: Membership, target: Membership, next: Membership): void {
  if (actor.userId !== target.userId) return;

  const roles = [
    ["isAccountAdmin", "accountAdmin"],
    ["isBillingAdmin", "billingAdmin"],
  ] as const;
  for (const [flag, role] of roles) {
    const gained = next[flag] && !target[flag];
    assertThat(!gained || mayGrant(actor, flag), "member.self_promotion", { role });
  }
}

/**
 * A page of the organization's members in the order they joined, filtered, with the cursor of
 * the next page (null on the last one). One query per page.
 */
export async function listMembers(
  ctx: Context,
  caller: Caller,
  input: MemberListInput,
): Promise<{ members: MemberRow[]; nextCursor: string | null }> {
  const after =
    input.cursor === undefined
      ? undefined
      : decodeCursor(input.cursor, [TIMESTAMP_PART, TEXT_PART]);

  const rows = await selectMembers(ctx.db, {
    orgId: caller.membership.orgId,
    at: ctx.clock.now(),
    limit: input.limit + 1,
    q: input.q,
    role: input.role,
    hasSeat: input.hasSeat,
    tokenActive: input.tokenActive,
    after: after && { joinedKey: after[0] ?? "", userId: after[1] ?? "" },
  });

  const members = rows.slice(0, input.limit);
  const last = members[members.length - 1];
  const more = rows.length > input.limit && last !== undefined;

  return { members, nextCursor: more ? encodeCursor([last.joinedKey, last.userId]) : null };
}

/** One member as the list shows them, or member.not_found. */
export async function getMember(ctx: Context, orgId: string, userId: string): Promise<MemberRow> {
  const rows = await selectMembers(ctx.db, {
    orgId,
    at: ctx.clock.now(),
    limit: 1,
    userIds: [userId],
  });
  const member = rows[0];
  assertThat(member, "member.not_found", { userId });

  return member;
}

/**
 * Sets a member's owner, account admin and billing admin flags; flags left out stay. Needs
 * member.manage; making or unmaking an owner, or changing an owner's flags, needs an owner
 * (member.owner_required). The last owner cannot be demoted (member.last_owner), also when
 * two owners demote each other at once: both transactions queue at the organization's row.
 * A member who is not an owner cannot give themselves a role they do not hold
 * (member.self_promotion); taking their own roles away is allowed.
 */
export async function updateMemberRoles(
  ctx: Context,
  caller: Caller,
  userId: string,
  patch: RolesPatch,
): Promise<MemberRow> {
  const orgId = caller.membership.orgId;

  await ctx.db.transaction(async (tx) => {
    await lockOrganization(tx, orgId);
    const actor = await confirmCaller(tx, caller, "member.manage");
    const target = await lockMember(tx, orgId, userId);

    const next = {
      ...target,
      isOwner: patch.owner ?? target.isOwner,
      isAccountAdmin: patch.accountAdmin ?? target.isAccountAdmin,
      isBillingAdmin: patch.billingAdmin ?? target.isBillingAdmin,
    };
    const touchesOwner = target.isOwner || next.isOwner;
    assertThat(!touchesOwner || can(actor, "member.manage_owners"), "member.owner_required");
    refuseSelfPromotion(actor, target, next);
    if (!next.isOwner) await keepAnOwner(tx, target);

    const before = rolesOf(target);
    const after = rolesOf(next);
    if (JSON.stringify(before) === JSON.stringify(after)) return;

    await setRoles(tx, next);
    await recordAudit(tx, [
      {
        orgId,
        actorId: caller.user.id,
        action: "member.roles_changed",
        targetType: "member",
        targetId: userId,
        details: { before, after },
      },
    ]);
  });

  return getMember(ctx, orgId, userId);
}

/**
 * Removes a member: needs member.manage, and member.manage_owners for an owner. Their seats go,
 * their token ends at once, they are mailed, and the removal is audited. The last owner cannot
 * be removed (member.last_owner).
 */
export async function removeMember(ctx: Context, caller: Caller, userId: string): Promise<void> {
  const orgId = caller.membership.orgId;

  await ctx.db.transaction(async (tx) => {
    const organization = await lockOrganization(tx, orgId);
    const actor = await confirmCaller(tx, caller, "member.manage");
    const target = await lockMember(tx, orgId, userId);
    if (target.isOwner) {
      assertThat(can(actor, "member.manage_owners"), "member.owner_required");
      await keepAnOwner(tx, target);
    }

    const ended = await endMembership(tx, orgId, userId, ctx.clock.now());
    await ctx.tokenChecks.announce(tx, { orgId });
    await enqueueMail(tx, ctx.sealer, [
      {
        template: "member-removed",
        to: target.email,
        params: { name: target.name, organization: organization.name },
        priority: MAIL_PRIORITY.member,
      },
    ]);
    await recordAudit(tx, [
      {
        orgId,
        actorId: caller.user.id,
        action: "member.removed",
        targetType: "member",
        targetId: userId,
        details: { seats: ended.products, tokenEnded: ended.tokenEnded },
      },
    ]);
  });
  ctx.tokenChecks.forget({ orgId });
  ctx.log.info({ orgId, userId }, "member.removed");
}

/** The caller leaves: seats and token end as on removal. The last owner cannot leave. */
export async function leaveOrganization(ctx: Context, caller: Caller): Promise<void> {
  const orgId = caller.membership.orgId;
  const userId = caller.user.id;

  await ctx.db.transaction(async (tx) => {
    await lockOrganization(tx, orgId);
    const me = await findMember(tx, orgId, userId, true);
    if (!me) throw new AppError("organization.not_found");
    await keepAnOwner(tx, me);

    const ended = await endMembership(tx, orgId, userId, ctx.clock.now());
    await ctx.tokenChecks.announce(tx, { orgId });
    await recordAudit(tx, [
      {
        orgId,
        actorId: userId,
        action: "member.left",
        targetType: "member",
        targetId: userId,
        details: { seats: ended.products, tokenEnded: ended.tokenEnded },
      },
    ]);
  });
  ctx.tokenChecks.forget({ orgId });
  ctx.log.info({ orgId, userId }, "member.left");
}

/**
 * Hands ownership to another member: they become owner and account admin; the caller, who
 * must be an owner (member.owner_required), stays a member with their other roles but is no
 * longer an owner. The target must be a member (member.not_found) who is not an owner yet
 * (member.already_owner).
 */
export async function transferOwnership(
  ctx: Context,
  caller: Caller,
  userId: string,
): Promise<{ from: MemberRow; to: MemberRow }> {
  const orgId = caller.membership.orgId;

  await ctx.db.transaction(async (tx) => {
    await lockOrganization(tx, orgId);
    const me = await confirmCaller(tx, caller, "organization.read");
    assertThat(me.isOwner, "member.owner_required");
    const target = await lockMember(tx, orgId, userId);
    assertThat(!target.isOwner, "member.already_owner", { userId });

    await setRoles(tx, { ...target, isOwner: true, isAccountAdmin: true });
    await setRoles(tx, { ...me, isOwner: false });
    await recordAudit(tx, [
      {
        orgId,
        actorId: me.userId,
        action: "organization.ownership_transferred",
        targetType: "member",
        targetId: userId,
        details: { from: me.userId, to: userId },
      },
    ]);
  });

  const [from, to] = await Promise.all([
    getMember(ctx, orgId, caller.user.id),
    getMember(ctx, orgId, userId),
  ]);

  return { from, to };
}
