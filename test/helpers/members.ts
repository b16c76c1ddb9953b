import { expect } from "vitest";
import { addMember, person, type Person, type Roles } from "./fixtures.ts";
import type { TestServer } from "./server.ts";

/** Set-up and look-ups for the organization, member and audit tests. */

/** A new person added to the organization with the given roles. */
export async function memberOf(
  server: TestServer,
  orgId: string,
  roles: Roles = {},
  label = "member",
): Promise<Person> {
  const someone = await person(server, label);
  await addMember(server, orgId, someone, roles);

  return someone;
}

/** A token row for the member, as the token service would leave it; answers its token ID. */
export async function tokenRow(
  server: TestServer,
  orgId: string,
  who: Person,
  status = "active",
  lastUsedAt: Date | null = null,
): Promise<string> {
  const result = await server.tessera.ctx.db.query<{ id: string }>(
    `insert into tokens (org_id, user_id, hint, status, last_used_at)
     values ($1, $2, 'abcd', $3, $4)
     returning token_id as id`,
    [orgId, who.userId, status, lastUsedAt],
  );

  return result.rows[0]?.id ?? "";
}

/** The user IDs of the organization's members, and of its owners. */
export async function membersOf(server: TestServer, orgId: string) {
  const result = await server.tessera.ctx.db.query<{ userId: string; isOwner: boolean }>(
    `select user_id as "userId", is_owner as "isOwner" from members where org_id = $1
      order by user_id`,
    [orgId],
  );

  return {
    all: result.rows.map((row) => row.userId),
    owners: result.rows.filter((row) => row.isOwner).map((row) => row.userId),
  };
}

/** How many rows of `table` belong to the organization. */
export async function rowsOf(server: TestServer, table: string, orgId: string): Promise<number> {
  const result = await server.tessera.ctx.db.query<{ n: number }>(
    `select count(*)::int as n from ${table} where org_id = $1`,
    [orgId],
  );

  return result.rows[0]?.n ?? -1;
}

/** The organization's audit events as listAuditEvents answers them. */
export async function auditEvents(who: Person, orgId: string, query = ""): Promise<any[]> {
  const answer = await who.client.get(`/api/v1/organizations/${orgId}/audit-events${query}`);
  expect(answer.status).toBe(200);

  return answer.body.events;
}
