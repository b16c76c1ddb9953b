import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  organization,
  person,
  plainMembers,
  seat,
  subscription,
  type Person,
} from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { processDueSubscriptions } from "../billing/renewals.ts";
import { assignSeatsInTransaction } from "./service.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const DAY = 86_400_000;
const orgPath = (orgId: string) => `/api/v1/organizations/${orgId}`;

async function owned() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId, client: owner.client };
}

async function seatCount(orgId: string): Promise<number> {
  const result = await server.tessera.ctx.db.query<{ count: number }>(
    `select count(*)::int as count from seats where org_id = $1`,
    [orgId],
  );

  return result.rows[0]?.count ?? -1;
}

function assign(client: Person["client"], orgId: string, userIds: string[], product = "conda") {
  return client.post(`${orgPath(orgId)}/seats`, { product, userIds });
}

describe("assignSeat", () => {
  it.each([1, 2, 3])(
    "gives exactly 5 of 20 racing members a seat when 5 are free (round %i)",
    async () => {
      const { orgId, client } = await owned();
      await subscription(server, orgId, 5);
      const members = await plainMembers(server, orgId, 20);

      const answers = await Promise.all(members.map((m) => assign(client, orgId, [m.userId])));

      const won = answers.filter((a) => a.status === 200);
      const lost = answers.filter((a) => a.status !== 200);
      expect(won).toHaveLength(5);
      expect(won.map((a) => a.body.results[0].outcome)).toEqual(Array(5).fill("assigned"));
      expect(lost.map((a) => [a.status, a.body.error.code])).toEqual(
        Array(15).fill([409, "seat.limit_reached"]),
      );
      expect(await seatCount(orgId)).toBe(5);
    },
  );

  it("answers per member, with an error for each failure", async () => {
    const { orgId, client } = await owned();
    await subscription(server, orgId, 2);
    const [a, b, c] = await plainMembers(server, orgId, 3);
    const stranger = await person(server, "stranger");

    const first = await assign(client, orgId, [a!.userId, stranger.userId, b!.userId, c!.userId]);

    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([
      { userId: a!.userId, outcome: "assigned" },
      {
        userId: stranger.userId,
        outcome: "not_member",
        error: { code: "member.not_found", message: "No such member in this organization." },
      },
      { userId: b!.userId, outcome: "assigned" },
      {
        userId: c!.userId,
        outcome: "limit_reached",
        error: {
          code: "seat.limit_reached",
          message: "Every seat of this product is taken; buy more seats.",
        },
      },
    ]);
    expect(await seatCount(orgId)).toBe(2);
  });

  it("answers 409 with the first failure's code when every member failed", async () => {
    const { orgId, client } = await owned();
    const subscriptionId = await subscription(server, orgId, 1);
    const [a, b] = await plainMembers(server, orgId, 2);
    await server.tessera.ctx.db.query(
      `insert into seats (org_id, product, user_id, subscription_id) values ($1, 'conda', $2, $3)`,
      [orgId, a!.userId, subscriptionId],
    );

    const answer = await assign(client, orgId, [a!.userId, b!.userId]);

    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe("seat.already_assigned");
    expect(answer.body.error.details.results.map((r: any) => r.outcome)).toEqual([
      "already_assigned",
      "limit_reached",
    ]);

    const stranger = await assign(client, orgId, ["no-such-user"]);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe("member.not_found");
  });

  it("refuses a product the organization has no subscription for", async () => {
    const { orgId, client } = await owned();
    await subscription(server, orgId, 3, "conda");
    const [a] = await plainMembers(server, orgId, 1);

    const answer = await assign(client, orgId, [a!.userId], "mamba");

    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({
      code: "seat.no_subscription",
      details: { results: [{ userId: a!.userId, outcome: "no_subscription" }] },
    });
  });

  it("mails each newly seated member and audits each assignment", async () => {
    const { owner, orgId, client } = await owned();
    await subscription(server, orgId, 3);
    const member = await person(server, "seated");
    await addMember(server, orgId, member);

    const answer = await assign(client, orgId, [member.userId]);
    expect(answer.status).toBe(200);

    await server.deliverMail();
    const mail = await server.smtp.waitFor(member.email, /seat in/);
    expect(mail.subject).toBe(`You have a conda seat in Organization ${orgId}`);
    expect(mail.links).toContain(`${server.url}/orgs/${orgId}/token`);
    expect(mail.text).toContain("Hello seated,");

    const audit = await server.tessera.ctx.db.query(
      `select actor_id as "actorId", action, target_id as "targetId", details->>'product' as product
         from audit_events where org_id = $1 and action = 'seat.assigned'`,
      [orgId],
    );
    expect(audit.rows).toEqual([
      { actorId: owner.userId, action: "seat.assigned", targetId: member.userId, product: "conda" },
    ]);
  });

  it("accepts no assignment above a pending decrease", async () => {
    const { orgId, client } = await owned();
    const subscriptionId = await subscription(server, orgId, 3);
    const [a, b, c] = await plainMembers(server, orgId, 3);
    await assign(client, orgId, [a!.userId]);

    const lowered = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      seats: 2,
    });
    expect(lowered.body.subscription).toMatchObject({ seats: 3, nextPeriodSeats: 2 });

    const answer = await assign(client, orgId, [b!.userId, c!.userId]);
    expect(answer.body.results.map((r: any) => r.outcome)).toEqual(["assigned", "limit_reached"]);
    expect(await seatCount(orgId)).toBe(2);
  });

  it("still seats members of a cancelled subscription until its period ends", async () => {
    const { orgId, client } = await owned();
    const subscriptionId = await subscription(server, orgId, 3);
    const [a] = await plainMembers(server, orgId, 1);
    await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, { cancel: true });

    const answer = await assign(client, orgId, [a!.userId]);

    expect(answer.body.results).toEqual([{ userId: a!.userId, outcome: "assigned" }]);
  });

  it("leaves no seats behind a lapsed subscription", async () => {
    const { orgId, client } = await owned();
    const subscriptionId = await subscription(server, orgId, 3);
    const [a, b] = await plainMembers(server, orgId, 2);
    await assign(client, orgId, [a!.userId, b!.userId]);
    await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, { cancel: true });

    server.clock.advance(31 * DAY);
    await processDueSubscriptions(server.tessera.ctx);

    expect(await seatCount(orgId)).toBe(0);
    const listed = await client.get(`${orgPath(orgId)}/seats`);
    expect(listed.body.seats).toEqual([]);
    const again = await assign(client, orgId, [a!.userId]);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("seat.no_subscription");
  });

  it("is callable inside another transaction, as invitation acceptance does", async () => {
    const { orgId } = await owned();
    await subscription(server, orgId, 1);
    const [a, b] = await plainMembers(server, orgId, 2);
    const { ctx } = server.tessera;

    const results = await ctx.db.transaction((tx) =>
      assignSeatsInTransaction(tx, ctx, {
        orgId,
        product: "conda",
        userIds: [a!.userId, b!.userId, a!.userId],
        actorId: null,
      }),
    );

    expect(results).toEqual([
      { userId: a!.userId, outcome: "assigned" },
      { userId: b!.userId, outcome: "limit_reached" },
    ]);
  });
});

