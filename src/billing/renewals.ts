import { recordAudit, type AuditEvent } from "../audit/record.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { endTokensWithoutSeats } from "../tokens/queries.ts";
import { addPeriod } from "./periods.ts";
import { builtinProvider } from "./providers/builtin.ts";
import type { BillingProvider, Charge } from "./providers/provider.ts";
import {
  claimDueSubscription,
  deleteSubscriptionSeats,
  lockSeatHolders,
  saveSubscription,
  type SubscriptionRow,
} from "./queries.ts";

/** The provider that charges are sent to; the built-in one is the only one so far. */
export function billingProvider(_ctx: Context): BillingProvider {
  return builtinProvider;
}

/** A plan's display name for invoice lines; its ID once the plan is gone from the settings. */
export function planName(ctx: Context, planId: string): string {
  return ctx.config.plans.find((plan) => plan.id === planId)?.name ?? planId;
}

/** The invoice line for a number of seats. */
export function seatsLine(seats: number, product: string): string {
  return `${seats} ${seats === 1 ? "seat" : "seats"} of ${product}`;
}

/** What happened to a subscription whose period had ended. */
export interface Settlement {
  row: SubscriptionRow;
  renewals: number;
  lapsed: boolean;
}

/**
 * Ends a cancelled subscription: status lapsed, and every seat of it is deleted. The members
 * it leaves with no seat in the organization have their tokens ended at `now`, in one
 * statement for all of them; their member rows are locked first, as token activation does.
 */
async function lapse(tx: Queryable, row: SubscriptionRow, now: Date): Promise<Settlement> {
  const lapsed: SubscriptionRow = { ...row, status: "lapsed" };
  await saveSubscription(tx, lapsed);
  await lockSeatHolders(tx, row.orgId, row.subscriptionId);
  const holders = await deleteSubscriptionSeats(tx, row.orgId, row.subscriptionId);
  const ended = await endTokensWithoutSeats(tx, row.orgId, holders, now);

  await recordAudit(tx, [
    {
      orgId: row.orgId,
      actorId: null,
      action: "subscription.lapsed",
      targetType: "subscription",
      targetId: row.subscriptionId,
      details: {
        product: row.product,
        seatsRemoved: holders.length,
        tokensEnded: ended.length,
        periodEnd: row.currentPeriodEnd,
      },
    },
  ]);

  return { row: lapsed, renewals: 0, lapsed: true };
}

/**
 * Renews an active subscription for every period that has ended by `now`, one invoice per
 * period at the price copied onto the subscription. A pending decrease becomes the seat count
 * from the first new period.
 */
async function renew(
  tx: Queryable,
  ctx: Context,
  row: SubscriptionRow,
  now: Date,
): Promise<Settlement> {
  const renewed: SubscriptionRow = { ...row, seats: row.nextPeriodSeats ?? row.seats };
  renewed.nextPeriodSeats = null;
  const charges: Charge[] = [];
  const name = planName(ctx, row.planId);

  while (renewed.currentPeriodEnd <= now) {
    renewed.currentPeriodStart = renewed.currentPeriodEnd;
    renewed.currentPeriodEnd = addPeriod(renewed.currentPeriodStart, row.period);
    charges.push({
      orgId: row.orgId,
      subscriptionId: row.subscriptionId,
      kind: "renewal",
      description: `Renewal of ${name}: ${seatsLine(renewed.seats, row.product)}`,
      seats: renewed.seats,
      unitPrice: row.pricePerSeat,
      amount: renewed.seats * row.pricePerSeat,
      currency: row.currency,
      periodStart: renewed.currentPeriodStart,
      periodEnd: renewed.currentPeriodEnd,
      issuedAt: now,
    });
  }

  const invoices = await billingProvider(ctx).charge(tx, charges);
  await saveSubscription(tx, renewed);
  await recordAudit(
    tx,
    charges.map((charge, index): AuditEvent => ({
      orgId: row.orgId,
      actorId: null,
      action: "subscription.renewed",
      targetType: "subscription",
      targetId: row.subscriptionId,
      details: {
        product: row.product,
        seats: charge.seats,
        periodStart: charge.periodStart,
        periodEnd: charge.periodEnd,
        invoiceId: invoices[index]?.invoiceId,
      },
    })),
  );

  return { row: renewed, renewals: charges.length, lapsed: false };
}

/**
 * Brings a locked subscription up to `now`: renews it period by period, or lapses it if it was
 * cancelled. A lapsed one, or one still in its period, is left as it is.
 */
export async function settleSubscription(
  tx: Queryable,
  ctx: Context,
  row: SubscriptionRow,
  now: Date,
): Promise<Settlement> {
  if (row.status === "lapsed" || row.currentPeriodEnd > now) {
    return { row, renewals: 0, lapsed: false };
  }
  if (row.status === "cancelled") return lapse(tx, row, now);

  return renew(tx, ctx, row, now);
}

/**
 * Renews or lapses every subscription whose period ended by the clock's now, each in a
 * transaction of its own with its row locked FOR UPDATE SKIP LOCKED, so several instances can
 * run this at once without doing the same work twice. Answers what it did.
 */
export async function processDueSubscriptions(
  ctx: Context,
): Promise<{ renewed: number; lapsed: number }> {
  const now = ctx.clock.now();
  const totals = { renewed: 0, lapsed: 0 };

  for (;;) {
    const settled = await ctx.db.transaction(async (tx) => {
      const due = await claimDueSubscription(tx, now);
      if (!due) return null;

      await ctx.tokenChecks.announce(tx, { orgId: due.orgId });
      return settleSubscription(tx, ctx, due, now);
    });
    if (!settled) break;

    const { orgId, subscriptionId } = settled.row;
    ctx.tokenChecks.forget({ orgId });
    if (settled.lapsed) {
      totals.lapsed += 1;
      ctx.log.info({ orgId, subscriptionId }, "subscription.lapsed");
    } else {
      totals.renewed += 1;
      ctx.log.info({ orgId, subscriptionId, periods: settled.renewals }, "subscription.renewed");
    }
  }

  return totals;
}
