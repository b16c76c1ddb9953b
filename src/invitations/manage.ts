import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError, assertThat } from "../errors.ts";
import { decodeCursor, encodeCursor } from "../http/cursor.ts";
import { enqueueMail } from "../mail/outbox.ts";
import { newSecret, sha256 } from "../secrets.ts";
import {
  findLinkDetails,
  listInvitationRows,
  lockInvitation,
  markRevoked,
  otherPendingExists,
  renewInvitation,
  type InvitationRow,
  type InvitationStatus,
} from "./queries.ts";
import { invitationMail } from "./service.ts";

/** A pending invitation past its expiry counts as expired, whether or not it is marked so. */
export function displayStatus(row: Pick<InvitationRow, "status" | "expiresAt">, now: Date) {
  return row.status === "pending" && row.expiresAt <= now ? "expired" : row.status;
}

/** An invitation as the admin pages show it. */
export function invitationView(row: InvitationRow, now: Date) {
  return {
    invitationId: row.invitationId,
    email: row.email,
    name: row.name,
    role: row.role,
    seatProduct: row.seatProduct,
    status: displayStatus(row, now),
    expiresAt: row.expiresAt.toISOString(),
    invitedBy: row.invitedBy ? { userId: row.invitedBy, name: row.invitedByName ?? "" } : null,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt.toISOString(),
  };
}

type InvitationView = ReturnType<typeof invitationView>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Creation times come from the clock in whole milliseconds, so an ISO string keeps them exactly.
const CURSOR_PARTS = [
  (value: string) => !Number.isNaN(Date.parse(value)),
  (value: string) => UUID.test(value),
];

function pageAfter(cursor: string): { createdAt: Date; invitationId: string } {
  const [time = "", invitationId = ""] = decodeCursor(cursor, CURSOR_PARTS);

  return { createdAt: new Date(time), invitationId };
}

export interface ListInput {
  orgId: string;
  status: InvitationStatus | "all";
  cursor: string | undefined;
  limit: number;
}

/** A page of invitations, newest first, and the cursor of the next page if there is one. */
export async function listInvitations(ctx: Context, input: ListInput) {
  const now = ctx.clock.now();
  const rows = await listInvitationRows(ctx.db, {
    orgId: input.orgId,
    status: input.status,
    now,
    after: input.cursor === undefined ? null : pageAfter(input.cursor),
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];

  return {
    invitations: page.map((row) => invitationView(row, now)),
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor([last.createdAt.toISOString(), last.invitationId])
        : null,
  };
}

export interface Actor {
  userId: string;
  name: string;
}

async function lockOrFail(tx: Queryable, orgId: string, invitationId: string) {
  const row = await lockInvitation(tx, orgId, invitationId);
  assertThat(row, "invitation.not_found");

  return row;
}

function isPendingConflict(error: unknown): boolean {
  const pgError = error as { code?: string; constraint?: string };

  return pgError.code === "23505" && pgError.constraint === "invitations_one_pending";
}

/**
 * Sends an invitation again with a new link and a new expiry; the old link stops working.
 * A pending or expired invitation may be resent, an expired one only while no newer one for
 * the address is pending. Errors: `invitation.not_found`, `invitation.not_pending`.
 */
export async function resendInvitation(
  ctx: Context,
  input: { orgId: string; invitationId: string; actor: Actor },
): Promise<InvitationView> {
  const work = async (tx: Queryable) => {
    const row = await lockOrFail(tx, input.orgId, input.invitationId);
    const resendable = row.status === "pending" || row.status === "expired";
    assertThat(resendable, "invitation.not_pending", { status: row.status });
    const blocked = row.status === "expired" && (await otherPendingExists(tx, row));
    assertThat(!blocked, "invitation.not_pending", { status: row.status });

    const now = ctx.clock.now();
    const expiresAt = new Date(now.getTime() + ctx.config.invitationLifetimeMs);
    const secret = newSecret();
    await renewInvitation(tx, row, sha256(secret), now, expiresAt);

    const details = await findLinkDetails(tx, row.orgId, row.invitationId);
    const mail = invitationMail(ctx, {
      to: row.emailKey,
      email: row.email,
      name: row.name ?? undefined,
      inviter: input.actor.name,
      organization: details?.name ?? row.orgId,
      expiresAt,
      secret,
    });
    await enqueueMail(tx, ctx.sealer, [mail]);
    await recordAudit(tx, [auditOf(row, input.actor, "invitation.resent")]);

    return invitationView({ ...row, status: "pending", expiresAt, sentAt: now }, now);
  };

  try {
    return await ctx.db.transaction(work);
  } catch (error) {
    // A new invitation for the same address went out while this one was being renewed.
    if (isPendingConflict(error)) throw new AppError("invitation.not_pending");
    throw error;
  }
}

function auditOf(
  row: InvitationRow,
  actor: Actor,
  action: "invitation.resent" | "invitation.revoked",
) {
  return {
    orgId: row.orgId,
    actorId: actor.userId,
    action,
    targetType: "invitation",
    targetId: row.invitationId,
    details: { email: row.email },
  };
}

/**
 * Revokes a pending invitation. Its link keeps pointing at it, so whoever follows the link
 * learns it was revoked. Errors: `invitation.not_found`, `invitation.not_pending`.
 */
export async function revokeInvitation(
  ctx: Context,
  input: { orgId: string; invitationId: string; actor: Actor },
): Promise<InvitationView> {
  return ctx.db.transaction(async (tx) => {
    const row = await lockOrFail(tx, input.orgId, input.invitationId);
    assertThat(row.status === "pending", "invitation.not_pending", { status: row.status });

    const now = ctx.clock.now();
    await markRevoked(tx, row, now);
    await recordAudit(tx, [auditOf(row, input.actor, "invitation.revoked")]);

    return invitationView({ ...row, status: "revoked" }, now);
  });
}