describe("revokeSeat and listSeats", () => {
  it("revokes a seat, audits it, frees it, and answers seat.not_found then", async () => {
    const { owner, orgId, client } = await owned();
    await subscription(server, orgId, 1);
    const [a, b] = await plainMembers(server, orgId, 2);
    await assign(client, orgId, [a!.userId]);

    const revoked = await client.delete(`${orgPath(orgId)}/seats/conda/${a!.userId}`);
    expect(revoked.status).toBe(204);
    const twice = await client.delete(`${orgPath(orgId)}/seats/conda/${a!.userId}`);
    expect(twice.status).toBe(404);
    expect(twice.body.error.code).toBe("seat.not_found");

    const audit = await server.tessera.ctx.db.query(
      `select actor_id as "actorId", target_id as "targetId" from audit_events
        where org_id = $1 and action = 'seat.revoked'`,
      [orgId],
    );
    expect(audit.rows).toEqual([{ actorId: owner.userId, targetId: a!.userId }]);

    const reassigned = await assign(client, orgId, [b!.userId]);
    expect(reassigned.body.results).toEqual([{ userId: b!.userId, outcome: "assigned" }]);
  });

  it("lists seats with their holders, optionally of one product", async () => {
    const { orgId, client } = await owned();
    const conda = await subscription(server, orgId, 3, "conda");
    const mamba = await subscription(server, orgId, 3, "mamba");
    const member = await person(server, "holder");
    await addMember(server, orgId, member);
    await seat(server, orgId, conda, member, "conda");
    await seat(server, orgId, mamba, member, "mamba");

    const all = await client.get(`${orgPath(orgId)}/seats`);
    expect(all.status).toBe(200);
    expect(all.body.seats).toEqual([
      {
        product: "conda",
        userId: member.userId,
        name: "holder",
        email: member.email.toLowerCase(),
        assignedAt: expect.any(String),
      },
      {
        product: "mamba",
        userId: member.userId,
        name: "holder",
        email: member.email.toLowerCase(),
        assignedAt: expect.any(String),
      },
    ]);

    const one = await client.get(`${orgPath(orgId)}/seats?product=mamba`);
    expect(one.body.seats.map((s: any) => s.product)).toEqual(["mamba"]);
  });
});

