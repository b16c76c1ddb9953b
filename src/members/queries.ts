import type { Queryable } from "../db/database.ts";
import { exactTimestamp } from "../http/cursor.ts";
import { endTokensWithoutSeats } from "../tokens/queries.ts";
import type { Membership } from "./access.ts";

export type RoleFilter = "owner" | "account_admin" | "billing_admin" | "member";

export type TokenStatus = "active" | "inactive" | "none";

/** One member as the members list shows them. */
export interface MemberRow extends Membership {
  name: string;
  email: string;
  joinedAt: Date;
  /** joined_at to the microsecond, for the page cursor. */
  joinedKey: string;
  seats: Array<{ product: string; assignedAt: string }>;
  tokenStatus: TokenStatus;
  lastUsedAt: Date | null;
  /** Checks the active token passed on T's day (UTC), as flushed so far. */
  usesToday: number;
}

export interface MemberQuery {
  orgId: string;
  /** T of the coverage rule: the clock's now. */
  at: Date;
  limit: number;
  q?: string | undefined;
  role?: RoleFilter | undefined;
  hasSeat?: boolean | undefined;
  tokenActive?: boolean | undefined;
  userIds?: string[] | undefined;
  after?: { joinedKey: string; userId: string } | undefined;
}

const ROLE_CONDITIONS: Record<RoleFilter, string> = {
  owner: "m.is_owner",
  account_admin: "m.is_account_admin",
  billing_admin: "m.is_billing_admin",
  member: "not (m.is_owner or m.is_account_admin or m.is_billing_admin)",
};

/** A subscription alias `sub` that is live at T ($2): active, or cancelled and still paid. */
const LIVE = `(sub.status = 'active'
  or (sub.status = 'cancelled' and sub.current_period_end > $2))`;

const HOLDS_SEAT = `exists (select 1 from seats s
  where s.org_id = m.org_id and s.user_id = m.user_id)`;

const TOKEN_ACTIVE = `(
  exists (select 1 from tokens t
           where t.org_id = m.org_id and t.user_id = m.user_id and t.status = 'active')
  and exists (select 1 from seats s
                join subscriptions sub
                  on sub.org_id = s.org_id and sub.subscription_id = s.subscription_id
               where s.org_id = m.org_id and s.user_id = m.user_id and ${LIVE}))`;

/** The WHERE conditions and their parameters; $1 is the organization, $2 the time T. */
function conditions(query: MemberQuery): { where: string[]; params: unknown[] } {
  const params: unknown[] = [query.orgId, query.at];
  const where = ["m.org_id = $1"];
  const param = (value: unknown) => `$${params.push(value)}`;

  if (query.q !== undefined) {
    const q = param(query.q.toLowerCase());
    where.push(`(strpos(lower(u.name), ${q}) > 0 or strpos(lower(u.email), ${q}) > 0)`);
  }
  if (query.role !== undefined) where.push(ROLE_CONDITIONS[query.role]);
  if (query.hasSeat !== undefined) where.push(`${HOLDS_SEAT} = ${param(query.hasSeat)}`);
  if (query.tokenActive !== undefined) {
    where.push(`${TOKEN_ACTIVE} = ${param(query.tokenActive)}`);
  }
  if (query.userIds !== undefined) where.push(`m.user_id = any(${param(query.userIds)}::text[])`);
  if (query.after !== undefined) {
    const joined = param(query.after.joinedKey);
    const user = param(query.after.userId);
    where.push(`(m.joined_at, m.user_id) > (${joined}::timestamptz, ${user}::text)`);
  }

  return { where, params };
}

/**
 * A page of members in the order (joined_at, user_id), after the cursor's position, in one
 * query. The page's members are chosen first, from members and accounts alone with the
 * filters as indexed EXISTS tests, so the members_by_join index can give the order; only the
 * chosen rows then get their seats and token, from lateral lookups on indexed keys. That keeps
 * the cost of a page the same at the first member as at the ten-thousandth, and keeps a plan
 * made without table statistics from joining every member's seats before sorting.
 * The token is the member's active one, if any (a reissued or ended token no longer counts):
 * active when they also hold a seat whose subscription is live at T (active, or cancelled and
 * inside its paid period), inactive when they do not; none without one.
 */
