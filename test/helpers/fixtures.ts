import { randomBytes } from "node:crypto";
import type { Client } from "./client.ts";
import { signUpVerified } from "./people.ts";
import type { TestServer } from "./server.ts";

/**
 * Direct database set-up for tests of one module, so a test of seats need not drive the whole
 * invitation flow first. Each writes rows the way the services do; flows themselves are tested
 * over HTTP elsewhere.
 */

export interface Person {
  client: Client;
  userId: string;
  email: string;
}

/** A unique suffix, so each test's people and organizations are its own. */
export function unique(): string {
  return randomBytes(4).toString("hex");
}

export async function person(server: TestServer, label = "user"): Promise<Person> {
  const email = `${label}-${unique()}@example.com`;
  const client = await signUpVerified(server, email, label);
  const me = await client.get("/api/v1/auth/me");

  return { client, userId: me.body.user.id as string, email };
}

export interface Roles {
  owner?: boolean;
  accountAdmin?: boolean;
  billingAdmin?: boolean;
}

/** An organization with `owner` as its owner and account admin. */
export async function organization(server: TestServer, owner: Person, orgId = `org-${unique()}`) {
  const db = server.tessera.ctx.db;
  await db.query(`insert into organizations (org_id, name, created_by) values ($1, $2, $3)`, [
    orgId,
    `Organization ${orgId}`,
    owner.userId,
  ]);
  await addMember(server, orgId, owner, { owner: true, accountAdmin: true });

  return orgId;
}

export async function addMember(
  server: TestServer,
  orgId: string,
  member: Person,
  roles: Roles = {},
) {
  await server.tessera.ctx.db.query(
    `insert into members (org_id, user_id, is_owner, is_account_admin, is_billing_admin)
     values ($1, $2, $3, $4, $5)`,
    [
      orgId,
      member.userId,
      roles.owner ?? false,
      roles.accountAdmin ?? false,
      roles.billingAdmin ?? false,
    ],
  );
}

/** A live subscription of `seats` seats for `product`, its period running from the clock's now. */
export async function subscription(
  server: TestServer,
  orgId: string,
  seats: number,
  product = "conda",
) {
  const start = server.clock.now();
  const end = new Date(start.getTime() + 30 * 86_400_000);
  const result = await server.tessera.ctx.db.query<{ id: string }>(
    `insert into subscriptions (org_id, plan_id, product, period, price_per_seat, currency, seats,
                                current_period_start, current_period_end)
     values ($1, 'conda-team-monthly', $2, 'month', 1500, 'USD', $3, $4, $5)
     returning subscription_id as id`,
    [orgId, product, seats, start, end],
  );

  return result.rows[0]?.id as string;
}

export async function seat(
  server: TestServer,
  orgId: string,
  subscriptionId: string,
  member: Person,
  product = "conda",
) {
  await server.tessera.ctx.db.query(
    `insert into seats (org_id, product, user_id, subscription_id) values ($1, $2, $3, $4)`,
    [orgId, product, member.userId, subscriptionId],
  );
}
