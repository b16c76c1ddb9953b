import type { Queryable } from "../db/database.ts";

/** The token of one of the user's sessions, found by its ID; null for anyone else's. */
export async function findSessionToken(
  q: Queryable,
  userId: string,
  sessionId: string,
): Promise<string | null> {
  const result = await q.query<{ token: string }>(
    `select token from "session" where id = $1 and "userId" = $2`,
    [sessionId, userId],
  );

  return result.rows[0]?.token ?? null;
}

/**
 * Takes the row locks of every organization the user belongs to, in one order so two
 * deletions cannot deadlock: changes that count owners queue at these rows.
 */
export async function lockOrganizationsOf(tx: Queryable, userId: string): Promise<void> {
  await tx.query(
    `select o.org_id
       from organizations o
       join members m on m.org_id = o.org_id
      where m.user_id = $1
      order by o.org_id
        for update of o`,
    [userId],
  );
}

/** The organizations in which the user is the only owner, sorted. */
export async function lastOwnedOrganizations(tx: Queryable, userId: string): Promise<string[]> {
  const result = await tx.query<{ orgId: string }>(
    `select m.org_id as "orgId"
       from members m
      where m.user_id = $1 and m.is_owner
        and not exists (
          select 1 from members other
           where other.org_id = m.org_id and other.is_owner and other.user_id <> m.user_id
        )
      order by m.org_id`,
    [userId],
  );

  return result.rows.map((row) => row.orgId);
}

/** What ending one membership freed: as leaving records it. */
export interface EndedMembership {
  orgId: string;
  products: string[];
  tokenEnded: boolean;
}

/**
 * Ends every membership of the user at `at`, in a fixed number of statements: their seats are
 * deleted, their active tokens end (the check answers token.inactive), and the member rows go.
 */
export async function endAllMemberships(
  tx: Queryable,
  userId: string,
  at: Date,
): Promise<EndedMembership[]> {
  const result = await tx.query<EndedMembership>(
    `with freed as (
       delete from seats where user_id = $1 returning org_id, product
     ), ended as (
       update tokens set status = 'ended', ended_at = $2
        where user_id = $1 and status = 'active'
       returning org_id
     ), left_orgs as (
       delete from members where user_id = $1 returning org_id
     )
     select l.org_id as "orgId",
            coalesce(
              (select array_agg(f.product order by f.product) from freed f
                where f.org_id = l.org_id),
              '{}'
            ) as products,
            exists (select 1 from ended e where e.org_id = l.org_id) as "tokenEnded"
       from left_orgs l
      order by l.org_id`,
    [userId, at],
  );

  return result.rows;
}

/**
 * Deletes the account row; its sessions and password go with it. Pending reset links, which
 * the library keys by the user's ID, go too.
 */
export async function deleteUserRow(tx: Queryable, userId: string): Promise<void> {
  await tx.query(`delete from verification where value = $1`, [userId]);
  await tx.query(`delete from "user" where id = $1`, [userId]);
}
