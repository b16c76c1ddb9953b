import type { Queryable } from "../db/database.ts";

/**
 * A seat counts while its subscription is live at `$at`: active, or cancelled and still
 * inside its paid period. `sub` is the subscriptions alias; `$at` the parameter holding T.
 */
function liveSubscription(at: string): string {
  return `(sub.status = 'active' or (sub.status = 'cancelled' and sub.current_period_end > ${at}))`;
}

/** The products a member holds a seat of whose subscription is live at `at`, sorted. */
export async function liveProducts(
  q: Queryable,
  orgId: string,
  userId: string,
  at: Date,
): Promise<string[]> {
  const result = await q.query<{ product: string }>(
    `select s.product
       from seats s
       join subscriptions sub on sub.org_id = s.org_id and sub.subscription_id = s.subscription_id
      where s.org_id = $1 and s.user_id = $2 and ${liveSubscription("$3")}
      order by s.product`,
    [orgId, userId, at],
  );

  return result.rows.map((row) => row.product);
}

export interface ActiveToken {
  tokenId: string;
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The member's active token row in the organization, if any; `lock` takes a row lock. */
export async function findActiveToken(
  q: Queryable,
  orgId: string,
  userId: string,
  lock = false,
): Promise<ActiveToken | null> {
  const result = await q.query<ActiveToken>(
    `select token_id as "tokenId", hint, created_at as "createdAt", last_used_at as "lastUsedAt"
       from tokens
      where org_id = $1 and user_id = $2 and status = 'active'
      ${lock ? "for update" : ""}`,
    [orgId, userId],
  );

  return result.rows[0] ?? null;
}

export interface NewToken {
  orgId: string;
  userId: string;
  hint: string;
  hash: Buffer;
  at: Date;
}

/** Inserts an active token and its hash; answers its token ID. */
export async function insertToken(tx: Queryable, token: NewToken): Promise<string> {
  const result = await tx.query<{ tokenId: string }>(
    `with inserted as (
       insert into tokens (org_id, user_id, hint, created_at)
       values ($1, $2, $3, $5)
       returning org_id, token_id
     )
     insert into token_hashes (token_hash, org_id, token_id)
     select $4::bytea, org_id, token_id from inserted
     returning token_id as "tokenId"`,
    [token.orgId, token.userId, token.hint, token.hash, token.at],
  );

  return result.rows[0]?.tokenId ?? "";
}

/**
 * Marks a token reissued: the check refuses it at once. Its hash row stays, so the check can
 * still tell a reissued token from one that never existed.
 */
export async function markReissued(
  tx: Queryable,
  orgId: string,
  tokenId: string,
  at: Date,
): Promise<void> {
  await tx.query(
    `update tokens set status = 'reissued', ended_at = $3
      where org_id = $1 and token_id = $2 and status = 'active'`,
    [orgId, tokenId, at],
  );
}

/**
 * Ends, at `at`, the active tokens of those of `userIds` who hold no seat in the organization
 * any more, in one statement: the check answers token.inactive from then on, and a seat given
 * later does not bring such a token back; the member activates a new one. Call it after the
 * seats are deleted, holding the members' row locks (which activation and reissue take too),
 * so a token made meanwhile is seen. Answers the members whose token was ended.
 */
export async function endTokensWithoutSeats(
  tx: Queryable,
  orgId: string,
  userIds: readonly string[],
  at: Date,
): Promise<string[]> {
  const result = await tx.query<{ userId: string }>(
    `update tokens t set status = 'ended', ended_at = $3
      where t.org_id = $1 and t.user_id = any($2::text[]) and t.status = 'active'
        and not exists (select 1 from seats s where s.org_id = t.org_id and s.user_id = t.user_id)
     returning t.user_id as "userId"`,
    [orgId, userIds, at],
  );

  return result.rows.map((row) => row.userId).sort();
}

/** The organization's display name, for mail. */
export async function organizationName(q: Queryable, orgId: string): Promise<string> {
  const result = await q.query<{ name: string }>(
    `select name from organizations where org_id = $1`,
    [orgId],
  );

  return result.rows[0]?.name ?? orgId;
}

/**
 * The longest a check waits for its lookup. nginx gives up on the check after 5 s; a lookup
 * hung on a server that stopped answering would hold its place among the checks in flight.
 */
const LOOKUP_TIMEOUT_MS = 2_000;

export interface TokenStanding {
  orgId: string;
  tokenId: string;
  status: "active" | "reissued" | "revoked" | "ended";
  isMember: boolean;
  products: string[];
  /** The earliest end of a cancelled subscription among those products: the answer changes then. */
  liveUntil: Date | null;
}

/**
 * Everything the check needs about a token, in one indexed query: the hash is the primary key
 * of token_hashes, so no secret is compared outside the index; then the token, the membership,
 * and the products of the member's seats whose subscription is live at `at`.
 */
export async function findTokenStanding(
  q: Queryable,
  hash: Buffer,
  at: Date,
): Promise<TokenStanding | null> {
  const result = await q.query<TokenStanding>(
    `select t.org_id as "orgId", t.token_id as "tokenId", t.status,
            bool_or(m.user_id is not null) as "isMember",
            coalesce(array_agg(s.product order by s.product)
                       filter (where sub.subscription_id is not null), '{}') as products,
            min(sub.current_period_end) filter (where sub.status = 'cancelled') as "liveUntil"
       from token_hashes h
       join tokens t on t.org_id = h.org_id and t.token_id = h.token_id
       left join members m on m.org_id = t.org_id and m.user_id = t.user_id
       left join seats s on s.org_id = m.org_id and s.user_id = m.user_id
       left join subscriptions sub
              on sub.org_id = s.org_id and sub.subscription_id = s.subscription_id
             and ${liveSubscription("$2")}
      where h.token_hash = $1
      group by t.org_id, t.token_id`,
    [hash, at],
    { name: "token_standing", timeoutMs: LOOKUP_TIMEOUT_MS },
  );

  return result.rows[0] ?? null;
}

/** How many checks a token passed on `day` (UTC), as flushed so far. */
export async function usesOn(q: Queryable, orgId: string, tokenId: string, day: Date) {
  const result = await q.query<{ uses: number }>(
    `select uses from token_daily_uses
      where org_id = $1 and token_id = $2 and day = ($3::timestamptz at time zone 'UTC')::date`,
    [orgId, tokenId, day],
  );

  return result.rows[0]?.uses ?? 0;
}
