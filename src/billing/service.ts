import { recordAudit } from "../audit/record.ts";
import type { Plan } from "../config.ts";
import type { Context } from "../context.ts";
import type { Queryable } from "../db/database.ts";
import { AppError, assertThat } from "../errors.ts";
import { addPeriod, prorate } from "./periods.ts";
import type { Charge } from "./providers/provider.ts";
import {
  countSeatsInUse,
  insertSubscription,
  listInvoices as listInvoiceRows,
  listSubscriptions as listSubscriptionRows,
  lockSubscription,
  saveSubscription,
  type InvoiceRow,
  type SubscriptionRow,
} from "./queries.ts";
import { billingProvider, planName, seatsLine, settleSubscription } from "./renewals.ts";

/** The largest amount an invoice can hold (a PostgreSQL integer). */
const MAX_AMOUNT = 2_147_483_647;

/** A subscription as the API shows it. */
export type SubscriptionView = SubscriptionRow & { seatsInUse: number; costPerPeriod: number };

export interface ChangeResult {
  subscription: SubscriptionView;
  invoice: InvoiceRow | null;
}

function view(row: SubscriptionRow, seatsInUse: number): SubscriptionView {
  return { ...row, seatsInUse, costPerPeriod: row.seats * row.pricePerSeat };
}

/** A seat count whose invoice would not fit is refused as an invalid field. */
function assertAmountFits(seats: number, pricePerSeat: number): void {
  assertThat(seats * pricePerSeat <= MAX_AMOUNT, "request.invalid", {
    fields: [{ path: "/body/seats", message: "too many seats for one invoice" }],
  });
}

/** Sends a charge to the provider and answers it as an invoice. */
async function invoice(tx: Queryable, ctx: Context, charge: Charge): Promise<InvoiceRow> {
  const [reference] = await billingProvider(ctx).charge(tx, [charge]);
  if (!reference) throw new Error("the billing provider answered no invoice");

  return {
    invoiceId: reference.invoiceId,
    subscriptionId: charge.subscriptionId,
    kind: charge.kind,
    description: charge.description,
    seats: charge.seats,
    unitPrice: charge.unitPrice,
    amount: charge.amount,
    currency: charge.currency,
    periodStart: charge.periodStart,
    periodEnd: charge.periodEnd,
    issuedAt: charge.issuedAt,
  };
}

/** The plans on offer, from the settings. */
export function listPlans(ctx: Context): readonly Plan[] {
  return ctx.config.plans;
}

/**
 * Buys `seats` seats of a plan: the plan's price is copied onto the subscription, its first
 * period starts now, and the provider is charged for the whole period. Throws plan.not_found,
 * and subscription.exists when the organization already has a live one for the product.
 */
export async function createSubscription(
  ctx: Context,
  input: { orgId: string; planId: string; seats: number; actorId: string },
): Promise<{ subscription: SubscriptionView; invoice: InvoiceRow }> {
  const plan = ctx.config.plans.find((p) => p.id === input.planId);
  if (!plan) throw new AppError("plan.not_found", { planId: input.planId });
  assertAmountFits(input.seats, plan.pricePerSeat);

  const bought = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const row = await insertSubscription(tx, {
      orgId: input.orgId,
      planId: plan.id,
      product: plan.product,
      period: plan.period,
      pricePerSeat: plan.pricePerSeat,
      currency: plan.currency,
      seats: input.seats,
      currentPeriodStart: now,
      currentPeriodEnd: addPeriod(now, plan.period),
    });

    const bill = await invoice(tx, ctx, {
      orgId: row.orgId,
      subscriptionId: row.subscriptionId,
      kind: "purchase",
      description: `${plan.name}: ${seatsLine(row.seats, row.product)}`,
      seats: row.seats,
      unitPrice: row.pricePerSeat,
      amount: row.seats * row.pricePerSeat,
      currency: row.currency,
      periodStart: row.currentPeriodStart,
      periodEnd: row.currentPeriodEnd,
      issuedAt: now,
    });

    await recordAudit(tx, [
      {
        orgId: row.orgId,
        actorId: input.actorId,
        action: "subscription.created",
        targetType: "subscription",
        targetId: row.subscriptionId,
        details: { planId: plan.id, product: plan.product, seats: row.seats, ...money(row) },
      },
    ]);
    await ctx.tokenChecks.announce(tx, { orgId: row.orgId });

    return { subscription: view(row, 0), invoice: bill };
  });
  ctx.tokenChecks.forget({ orgId: input.orgId });

  return bought;
}

function money(row: SubscriptionRow) {
  return { pricePerSeat: row.pricePerSeat, currency: row.currency, period: row.period };
}

/** The new seat fields for a requested count, and how many seats are added now. */
function reseat(
  row: SubscriptionRow,
  target: number,
  seatsInUse: number,
): { seats: number; nextPeriodSeats: number | null; added: number } {
  if (target > row.seats)
    return { seats: target, nextPeriodSeats: null, added: target - row.seats };
  if (target === row.seats) return { seats: row.seats, nextPeriodSeats: null, added: 0 };

  assertThat(target >= seatsInUse, "subscription.below_seats_in_use", { seatsInUse });
  return { seats: row.seats, nextPeriodSeats: target, added: 0 };
}

