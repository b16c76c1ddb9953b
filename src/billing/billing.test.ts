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

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const orgPath = (orgId: string) => `/api/v1/organizations/${orgId}`;

async function owned() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId, client: owner.client };
}

async function buy(owner: Person, orgId: string, seats: number) {
  const bought = await owner.client.post(`${orgPath(orgId)}/subscriptions`, {
    planId: "conda-team-monthly",
    seats,
  });
  expect(bought.status).toBe(201);

  return bought.body.subscription.subscriptionId as string;
}

describe("plans", () => {
  it("lists the configured plans to anyone, signed in or not", async () => {
    const listed = await server.client().get("/api/v1/plans");

    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      plans: [
        {
          id: "conda-team-monthly",
          product: "conda",
          name: "Team, monthly",
          pricePerSeat: 1500,
          currency: "USD",
          period: "month",
        },
        {
          id: "conda-team-yearly",
          product: "conda",
          name: "Team, yearly",
          pricePerSeat: 15000,
          currency: "USD",
          period: "year",
        },
      ],
    });
  });
});

describe("createSubscription", () => {
  it("refuses an unknown plan", async () => {
    const { orgId, client } = await owned();
    const answer = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "no-such-plan",
      seats: 1,
    });

    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({
      code: "plan.not_found",
      details: { planId: "no-such-plan" },
    });
  });

  it.each([0, -1, 1.5, "2", null, 100_001])("refuses %s seats", async (seats) => {
    const { orgId, client } = await owned();
    const answer = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-monthly",
      seats,
    });

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("request.invalid");
    expect(answer.body.error.details.fields[0].path).toBe("/body/seats");
  });

  it("refuses a second live subscription for the same product", async () => {
    const { owner, orgId, client } = await owned();
    await buy(owner, orgId, 1);
    const second = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-yearly",
      seats: 1,
    });

    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("subscription.exists");
    const listed = await client.get(`${orgPath(orgId)}/subscriptions`);
    expect(listed.body.subscriptions).toHaveLength(1);
    const invoices = await client.get(`${orgPath(orgId)}/invoices`);
    expect(invoices.body.invoices).toHaveLength(1);
  });
});

describe("updateSubscription", () => {
  it("withdraws a pending decrease when asked for the current count", async () => {
    const { owner, orgId, client } = await owned();
    const subscriptionId = await buy(owner, orgId, 4);
    const path = `${orgPath(orgId)}/subscriptions/${subscriptionId}`;

    const lowered = await client.patch(path, { seats: 2 });
    expect(lowered.body.subscription).toMatchObject({ seats: 4, nextPeriodSeats: 2 });
    const withdrawn = await client.patch(path, { seats: 4 });

    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      subscription: { seats: 4, nextPeriodSeats: null },
      invoice: null,
    });
  });

  it("adds seats at once and drops a pending decrease", async () => {
    const { owner, orgId, client } = await owned();
    const subscriptionId = await buy(owner, orgId, 4);
    const path = `${orgPath(orgId)}/subscriptions/${subscriptionId}`;
    await client.patch(path, { seats: 2 });

    const raised = await client.patch(path, { seats: 5 });

    expect(raised.status).toBe(200);
    expect(raised.body.subscription).toMatchObject({
      seats: 5,
      nextPeriodSeats: null,
      costPerPeriod: 7500,
    });
    // Bought a moment ago, so the whole period remains.
    expect(raised.body.invoice).toMatchObject({ kind: "seats_added", seats: 1, amount: 1500 });
  });

  it("reports the seats in use when a decrease goes below them", async () => {
    const { orgId, client } = await owned();
    const subscriptionId = await subscription(server, orgId, 5);
    for (const member of await plainMembers(server, orgId, 3)) {
      await server.tessera.ctx.db.query(
        `insert into seats (org_id, product, user_id, subscription_id) values ($1, $2, $3, $4)`,
        [orgId, "conda", member.userId, subscriptionId],
      );
    }

    const answer = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      seats: 2,
    });

    expect(answer.status).toBe(409);
    expect(answer.body.error).toEqual({
      code: "subscription.below_seats_in_use",
      message: "The seat count cannot go below the seats in use.",
      details: { seatsInUse: 3 },
    });
  });

  it("answers an empty change, an unknown subscription and bad fields", async () => {
    const { owner, orgId, client } = await owned();
    const subscriptionId = await buy(owner, orgId, 1);
    const path = `${orgPath(orgId)}/subscriptions/${subscriptionId}`;

    const empty = await client.patch(path, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("subscription.no_change");

    const unknown = await client.patch(
      `${orgPath(orgId)}/subscriptions/00000000-0000-4000-8000-000000000000`,
      { seats: 2 },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("subscription.not_found");

    const notAnId = await client.patch(`${orgPath(orgId)}/subscriptions/abc`, { seats: 2 });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.error.code).toBe("request.invalid");

    for (const body of [{ seats: 0 }, { seats: -3 }, { seats: 2.5 }, { cancel: "yes" }]) {
      const bad = await client.patch(path, body);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe("request.invalid");
    }
  });

  it("does not reach another organization's subscription", async () => {
    const first = await owned();
    const subscriptionId = await buy(first.owner, first.orgId, 1);
    const second = await owned();

    const answer = await second.client.patch(
      `${orgPath(second.orgId)}/subscriptions/${subscriptionId}`,
      { seats: 3 },
    );

    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("subscription.not_found");
  });
});