export async function selectMembers(q: Queryable, query: MemberQuery): Promise<MemberRow[]> {
  const { where, params } = conditions(query);
  const limit = `$${params.push(query.limit)}`;

  const result = await q.query<MemberRow>(
    `with page as (
       select m.org_id, m.user_id, u.name, u.email, m.is_owner, m.is_account_admin,
              m.is_billing_admin, m.joined_at
         from members m
         join "user" u on u.id = m.user_id
        where ${where.join("\n          and ")}
        order by m.joined_at, m.user_id
        limit ${limit}
     )
     select m.org_id as "orgId", m.user_id as "userId", m.name, m.email,
            m.is_owner as "isOwner", m.is_account_admin as "isAccountAdmin",
            m.is_billing_admin as "isBillingAdmin", m.joined_at as "joinedAt",
            ${exactTimestamp("m.joined_at")} as "joinedKey", seat.list as seats,
            case
              when t.token_id is null then 'none'
              when seat.covered then 'active'
              else 'inactive'
            end as "tokenStatus",
            t.last_used_at as "lastUsedAt", coalesce(t.uses, 0) as "usesToday"
       from page m
       cross join lateral (
         select coalesce(jsonb_agg(jsonb_build_object(
                  'product', s.product,
                  'assignedAt', to_char(s.assigned_at at time zone 'UTC',
                                        'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                ) order by s.product), '[]'::jsonb) as list,
                coalesce(bool_or(${LIVE}), false) as covered
           from seats s
           join subscriptions sub
             on sub.org_id = s.org_id and sub.subscription_id = s.subscription_id
          where s.org_id = m.org_id and s.user_id = m.user_id
       ) seat
       left join lateral (
         select tk.token_id, tk.last_used_at, d.uses
           from tokens tk
           left join token_daily_uses d
                  on d.org_id = tk.org_id and d.token_id = tk.token_id
                 and d.day = ($2::timestamptz at time zone 'UTC')::date
          where tk.org_id = m.org_id and tk.user_id = m.user_id and tk.status = 'active'
          limit 1
       ) t on true
      order by m.joined_at, m.user_id`,
    params,
  );

  return result.rows;
}

/** A member with their account's name and address; `lock` takes the member row's lock. */
export async function findMember(
  q: Queryable,
  orgId: string,
  userId: string,
  lock = false,
): Promise<(Membership & { name: string; email: string }) | null> {
  const result = await q.query<Membership & { name: string; email: string }>(
    `select m.org_id as "orgId", m.user_id as "userId", m.is_owner as "isOwner",
            m.is_account_admin as "isAccountAdmin", m.is_billing_admin as "isBillingAdmin",
            u.name, u.email
       from members m
       join "user" u on u.id = m.user_id
      where m.org_id = $1 and m.user_id = $2
      ${lock ? "for update of m" : ""}`,
    [orgId, userId],
  );

  return result.rows[0] ?? null;
}

/** How many owners the organization has; call it under the organization's row lock. */
export async function countOwners(q: Queryable, orgId: string): Promise<number> {
  const result = await q.query<{ owners: number }>(
    `select count(*)::int as owners from members where org_id = $1 and is_owner`,
    [orgId],
  );

  return result.rows[0]?.owners ?? 0;
}

/** Writes a member's role flags. */
export async function setRoles(
  tx: Queryable,
  member: Pick<Membership, "orgId" | "userId" | "isOwner" | "isAccountAdmin" | "isBillingAdmin">,
): Promise<void> {
  await tx.query(
    `update members set is_owner = $3, is_account_admin = $4, is_billing_admin = $5
      where org_id = $1 and user_id = $2`,
    [member.orgId, member.userId, member.isOwner, member.isAccountAdmin, member.isBillingAdmin],
  );
}

/**
 * Ends a membership at once: the member's seats are deleted, their active token is ended (the
 * check answers token.inactive from then on), and the member row goes. Call it holding the
 * member row's lock. Answers the products whose seats were freed and whether a token was
 * ended.
 */
export async function endMembership(
  tx: Queryable,
  orgId: string,
  userId: string,
  at: Date,
): Promise<{ products: string[]; tokenEnded: boolean }> {
  const seats = await tx.query<{ product: string }>(
    `delete from seats where org_id = $1 and user_id = $2 returning product`,
    [orgId, userId],
  );
  const ended = await endTokensWithoutSeats(tx, orgId, [userId], at);
  await tx.query(`delete from members where org_id = $1 and user_id = $2`, [orgId, userId]);

  return { products: seats.rows.map((row) => row.product).sort(), tokenEnded: ended.length > 0 };
}