describe("seat authorization", () => {
  interface Cast {
    orgId: string;
    /** Holds a seat from the start, for revokeSeat. */
    holder: string;
    /** Holds none, for assignSeat. */
    seatless: string;
    plain: Person;
    accountAdmin: Person;
    billingAdmin: Person;
    outsider: Person;
  }

  let cast: Cast;

  beforeAll(async () => {
    const { orgId } = await owned();
    const [plain, accountAdmin, billingAdmin, outsider] = [
      await person(server, "plain"),
      await person(server, "account-admin"),
      await person(server, "billing-admin"),
      await person(server, "outsider"),
    ];
    await addMember(server, orgId, plain);
    await addMember(server, orgId, accountAdmin, { accountAdmin: true });
    await addMember(server, orgId, billingAdmin, { billingAdmin: true });
    const subscriptionId = await subscription(server, orgId, 50);
    const [holder, seatless] = await plainMembers(server, orgId, 2);
    await server.tessera.ctx.db.query(
      `insert into seats (org_id, product, user_id, subscription_id) values ($1, 'conda', $2, $3)`,
      [orgId, holder!.userId, subscriptionId],
    );
    cast = {
      orgId,
      holder: holder!.userId,
      seatless: seatless!.userId,
      plain,
      accountAdmin,
      billingAdmin,
      outsider,
    };
  });

  const client = (p: Person | null) => p?.client ?? server.client();

  const routes = [
    {
      name: "listSeats",
      call: (p: Person | null, c: Cast) => client(p).get(`${orgPath(c.orgId)}/seats`),
      refused: ["plain"],
      allowed: ["accountAdmin", "billingAdmin"],
      status: 200,
    },
    {
      name: "assignSeat",
      call: (p: Person | null, c: Cast) =>
        client(p).post(`${orgPath(c.orgId)}/seats`, { product: "conda", userIds: [c.seatless] }),
      refused: ["plain", "billingAdmin"],
      allowed: ["accountAdmin"],
      status: 200,
    },
    {
      name: "revokeSeat",
      call: (p: Person | null, c: Cast) =>
        client(p).delete(`${orgPath(c.orgId)}/seats/conda/${c.holder}`),
      refused: ["plain", "billingAdmin"],
      allowed: ["accountAdmin"],
      status: 204,
    },
  ] as const;

  it.each(routes)("$name: 401, 404, 403, then allowed", async (route) => {
    const anonymous = await route.call(null, cast);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "auth.required"]);

    const outsider = await route.call(cast.outsider, cast);
    expect([outsider.status, outsider.body.error.code]).toEqual([404, "organization.not_found"]);

    for (const role of route.refused) {
      const refused = await route.call(cast[role], cast);
      expect([refused.status, refused.body.error.code]).toEqual([403, "organization.forbidden"]);
    }

    for (const role of route.allowed) {
      expect((await route.call(cast[role], cast)).status).toBe(route.status);
    }
  });
});