describe("listSubscriptions and listInvoices", () => {
  it("shows seats in use and the cost per period", async () => {
    const { owner, orgId, client } = await owned();
    const subscriptionId = await buy(owner, orgId, 3);
    const member = await person(server, "member");
    await addMember(server, orgId, member);
    await seat(server, orgId, subscriptionId, member);

    const listed = await client.get(`${orgPath(orgId)}/subscriptions`);

    expect(listed.status).toBe(200);
    expect(listed.body.subscriptions).toHaveLength(1);
    expect(listed.body.subscriptions[0]).toMatchObject({
      subscriptionId,
      seats: 3,
      seatsInUse: 1,
      costPerPeriod: 4500,
    });
  });
});

describe("billing authorization", () => {
  interface Cast {
    orgId: string;
    subscriptionId: string;
    owner: Person;
    plain: Person;
    accountAdmin: Person;
    billingAdmin: Person;
    outsider: Person;
  }

  let cast: Cast;

  beforeAll(async () => {
    const { owner, orgId } = await owned();
    const [plain, accountAdmin, billingAdmin, outsider] = [
      await person(server, "plain"),
      await person(server, "account-admin"),
      await person(server, "billing-admin"),
      await person(server, "outsider"),
    ];
    await addMember(server, orgId, plain);
    await addMember(server, orgId, accountAdmin, { accountAdmin: true });
    await addMember(server, orgId, billingAdmin, { billingAdmin: true });
    const subscriptionId = await buy(owner, orgId, 2);
    cast = { orgId, subscriptionId, owner, plain, accountAdmin, billingAdmin, outsider };
  });

  const routes = [
    {
      name: "createSubscription",
      call: (p: Person | null, c: Cast) =>
        (p?.client ?? server.client()).post(`${orgPath(c.orgId)}/subscriptions`, {
          planId: "conda-team-yearly",
          seats: 1,
        }),
      // The organization already holds a conda subscription: the permission passed.
      allowed: 409,
    },
    {
      name: "updateSubscription",
      call: (p: Person | null, c: Cast) =>
        (p?.client ?? server.client()).patch(
          `${orgPath(c.orgId)}/subscriptions/${c.subscriptionId}`,
          { seats: 2 },
        ),
      allowed: 200,
    },
    {
      name: "listSubscriptions",
      call: (p: Person | null, c: Cast) =>
        (p?.client ?? server.client()).get(`${orgPath(c.orgId)}/subscriptions`),
      allowed: 200,
    },
    {
      name: "listInvoices",
      call: (p: Person | null, c: Cast) =>
        (p?.client ?? server.client()).get(`${orgPath(c.orgId)}/invoices`),
      allowed: 200,
    },
  ];

  it.each(routes)("$name: 401, 404, 403, then allowed for billing admins", async (route) => {
    const anonymous = await route.call(null, cast);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "auth.required"]);

    const outsider = await route.call(cast.outsider, cast);
    expect([outsider.status, outsider.body.error.code]).toEqual([404, "organization.not_found"]);

    for (const member of [cast.plain, cast.accountAdmin]) {
      const refused = await route.call(member, cast);
      expect([refused.status, refused.body.error.code]).toEqual([403, "organization.forbidden"]);
    }

    for (const member of [cast.billingAdmin, cast.owner]) {
      expect((await route.call(member, cast)).status).toBe(route.allowed);
    }
  });

  it("lets a billing admin buy, and not an account admin or plain member", async () => {
    const { orgId } = await owned();
    const [plain, accountAdmin, billingAdmin] = [
      await person(server, "plain"),
      await person(server, "account-admin"),
      await person(server, "billing-admin"),
    ];
    await addMember(server, orgId, plain);
    await addMember(server, orgId, accountAdmin, { accountAdmin: true });
    await addMember(server, orgId, billingAdmin, { billingAdmin: true });
    const body = { planId: "conda-team-monthly", seats: 1 };

    const byPlain = await plain.client.post(`${orgPath(orgId)}/subscriptions`, body);
    const byAccountAdmin = await accountAdmin.client.post(`${orgPath(orgId)}/subscriptions`, body);
    const byBillingAdmin = await billingAdmin.client.post(`${orgPath(orgId)}/subscriptions`, body);

    expect(byPlain.status).toBe(403);
    expect(byAccountAdmin.status).toBe(403);
    expect(byBillingAdmin.status).toBe(201);
  });
});
