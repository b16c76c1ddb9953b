import type { SignedInUser } from "../accounts/session.ts";
import { addressKey } from "../addresses/address.ts";
import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError, assertThat } from "../errors.ts";
import { findMembership } from "../members/access.ts";
import { assignSeatsInTransaction } from "../seats/service.ts";
import { findInvitationBySecret } from "./lookup.ts";
import { displayStatus } from "./manage.ts";
import {
  addInvitedMember,
  findLinkDetails,
  lockInvitation,
  markAccepted,
  type InvitationRow,
} from "./queries.ts";

/**
 * What a link's landing page needs, and nothing more: who invites, to which organization,
 * which address, until when, and whether the invitation still holds. No sign-in needed: the
 * secret is the proof. Errors: `invitation.not_found`.
 */
export async function getInvitation(ctx: Context, secret: string) {
  const invitation = await findInvitationBySecret(ctx.db, secret);
  assertThat(invitation, "invitation.not_found");

  const details = await findLinkDetails(ctx.db, invitation.orgId, invitation.invitationId);
  assertThat(details, "invitation.not_found");

  return {
    organization: { orgId: invitation.orgId, name: details.name },
    inviter: details.inviter === null ? null : { name: details.inviter },
    email: invitation.email,
    expiresAt: invitation.expiresAt.toISOString(),
    status: displayStatus(invitation, ctx.clock.now()),
  };
}

/** Refuses an invitation that no longer holds, or that was sent to someone else. */
function assertAcceptable(row: InvitationRow, user: SignedInUser, now: Date): void {
  assertThat(row.status !== "accepted", "invitation.already_accepted");
  assertThat(row.status !== "revoked", "invitation.revoked");
  assertThat(displayStatus(row, now) !== "expired", "invitation.expired", {
    expiresAt: row.expiresAt.toISOString(),
  });

  const key = addressKey(user.email) ?? user.email;
  if (key !== row.emailKey) {
    throw new AppError("invitation.wrong_account", {
      invitedEmail: row.email,
      signedInEmail: user.email,
    });
  }
}

async function lockBySecret(tx: Queryable, secret: string): Promise<InvitationRow> {
  const found = await findInvitationBySecret(tx, secret);
  assertThat(found, "invitation.not_found");

  // The row read after the lock is the one that counts: another accept may have just won.
  const row = await lockInvitation(tx, found.orgId, found.invitationId);
  assertThat(row, "invitation.not_found");

  return row;
}

/**
 * A seat of the invitation's product when one is free; a refusal (no free seat, no
 * subscription) leaves the acceptance standing and is only reported. The inviter, who chose
 * the seat, is recorded as the one who assigned it.
 */
async function giveSeat(tx: Queryable, ctx: Context, row: InvitationRow, userId: string) {
  if (row.seatProduct === null) return null;

  const [result] = await assignSeatsInTransaction(tx, ctx, {
    orgId: row.orgId,
    product: row.seatProduct,
    userIds: [userId],
    actorId: row.invitedBy,
  });

  return { product: row.seatProduct, outcome: result?.outcome ?? "not_member" };
}

/**
 * Accepts an invitation for the signed-in account whose address it was sent to, in one
 * transaction: adds the member with the invitation's role, marks it accepted, records it,
 * and gives a seat of its product when one is free. Someone already a member keeps their
 * roles. A refused attempt changes nothing. Errors:
 * `invitation.not_found`, `invitation.already_accepted`, `invitation.expired`,
 * `invitation.revoked`, `invitation.wrong_account`.
 */
export async function acceptInvitation(ctx: Context, user: SignedInUser, secret: string) {
  const accepted = await ctx.db.transaction(async (tx) => {
    const row = await lockBySecret(tx, secret);
    const now = ctx.clock.now();
    assertAcceptable(row, user, now);

    await addInvitedMember(tx, row.orgId, user.id, row.role, now);
    await markAccepted(tx, row, user.id, now);
    await recordAudit(tx, [
      {
        orgId: row.orgId,
        actorId: user.id,
        action: "invitation.accepted",
        targetType: "invitation",
        targetId: row.invitationId,
        details: { email: row.email, role: row.role },
      },
    ]);

    const seat = await giveSeat(tx, ctx, row, user.id);
    const membership = await findMembership(tx, row.orgId, user.id);
    const details = await findLinkDetails(tx, row.orgId, row.invitationId);

    return { row, membership, seat, name: details?.name ?? row.orgId };
  });
  const { row, membership, seat } = accepted;
  // A seat given on acceptance announced itself to other instances; this one drops its own.
  if (seat) ctx.tokenChecks.forget({ orgId: row.orgId });
  ctx.log.info({ orgId: row.orgId, userId: user.id }, "invitation.accepted");

  return {
    organization: { orgId: row.orgId, name: accepted.name },
    roles: {
      owner: membership?.isOwner ?? false,
      accountAdmin: membership?.isAccountAdmin ?? false,
      billingAdmin: membership?.isBillingAdmin ?? false,
    },
    seat,
  };
}