/** The status a cancel flag asks for; only a subscription still in its period can change. */
function restatus(row: SubscriptionRow, cancel: boolean | undefined, now: Date) {
  if (cancel === undefined) return { status: row.status, cancelledAt: row.cancelledAt };
  if (cancel) {
    return row.status === "cancelled"
      ? { status: row.status, cancelledAt: row.cancelledAt }
      : { status: "cancelled" as const, cancelledAt: now };
  }

  return { status: "active" as const, cancelledAt: null };
}

/** The invoice for seats added part-way through the period, prorated to the time left. */
function seatsAddedCharge(ctx: Context, row: SubscriptionRow, added: number, now: Date): Charge {
  const period = { start: row.currentPeriodStart, end: row.currentPeriodEnd };

  return {
    orgId: row.orgId,
    subscriptionId: row.subscriptionId,
    kind: "seats_added",
    description:
      `${planName(ctx, row.planId)}: ${seatsLine(added, row.product)} added ` +
      `for the rest of the period`,
    seats: added,
    unitPrice: row.pricePerSeat,
    amount: prorate(added, row.pricePerSeat, period, now),
    currency: row.currency,
    periodStart: now,
    periodEnd: row.currentPeriodEnd,
    issuedAt: now,
  };
}

/**
 * Changes a subscription's seats or cancels or resumes it. More seats take effect now with a
 * prorated invoice; fewer take effect at the next period and never below the seats in use;
 * the same count as now withdraws a pending decrease. `cancel: true` lets it run to its period
 * end; `cancel: false` resumes a cancelled one. A period that has already ended is renewed
 * first. Throws subscription.not_found, subscription.not_active (lapsed, or cancelled and
 * past its end), subscription.below_seats_in_use and subscription.no_change.
 */
export async function updateSubscription(
  ctx: Context,
  input: {
    orgId: string;
    subscriptionId: string;
    seats?: number | undefined;
    cancel?: boolean | undefined;
    actorId: string;
  },
): Promise<ChangeResult> {
  assertThat(input.seats !== undefined || input.cancel !== undefined, "subscription.no_change");

  const result = await ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const row = await lockLive(tx, ctx, input, now);
    const seatsInUse = await countSeatsInUse(tx, row.orgId, row.subscriptionId);
    const seats = input.seats === undefined ? null : reseat(row, input.seats, seatsInUse);
    if (seats) assertAmountFits(seats.seats, row.pricePerSeat);

    const changed: SubscriptionRow = {
      ...row,
      ...restatus(row, input.cancel, now),
      ...(seats ? { seats: seats.seats, nextPeriodSeats: seats.nextPeriodSeats } : {}),
    };
    const bill = seats?.added
      ? await invoice(tx, ctx, seatsAddedCharge(ctx, row, seats.added, now))
      : null;

    if (differs(row, changed)) {
      await saveSubscription(tx, changed);
      await recordAudit(tx, [updatedEvent(row, changed, input.actorId, bill)]);
    }
    await ctx.tokenChecks.announce(tx, { orgId: row.orgId });

    return { subscription: view(changed, seatsInUse), invoice: bill };
  });
  ctx.tokenChecks.forget({ orgId: input.orgId });

  return result;
}

/**
 * Locks a subscription that is still live at `now` and renews any period that has ended, so a
 * change applies to the current period.
 */
async function lockLive(
  tx: Queryable,
  ctx: Context,
  input: { orgId: string; subscriptionId: string },
  now: Date,
): Promise<SubscriptionRow> {
  const locked = await lockSubscription(tx, input.orgId, input.subscriptionId);
  if (!locked) throw new AppError("subscription.not_found");

  const live =
    locked.status === "active" || (locked.status === "cancelled" && locked.currentPeriodEnd > now);
  assertThat(live, "subscription.not_active", { status: locked.status });

  const { row } = await settleSubscription(tx, ctx, locked, now);

  return row;
}

const CHANGEABLE = ["seats", "nextPeriodSeats", "status"] as const;

function differs(before: SubscriptionRow, after: SubscriptionRow): boolean {
  return CHANGEABLE.some((key) => before[key] !== after[key]);
}

function updatedEvent(
  before: SubscriptionRow,
  after: SubscriptionRow,
  actorId: string,
  bill: InvoiceRow | null,
) {
  const pick = (row: SubscriptionRow) => ({
    seats: row.seats,
    nextPeriodSeats: row.nextPeriodSeats,
    status: row.status,
  });

  return {
    orgId: after.orgId,
    actorId,
    action: "subscription.updated" as const,
    targetType: "subscription",
    targetId: after.subscriptionId,
    details: {
      product: after.product,
      before: pick(before),
      after: pick(after),
      ...(bill ? { invoiceId: bill.invoiceId, amount: bill.amount } : {}),
    },
  };
}

/** The organization's subscriptions, with seats in use and the cost per period. */
export async function listSubscriptions(ctx: Context, orgId: string): Promise<SubscriptionView[]> {
  const rows = await listSubscriptionRows(ctx.db, orgId);

  return rows.map(({ seatsInUse, ...row }) => view(row, seatsInUse));
}

/** The organization's invoices, newest first. */
export async function listInvoices(ctx: Context, orgId: string): Promise<InvoiceRow[]> {
  return listInvoiceRows(ctx.db, orgId);
}
