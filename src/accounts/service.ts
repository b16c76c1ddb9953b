import { recordAudit } from "../audit/record.ts";
import type { Context } from "../context.ts";
import { assertThat } from "../errors.ts";
import {
  deleteUserRow,
  endAllMemberships,
  lastOwnedOrganizations,
  lockOrganizationsOf,
} from "./queries.ts";

/**
 * Deletes an account in one transaction: refused with account.last_owner (details: the
 * organizations) while the user is the only owner of any organization; otherwise every
 * membership ends as leaving does (seats freed, tokens ended, `member.left` audited in each
 * organization) and the account row goes, with its sessions and password. The caller has
 * confirmed the password.
 */
export async function deleteAccount(ctx: Context, userId: string): Promise<void> {
  const at = ctx.clock.now();

  const ended = await ctx.db.transaction(async (tx) => {
    await lockOrganizationsOf(tx, userId);
    const organizations = await lastOwnedOrganizations(tx, userId);
    assertThat(organizations.length === 0, "account.last_owner", { organizations });

    const memberships = await endAllMemberships(tx, userId, at);
    await recordAudit(
      tx,
      memberships.map((membership) => ({
        orgId: membership.orgId,
        actorId: userId,
        action: "member.left" as const,
        targetType: "member",
        targetId: userId,
        details: {
          seats: membership.products,
          tokenEnded: membership.tokenEnded,
          accountDeleted: true,
        },
      })),
    );
    await deleteUserRow(tx, userId);
    // Each organization's cached answers go, here and in every other instance: the
    // person's tokens must stop at once, as when they leave one organization.
    for (const { orgId } of memberships) await ctx.tokenChecks.announce(tx, { orgId });

    return memberships;
  });

  for (const { orgId } of ended) ctx.tokenChecks.forget({ orgId });
  ctx.log.info({ userId, organizations: ended.map((m) => m.orgId) }, "account.deleted");
}
