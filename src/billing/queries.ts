import type { Queryable } from "../db/database.ts";
import type { Period } from "./periods.ts";
import type { InvoiceKind } from "./providers/provider.ts";

export type SubscriptionStatus = "active" | "cancelled" | "lapsed";

/** A subscription as stored. */
export interface SubscriptionRow {
  orgId: string;
  subscriptionId: string;
  planId: string;
  product: string;
  period: Period;
  pricePerSeat: number;
  currency: string;
  seats: number;
  nextPeriodSeats: number | null;
  status: SubscriptionStatus;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelledAt: Date | null;
}

const COLUMNS = `org_id as "orgId", subscription_id as "subscriptionId", plan_id as "planId",
  product, period, price_per_seat as "pricePerSeat", currency, seats,
  next_period_seats as "nextPeriodSeats", status, current_period_start as "currentPeriodStart",
  current_period_end as "currentPeriodEnd", cancelled_at as "cancelledAt"`;

/** Creates a subscription; a second live one for the product violates its unique index. */
export async function insertSubscription(
  tx: Queryable,
  input: Omit<SubscriptionRow, "subscriptionId" | "nextPeriodSeats" | "status" | "cancelledAt">,
): Promise<SubscriptionRow> {
  const result = await tx.query<SubscriptionRow>(
    `insert into subscriptions (org_id, plan_id, product, period, price_per_seat, currency, seats,
                                current_period_start, current_period_end, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)
     returning ${COLUMNS}`,
    [
      input.orgId,
      input.planId,
      input.product,
      input.period,
      input.pricePerSeat,
      input.currency,
      input.seats,
      input.currentPeriodStart,
      input.currentPeriodEnd,
    ],
  );

  return result.rows[0] as SubscriptionRow;
}

/** One subscription, locked for the rest of the transaction. */
export async function lockSubscription(
  tx: Queryable,
  orgId: string,
  subscriptionId: string,
): Promise<SubscriptionRow | null> {
  const result = await tx.query<SubscriptionRow>(
    `select ${COLUMNS} from subscriptions
      where org_id = $1 and subscription_id = $2
      for update`,
    [orgId, subscriptionId],
  );

  return result.rows[0] ?? null;
}

/**
 * The next subscription whose period has ended by `now` and that no other instance is working
 * on, locked for the rest of the transaction.
 */
export async function claimDueSubscription(
  tx: Queryable,
  now: Date,
): Promise<SubscriptionRow | null> {
  const result = await tx.query<SubscriptionRow>(
    `select ${COLUMNS} from subscriptions
      where status <> 'lapsed' and current_period_end <= $1
      order by current_period_end
      limit 1
      for update skip locked`,
    [now],
  );

  return result.rows[0] ?? null;
}

/** How many seats of the subscription are held. */
export async function countSeatsInUse(
  tx: Queryable,
  orgId: string,
  subscriptionId: string,
): Promise<number> {
  const result = await tx.query<{ count: number }>(
    `select count(*)::int as count from seats where org_id = $1 and subscription_id = $2`,
    [orgId, subscriptionId],
  );

  return result.rows[0]?.count ?? 0;
}

/** Writes a subscription's changeable fields back. */
export async function saveSubscription(tx: Queryable, row: SubscriptionRow): Promise<void> {
  await tx.query(
    `update subscriptions
        set seats = $3, next_period_seats = $4, status = $5, current_period_start = $6,
            current_period_end = $7, cancelled_at = $8
      where org_id = $1 and subscription_id = $2`,
    [
      row.orgId,
      row.subscriptionId,
      row.seats,
      row.nextPeriodSeats,
      row.status,
      row.currentPeriodStart,
      row.currentPeriodEnd,
      row.cancelledAt,
    ],
  );
}

/**
 * Locks the member rows of everyone holding a seat of the subscription, in user ID order, so
 * ending their tokens cannot miss one being activated at the same time.
 */
export async function lockSeatHolders(
  tx: Queryable,
  orgId: string,
  subscriptionId: string,
): Promise<void> {
  await tx.query(
    `select m.user_id from members m
      where m.org_id = $1
        and exists (select 1 from seats s
                     where s.org_id = m.org_id and s.user_id = m.user_id
                       and s.subscription_id = $2)
      order by m.user_id
        for update of m`,
    [orgId, subscriptionId],
  );
}

/** Deletes every seat of a subscription; answers the members who held them. */
export async function deleteSubscriptionSeats(
  tx: Queryable,
  orgId: string,
  subscriptionId: string,
): Promise<string[]> {
  const result = await tx.query<{ userId: string }>(
    `delete from seats where org_id = $1 and subscription_id = $2 returning user_id as "userId"`,
    [orgId, subscriptionId],
  );

  return result.rows.map((row) => row.userId);
}

/** The organization's subscriptions with their seats in use: live ones first, newest first. */
export async function listSubscriptions(
  q: Queryable,
  orgId: string,
): Promise<Array<SubscriptionRow & { seatsInUse: number }>> {
  const result = await q.query<SubscriptionRow & { seatsInUse: number }>(
    `select ${COLUMNS},
            (select count(*)::int from seats s
              where s.org_id = sub.org_id and s.subscription_id = sub.subscription_id)
              as "seatsInUse"
       from subscriptions sub
      where org_id = $1
      order by status = 'lapsed', created_at desc, subscription_id`,
    [orgId],
  );

  return result.rows;
}

/** An invoice as stored. */
export interface InvoiceRow {
  invoiceId: string;
  subscriptionId: string;
  kind: InvoiceKind;
  description: string;
  seats: number;
  unitPrice: number;
  amount: number;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  issuedAt: Date;
}

/** The organization's invoices, newest first. */
export async function listInvoices(q: Queryable, orgId: string): Promise<InvoiceRow[]> {
  const result = await q.query<InvoiceRow>(
    `select invoice_id as "invoiceId", subscription_id as "subscriptionId", kind, description,
            seats, unit_price as "unitPrice", amount, currency, period_start as "periodStart",
            period_end as "periodEnd", issued_at as "issuedAt"
       from invoices
      where org_id = $1
      order by issued_at desc, period_start desc, invoice_id`,
    [orgId],
  );

  return result.rows;
}
