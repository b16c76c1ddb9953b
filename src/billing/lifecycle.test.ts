import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person, plainMembers } from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { processDueSubscriptions } from "./renewals.ts";

// Each test sets the clock to a date of its own, later than any other test's, so the periods
// are known dates; the clock only ever moves forward.

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

async function auditActions(orgId: string): Promise<string[]> {
  const result = await server.tessera.ctx.db.query<{ action: string }>(
    `select action from audit_events where org_id = $1 order by event_id`,
    [orgId],
  );

  return result.rows.map((row) => row.action);
}

describe("subscription lifecycle", () => {
  it("buys, adds a prorated seat, lowers next period, renews, cancels and lapses", async () => {
    server.clock.set(new Date("2030-03-10T12:00:00.000Z"));
    const { orgId, client } = await owned();
    const [m0, m1, m2] = await plainMembers(server, orgId, 3);

    const bought = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-monthly",
      seats: 2,
    });
    expect(bought.status).toBe(201);
    const subscriptionId = bought.body.subscription.subscriptionId as string;
    expect(bought.body).toEqual({
      subscription: {
        subscriptionId,
        planId: "conda-team-monthly",
        product: "conda",
        period: "month",
        pricePerSeat: 1500,
        currency: "USD",
        seats: 2,
        nextPeriodSeats: null,
        seatsInUse: 0,
        status: "active",
        currentPeriodStart: "2030-03-10T12:00:00.000Z",
        currentPeriodEnd: "2030-04-10T12:00:00.000Z",
        costPerPeriod: 3000,
      },
      invoice: {
        invoiceId: expect.any(String),
        subscriptionId,
        kind: "purchase",
        description: "Team, monthly: 2 seats of conda",
        seats: 2,
        unitPrice: 1500,
        amount: 3000,
        currency: "USD",
        periodStart: "2030-03-10T12:00:00.000Z",
        periodEnd: "2030-04-10T12:00:00.000Z",
        issuedAt: "2030-03-10T12:00:00.000Z",
      },
    });

    const assigned = await client.post(`${orgPath(orgId)}/seats`, {
      product: "conda",
      userIds: [m0?.userId, m1?.userId],
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.results.map((r: any) => r.outcome)).toEqual(["assigned", "assigned"]);

    // Half-way through the 31-day period: 16 of its 31 days remain.
    server.clock.advance(15 * DAY);
    const added = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      seats: 3,
    });
    expect(added.status).toBe(200);
    const start = Date.parse("2030-03-10T12:00:00.000Z");
    const end = Date.parse("2030-04-10T12:00:00.000Z");
    const now = server.clock.now().getTime();
    expect(Math.round((1500 * (end - now)) / (end - start))).toBe(774);
    expect(added.body.invoice).toEqual({
      invoiceId: expect.any(String),
      subscriptionId,
      kind: "seats_added",
      description: "Team, monthly: 1 seat of conda added for the rest of the period",
      seats: 1,
      unitPrice: 1500,
      amount: 774,
      currency: "USD",
      periodStart: "2030-03-25T12:00:00.000Z",
      periodEnd: "2030-04-10T12:00:00.000Z",
      issuedAt: "2030-03-25T12:00:00.000Z",
    });
    expect(added.body.subscription).toMatchObject({
      seats: 3,
      nextPeriodSeats: null,
      seatsInUse: 2,
      costPerPeriod: 4500,
    });

    const belowInUse = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      seats: 1,
    });
    expect(belowInUse.status).toBe(409);
    expect(belowInUse.body.error).toMatchObject({
      code: "subscription.below_seats_in_use",
      details: { seatsInUse: 2 },
    });

    const lowered = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      seats: 2,
    });
    expect(lowered.status).toBe(200);
    expect(lowered.body.invoice).toBeNull();
    expect(lowered.body.subscription).toMatchObject({
      seats: 3,
      nextPeriodSeats: 2,
      seatsInUse: 2,
      costPerPeriod: 4500,
    });

    // The third seat is paid for this period, but the pending decrease leaves no room.
    const third = await client.post(`${orgPath(orgId)}/seats`, {
      product: "conda",
      userIds: [m2?.userId],
    });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe("seat.limit_reached");

    server.clock.set(new Date("2030-04-10T12:00:00.000Z"));
    await processDueSubscriptions(server.tessera.ctx);

    const renewed = await client.get(`${orgPath(orgId)}/subscriptions`);
    expect(renewed.status).toBe(200);
    expect(renewed.body.subscriptions).toEqual([
      {
        ...bought.body.subscription,
        seats: 2,
        nextPeriodSeats: null,
        seatsInUse: 2,
        currentPeriodStart: "2030-04-10T12:00:00.000Z",
        currentPeriodEnd: "2030-05-10T12:00:00.000Z",
        costPerPeriod: 3000,
      },
    ]);

    const invoices = await client.get(`${orgPath(orgId)}/invoices`);
    expect(invoices.status).toBe(200);
    expect(invoices.body.invoices.map((i: any) => [i.kind, i.seats, i.amount])).toEqual([
      ["renewal", 2, 3000],
      ["seats_added", 1, 774],
      ["purchase", 2, 3000],
    ]);
    expect(invoices.body.invoices[0]).toEqual({
      invoiceId: expect.any(String),
      subscriptionId,
      kind: "renewal",
      description: "Renewal of Team, monthly: 2 seats of conda",
      seats: 2,
      unitPrice: 1500,
      amount: 3000,
      currency: "USD",
      periodStart: "2030-04-10T12:00:00.000Z",
      periodEnd: "2030-05-10T12:00:00.000Z",
      issuedAt: "2030-04-10T12:00:00.000Z",
    });

    const cancelled = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      cancel: true,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.subscription.status).toBe("cancelled");

    server.clock.set(new Date("2030-05-10T12:00:00.001Z"));
    await processDueSubscriptions(server.tessera.ctx);

    const lapsed = await client.get(`${orgPath(orgId)}/subscriptions`);
    expect(lapsed.body.subscriptions[0]).toMatchObject({
      status: "lapsed",
      seatsInUse: 0,
      currentPeriodEnd: "2030-05-10T12:00:00.000Z",
    });
    const seats = await client.get(`${orgPath(orgId)}/seats`);
    expect(seats.body.seats).toEqual([]);
    const after = await client.get(`${orgPath(orgId)}/invoices`);
    expect(after.body.invoices).toHaveLength(3);

    expect(await auditActions(orgId)).toEqual([
      "subscription.created",
      "seat.assigned",
      "seat.assigned",
      "subscription.updated",
      "subscription.updated",
      "subscription.renewed",
      "subscription.updated",
      "subscription.lapsed",
    ]);

    const tooLate = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      cancel: false,
    });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error.code).toBe("subscription.not_active");

    const again = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-monthly",
      seats: 1,
    });
    expect(again.status).toBe(201);
  });

  it("renews a cancelled subscription that was resumed, clamping Jan 31 to Feb 28", async () => {
    server.clock.set(new Date("2031-01-31T09:30:00.000Z"));
    const { orgId, client } = await owned();
    const bought = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-monthly",
      seats: 1,
    });
    const { subscriptionId, currentPeriodEnd } = bought.body.subscription;
    expect(currentPeriodEnd).toBe("2031-02-28T09:30:00.000Z");

    const path = `${orgPath(orgId)}/subscriptions/${subscriptionId}`;
    const cancelled = await client.patch(path, { cancel: true });
    expect(cancelled.body.subscription.status).toBe("cancelled");
    const resumed = await client.patch(path, { cancel: false });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ subscription: { status: "active" }, invoice: null });

    server.clock.set(new Date("2031-02-28T09:30:00.000Z"));
    await processDueSubscriptions(server.tessera.ctx);

    const listed = await client.get(`${orgPath(orgId)}/subscriptions`);
    expect(listed.body.subscriptions[0]).toMatchObject({
      status: "active",
      currentPeriodStart: "2031-02-28T09:30:00.000Z",
      currentPeriodEnd: "2031-03-28T09:30:00.000Z",
    });
    const invoices = await client.get(`${orgPath(orgId)}/invoices`);
    expect(invoices.body.invoices[0]).toMatchObject({
      kind: "renewal",
      seats: 1,
      amount: 1500,
      periodStart: "2031-02-28T09:30:00.000Z",
      periodEnd: "2031-03-28T09:30:00.000Z",
    });
  });

  it("renews each period the clock jumped over, one invoice each, at pending seats", async () => {
    server.clock.set(new Date("2032-01-31T00:00:00.000Z"));
    const { orgId, client } = await owned();
    const bought = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-monthly",
      seats: 3,
    });
    const { subscriptionId } = bought.body.subscription;
    await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, { seats: 2 });

    server.clock.set(new Date("2032-04-30T00:00:00.000Z"));
    await processDueSubscriptions(server.tessera.ctx);
    // Nothing is left to do for this subscription on a second run.
    await processDueSubscriptions(server.tessera.ctx);

    const invoices = await client.get(`${orgPath(orgId)}/invoices`);
    expect(
      invoices.body.invoices.map((i: any) => [i.kind, i.seats, i.amount, i.periodStart]),
    ).toEqual([
      ["renewal", 2, 3000, "2032-04-29T00:00:00.000Z"],
      ["renewal", 2, 3000, "2032-03-29T00:00:00.000Z"],
      ["renewal", 2, 3000, "2032-02-29T00:00:00.000Z"],
      ["purchase", 3, 4500, "2032-01-31T00:00:00.000Z"],
    ]);
    const listed = await client.get(`${orgPath(orgId)}/subscriptions`);
    expect(listed.body.subscriptions[0]).toMatchObject({
      seats: 2,
      nextPeriodSeats: null,
      currentPeriodStart: "2032-04-29T00:00:00.000Z",
      currentPeriodEnd: "2032-05-29T00:00:00.000Z",
    });
    expect((await auditActions(orgId)).filter((a) => a === "subscription.renewed")).toHaveLength(3);
  });

  it("renews an ended period first when a change arrives before the renewal run", async () => {
    server.clock.set(new Date("2033-06-01T00:00:00.000Z"));
    const { orgId, client } = await owned();
    const bought = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-monthly",
      seats: 2,
    });
    const { subscriptionId } = bought.body.subscription;

    // June has 30 days: the new period runs to Aug 1, 31 days, of which 21 remain.
    server.clock.set(new Date("2033-07-11T00:00:00.000Z"));
    const added = await client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      seats: 3,
    });
    expect(added.status).toBe(200);
    expect(added.body.subscription).toMatchObject({
      seats: 3,
      currentPeriodStart: "2033-07-01T00:00:00.000Z",
      currentPeriodEnd: "2033-08-01T00:00:00.000Z",
    });
    expect(added.body.invoice).toMatchObject({
      kind: "seats_added",
      amount: Math.round((1500 * 21) / 31),
    });

    const invoices = await client.get(`${orgPath(orgId)}/invoices`);
    expect(invoices.body.invoices.map((i: any) => [i.kind, i.amount])).toEqual([
      ["seats_added", 1016],
      ["renewal", 3000],
      ["purchase", 3000],
    ]);
  });

  it("runs a yearly plan for a calendar year, clamping Feb 29", async () => {
    server.clock.set(new Date("2036-02-29T12:00:00.000Z"));
    const { orgId, client } = await owned();
    const bought = await client.post(`${orgPath(orgId)}/subscriptions`, {
      planId: "conda-team-yearly",
      seats: 4,
    });

    expect(bought.status).toBe(201);
    expect(bought.body.subscription).toMatchObject({
      period: "year",
      pricePerSeat: 15000,
      currentPeriodEnd: "2037-02-28T12:00:00.000Z",
      costPerPeriod: 60000,
    });
    expect(bought.body.invoice).toMatchObject({ kind: "purchase", amount: 60000 });
  });

  it("renews each due subscription once when several runs race", async () => {
    server.clock.set(new Date("2038-01-15T00:00:00.000Z"));
    const orgs = await Promise.all([owned(), owned(), owned()]);
    for (const { orgId, client } of orgs) {
      await client.post(`${orgPath(orgId)}/subscriptions`, {
        planId: "conda-team-monthly",
        seats: 1,
      });
    }

    server.clock.set(new Date("2038-03-20T00:00:00.000Z"));
    const { ctx } = server.tessera;
    await Promise.all([
      processDueSubscriptions(ctx),
      processDueSubscriptions(ctx),
      processDueSubscriptions(ctx),
    ]);

    for (const { orgId, client } of orgs) {
      const invoices = await client.get(`${orgPath(orgId)}/invoices`);
      expect(invoices.body.invoices.map((i: any) => [i.kind, i.periodStart])).toEqual([
        ["renewal", "2038-03-15T00:00:00.000Z"],
        ["renewal", "2038-02-15T00:00:00.000Z"],
        ["purchase", "2038-01-15T00:00:00.000Z"],
      ]);
    }
  });
});
