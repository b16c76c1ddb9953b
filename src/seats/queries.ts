import type { Queryable } from "../db/database.ts";

/** The live subscription of a product, locked so seat counts cannot race. */
export interface SeatCapacity {
  subscriptionId: string;
  /** Seats that may be held now: the lower of this period's and a pending next period's. */
  capacity: number;
  seatsInUse: number;
}

/**
 * Locks the product's live subscription row (live at `now`: active, or cancelled and still in
 * its period) and counts its seats in use. Every assignment takes this lock first, so on the
 * server concurrent assignments see each other's seats.
 */
export async function lockSeatCapacity(
  tx: Queryable,
  orgId: string,
  product: string,
  now: Date,
): Promise<SeatCapacity | null> {
  const locked = await tx.query<{ subscriptionId: string; capacity: number }>(
    `select subscription_id as "subscriptionId",
            least(seats, coalesce(next_period_seats, seats)) as capacity
       from subscriptions
      where org_id = $1 and product = $2
        and (status = 'active' or (status = 'cancelled' and current_period_end > $3))
      for update`,
    [orgId, product, now],
  );
  const row = locked.rows[0];
  if (!row) return null;

  const used = await tx.query<{ count: number }>(
    `select count(*)::int as count from seats where org_id = $1 and subscription_id = $2`,
    [orgId, row.subscriptionId],
  );

  return { ...row, seatsInUse: used.rows[0]?.count ?? 0 };
}

export interface Candidate {
  userId: string;
  isMember: boolean;
  hasSeat: boolean;
}

/** Each requested user, in the order given: a member or not, already seated for the product. */
export async function classifyCandidates(
  tx: Queryable,
  orgId: string,
  product: string,
  userIds: readonly string[],
): Promise<Candidate[]> {
  const result = await tx.query<Candidate>(
    `select u.user_id as "userId", m.user_id is not null as "isMember",
            s.user_id is not null as "hasSeat"
       from unnest($3::text[]) with ordinality as u(user_id, ord)
       left join members m on m.org_id = $1 and m.user_id = u.user_id
       left join seats s on s.org_id = $1 and s.product = $2 and s.user_id = u.user_id
      order by u.ord`,
    [orgId, product, userIds],
  );

  return result.rows;
}

export interface SeatedMember {
  userId: string;
  name: string;
  email: string;
  organization: string;
}

/**
 * Inserts seats for the given members in one statement and answers who was seated, with what a
 * notification needs (name, address, organization name).
 */
export async function insertSeats(
  tx: Queryable,
  input: {
    orgId: string;
    product: string;
    subscriptionId: string;
    userIds: readonly string[];
    assignedBy: string | null;
    assignedAt: Date;
  },
): Promise<SeatedMember[]> {
  const result = await tx.query<SeatedMember>(
    `with inserted as (
       insert into seats (org_id, product, user_id, subscription_id, assigned_by, assigned_at)
       select $1, $2, user_id, $3, $5, $6 from unnest($4::text[]) as t(user_id)
       on conflict do nothing
       returning user_id
     )
     select i.user_id as "userId", u.name, u.email, o.name as organization
       from inserted i
       join "user" u on u.id = i.user_id
       join organizations o on o.org_id = $1`,
    [
      input.orgId,
      input.product,
      input.subscriptionId,
      input.userIds,
      input.assignedBy,
      input.assignedAt,
    ],
  );

  return result.rows;
}

/** Deletes one member's seat of a product; answers the subscription it belonged to, if any. */
export async function deleteSeat(
  tx: Queryable,
  orgId: string,
  product: string,
  userId: string,
): Promise<{ subscriptionId: string } | null> {
  const result = await tx.query<{ subscriptionId: string }>(
    `delete from seats where org_id = $1 and product = $2 and user_id = $3
     returning subscription_id as "subscriptionId"`,
    [orgId, product, userId],
  );

  return result.rows[0] ?? null;
}

export interface SeatRow {
  product: string;
  userId: string;
  name: string;
  email: string;
  assignedAt: Date;
}

/** The organization's seats, optionally of one product, by product and assignment time. */
export async function listSeats(
  q: Queryable,
  orgId: string,
  product: string | undefined,
): Promise<SeatRow[]> {
  const result = await q.query<SeatRow>(
    `select s.product, s.user_id as "userId", u.name, u.email, s.assigned_at as "assignedAt"
       from seats s
       join "user" u on u.id = s.user_id
      where s.org_id = $1 and ($2::text is null or s.product = $2)
      order by s.product, s.assigned_at, s.user_id`,
    [orgId, product ?? null],
  );

  return result.rows;
}

/** A product with a live subscription: seats that may be held now, and seats held. */
export interface SeatProductRow {
  product: string;
  seats: number;
  seatsInUse: number;
}

/**
 * The products of the organization's subscriptions live at `now` (active, or cancelled and
 * still in their period), with capacity as assignments count it and the seats in use.
 */
export async function listSeatProducts(
  q: Queryable,
  orgId: string,
  now: Date,
): Promise<SeatProductRow[]> {
  const result = await q.query<SeatProductRow>(
    `select sub.product, least(sub.seats, coalesce(sub.next_period_seats, sub.seats)) as seats,
            (select count(*)::int from seats s
              where s.org_id = sub.org_id and s.subscription_id = sub.subscription_id)
              as "seatsInUse"
       from subscriptions sub
      where sub.org_id = $1
        and (sub.status = 'active' or (sub.status = 'cancelled' and sub.current_period_end > $2))
      order by sub.product`,
    [orgId, now],
  );

  return result.rows;
}
