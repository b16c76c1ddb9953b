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

/** A new person who owns a new organization and holds a seat of `product` there. */
export async function seatedMember(server: TestServer, product = "conda") {
  const member = await person(server, "member");
  const orgId = await organization(server, member);
  const subscriptionId = await subscription(server, orgId, 5, product);
  await seat(server, orgId, subscriptionId, member, product);

  return { member, orgId, subscriptionId };
}

/** The secret in the latest invitation link mailed to `to` from `orgId`, once delivered. */
export async function invitationSecret(server: TestServer, to: string, orgId: string) {
  await server.deliverMail();
  const mail = server.smtp
    .to(to)
    .filter((m) => m.subject.includes(orgId))
    .at(-1);
  const link = mail?.links.find((l) => l.includes("/invite/"));
  if (!link) throw new Error(`no invitation mail to ${to} from ${orgId}`);

  return link.slice(link.indexOf("/invite/") + "/invite/".length);
}

/**
 * `count` members of an organization without roles, written straight to the database (no
 * sign-up, no session): for tests that only need people to hand seats to.
 */
export async function plainMembers(server: TestServer, orgId: string, count: number) {
  const tag = unique();
  const people = Array.from({ length: count }, (_, i) => ({
    userId: `user-${tag}-${i}`,
    name: `Member ${i} ${tag}`,
    email: `member-${tag}-${i}@example.com`,
  }));
  await server.tessera.ctx.db.query(
    `with added as (
       insert into "user" (id, name, email, "emailVerified")
       select id, name, email, true
         from unnest($1::text[], $2::text[], $3::text[]) as t(id, name, email)
       returning id
     )
     insert into members (org_id, user_id) select $4, id from added`,
    [people.map((p) => p.userId), people.map((p) => p.name), people.map((p) => p.email), orgId],
  );

  return people;
}
