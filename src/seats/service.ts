import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError } from "../errors.ts";
import { enqueueMail, MAIL_PRIORITY } from "../mail/outbox.ts";
import { findMembership } from "../members/access.ts";
import { endTokensWithoutSeats } from "../tokens/queries.ts";
import {
  classifyCandidates,
  deleteSeat,
  insertSeats,
  listSeatProducts as listSeatProductRows,
  listSeats as listSeatRows,
  lockSeatCapacity,
  type Candidate,
  type SeatedMember,
  type SeatProductRow,
  type SeatRow,
} from "./queries.ts";

/** What became of one member in an assignment. */
export type SeatOutcome =
  "assigned" | "already_assigned" | "limit_reached" | "no_subscription" | "not_member";

export interface SeatResult {
  userId: string;
  outcome: SeatOutcome;
}

/** The candidates' outcomes before any insert: who may take one of the `free` seats. */
function decide(candidates: readonly Candidate[], free: number | null): SeatResult[] {
  let left = free ?? 0;

  return candidates.map(({ userId, isMember, hasSeat }): SeatResult => {
    if (!isMember) return { userId, outcome: "not_member" };
    if (hasSeat) return { userId, outcome: "already_assigned" };
    if (free === null) return { userId, outcome: "no_subscription" };
    if (left <= 0) return { userId, outcome: "limit_reached" };

    left -= 1;
    return { userId, outcome: "assigned" };
  });
}

/** The seat-assigned mail and audit records for the members just seated. */
async function announce(
  tx: Queryable,
  ctx: Context,
  input: { orgId: string; product: string; actorId: string | null; subscriptionId: string },
  seated: readonly SeatedMember[],
): Promise<void> {
  const link = `${ctx.config.publicUrl}/orgs/${input.orgId}/token`;
  await enqueueMail(
    tx,
    ctx.sealer,
    seated.map((member) => ({
      template: "seat-assigned" as const,
      to: member.email,
      params: {
        name: member.name,
        organization: member.organization,
        product: input.product,
        link,
      },
      priority: MAIL_PRIORITY.member,
    })),
  );

  await recordAudit(
    tx,
    seated.map((member) => ({
      orgId: input.orgId,
      actorId: input.actorId,
      action: "seat.assigned" as const,
      targetType: "member",
      targetId: member.userId,
      details: { product: input.product, subscriptionId: input.subscriptionId },
    })),
  );
}

/**
 * Assigns seats of `product` to members, in the caller's transaction, and answers one outcome
 * per distinct user, in the order given. It locks the product's live subscription row first and
 * counts its seats in use, so exactly as many assignments succeed as there are free seats even
 * when requests race. The capacity is the lower of this period's seats and a pending decrease.
 * Each newly seated member is mailed and audited. Set-based: a few statements whatever the
 * number of users. Invitation acceptance calls this too.
 */
export async function assignSeatsInTransaction(
  tx: Queryable,
  ctx: Context,
  input: { orgId: string; product: string; userIds: string[]; actorId: string | null },
): Promise<
  Array<{
    userId: string;
    outcome: "assigned" | "already_assigned" | "limit_reached" | "no_subscription" | "not_member";
  }>
> {
  const { orgId, product } = input;
  const userIds = [...new Set(input.userIds)];
  const now = ctx.clock.now();

  const capacity = await lockSeatCapacity(tx, orgId, product, now);
  const candidates = await classifyCandidates(tx, orgId, product, userIds);
  const free = capacity ? Math.max(0, capacity.capacity - capacity.seatsInUse) : null;
  const results = decide(candidates, free);

  const chosen = results.filter((r) => r.outcome === "assigned").map((r) => r.userId);
  if (!capacity || chosen.length === 0) return results;

  const seated = await insertSeats(tx, {
    orgId,
    product,
    subscriptionId: capacity.subscriptionId,
    userIds: chosen,
    assignedBy: input.actorId,
    assignedAt: now,
  });
  await announce(tx, ctx, { ...input, subscriptionId: capacity.subscriptionId }, seated);
  await ctx.tokenChecks.announce(tx, { orgId });
  ctx.log.info({ orgId, product, count: seated.length }, "seat.assigned");

  // A seat written by something that skipped the lock shows up as a conflict, not a new seat.
  const inserted = new Set(seated.map((member) => member.userId));

  return results.map((r) =>
    r.outcome === "assigned" && !inserted.has(r.userId)
      ? { userId: r.userId, outcome: "already_assigned" }
      : r,
  );
}

/** Assigns seats in a transaction of its own; see assignSeatsInTransaction. */
export async function assignSeats(
  ctx: Context,
  input: { orgId: string; product: string; userIds: string[]; actorId: string },
): Promise<SeatResult[]> {
  const results = await ctx.db.transaction((tx) => assignSeatsInTransaction(tx, ctx, input));
  ctx.tokenChecks.forget({ orgId: input.orgId });

  return results;
}

/**
 * Takes a member's seat of a product away. When it was their last seat in the organization,
 * their token ends for good in the same transaction: a seat given later does not bring it
 * back, they activate a new one. The member row is locked first, as token activation locks
 * it, so a token activated meanwhile is ended too. Throws seat.not_found when they hold none.
 */
export async function revokeSeat(
  ctx: Context,
  input: { orgId: string; product: string; userId: string; actorId: string },
): Promise<void> {
  const { orgId, product, userId } = input;

  const tokenEnded = await ctx.db.transaction(async (tx) => {
    await findMembership(tx, orgId, userId, true);
    const removed = await deleteSeat(tx, orgId, product, userId);
    if (!removed) throw new AppError("seat.not_found");

    const ended = await endTokensWithoutSeats(tx, orgId, [userId], ctx.clock.now());
    await ctx.tokenChecks.announce(tx, { orgId });
    await recordAudit(tx, [
      {
        orgId,
        actorId: input.actorId,
        action: "seat.revoked",
        targetType: "member",
        targetId: userId,
        details: { product, subscriptionId: removed.subscriptionId, tokenEnded: ended.length > 0 },
      },
    ]);

    return ended.length > 0;
  });
  ctx.tokenChecks.forget({ orgId });
  ctx.log.info({ orgId, product, tokenEnded }, "seat.revoked");
}

/** The organization's seats, optionally of one product. */
export async function listSeats(
  ctx: Context,
  orgId: string,
  product: string | undefined,
): Promise<SeatRow[]> {
  return listSeatRows(ctx.db, orgId, product);
}

/**
 * The products seats can be assigned for now (those with a live subscription), with how many
 * seats may be held and how many are. For account admins, who may hand out seats without
 * seeing billing.
 */
export async function listSeatProducts(ctx: Context, orgId: string): Promise<SeatProductRow[]> {
  return listSeatProductRows(ctx.db, orgId, ctx.clock.now());
}
