import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  person,
  seat,
  seatedMember,
  subscription,
  type Person,
} from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { processDueSubscriptions } from "../billing/renewals.ts";

// A token stops for good when its holder's last seat in the organization goes, by revocation
// or by a lapse; a seat given later does not bring it back.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const DAY = 86_400_000;
const orgPath = (orgId: string) => `/api/v1/organizations/${orgId}`;

async function activate(member: Person, orgId: string): Promise<string> {
  const activated = await member.client.post(`${orgPath(orgId)}/token`);
  expect(activated.status).toBe(201);

  return activated.body.token as string;
}

/** The check's answer for a token, as [status, code or products]. */
async function check(token: string) {
  const answer = await server.client().get("/auth/check", { authorization: `Bearer ${token}` });

  return [answer.status, answer.body.error?.code ?? answer.body.products];
}

/** The member's token rows, oldest first. */
async function tokensOf(orgId: string, member: Person) {
  const result = await server.tessera.ctx.db.query<{ status: string; endedAt: Date | null }>(
    `select status, ended_at as "endedAt" from tokens where org_id = $1 and user_id = $2
      order by created_at, token_id`,
    [orgId, member.userId],
  );

  return result.rows;
}

async function revoke(by: Person, orgId: string, product: string, userId: string) {
  const revoked = await by.client.delete(`${orgPath(orgId)}/seats/${product}/${userId}`);
  expect(revoked.status).toBe(204);
}

describe("revokeSeat and the token", () => {
  it("keeps the token while another product's seat remains, ends it with the last", async () => {
    const { member, orgId } = await seatedMember(server, "conda");
    await seat(server, orgId, await subscription(server, orgId, 2, "pypi"), member, "pypi");
    const token = await activate(member, orgId);
    expect(await check(token)).toEqual([200, ["conda", "pypi"]]);

    await revoke(member, orgId, "conda", member.userId);
    expect(await check(token)).toEqual([200, ["pypi"]]);
    expect(await tokensOf(orgId, member)).toEqual([{ status: "active", endedAt: null }]);

    server.clock.advance(60_000);
    await revoke(member, orgId, "pypi", member.userId);
    expect(await check(token)).toEqual([403, "token.inactive"]);
    expect(await tokensOf(orgId, member)).toEqual([
      { status: "ended", endedAt: server.clock.now() },
    ]);

    const audit = await server.tessera.ctx.db.query(
      `select details from audit_events where org_id = $1 and action = 'seat.revoked'
        order by event_id`,
      [orgId],
    );
    expect(audit.rows.map((row: any) => [row.details.product, row.details.tokenEnded])).toEqual([
      ["conda", false],
      ["pypi", true],
    ]);
  });

  it("does not revive the old token with a new seat; activating gives a new one", async () => {
    const { member: admin, orgId } = await seatedMember(server);
    const bo = await person(server, "bo");
    await addMember(server, orgId, bo);
    const given = await admin.client.post(`${orgPath(orgId)}/seats`, {
      product: "conda",
      userIds: [bo.userId],
    });
    expect(given.status).toBe(200);
    const old = await activate(bo, orgId);

    await revoke(admin, orgId, "conda", bo.userId);
    expect(await check(old)).toEqual([403, "token.inactive"]);
    const mine = await bo.client.get(`${orgPath(orgId)}/token`);
    expect(mine.body).toEqual({ hasSeat: false, products: [], token: null });

    await admin.client.post(`${orgPath(orgId)}/seats`, { product: "conda", userIds: [bo.userId] });
    expect(await check(old)).toEqual([403, "token.inactive"]);

    server.clock.advance(60_000);
    const fresh = await activate(bo, orgId);
    expect(await check(fresh)).toEqual([200, ["conda"]]);
    expect(await check(old)).toEqual([403, "token.inactive"]);
    expect((await tokensOf(orgId, bo)).map((row) => row.status)).toEqual(["ended", "active"]);
  });

  it("leaves no active token without a seat when activation and revocation race", async () => {
    for (let round = 0; round < 5; round++) {
      const { member, orgId } = await seatedMember(server);

      const [activated, revoked] = await Promise.all([
        member.client.post(`${orgPath(orgId)}/token`),
        member.client.delete(`${orgPath(orgId)}/seats/conda/${member.userId}`),
      ]);

      expect(revoked.status).toBe(204);
      expect([
        [201, undefined],
        [409, "token.no_seat"],
      ]).toContainEqual([activated.status, activated.body.error?.code]);
      const statuses = (await tokensOf(orgId, member)).map((row) => row.status);
      expect(statuses).toEqual(activated.status === 201 ? ["ended"] : []);
    }
  });
});

describe("a lapse and the token", () => {
  it("ends the tokens of members it leaves without a seat, and only theirs", async () => {
    const { member: ada, orgId, subscriptionId } = await seatedMember(server, "conda");
    const bo = await person(server, "bo");
    await addMember(server, orgId, bo);
    await seat(server, orgId, subscriptionId, bo, "conda");
    await seat(server, orgId, await subscription(server, orgId, 2, "pypi"), bo, "pypi");
    const [adaToken, boToken] = [await activate(ada, orgId), await activate(bo, orgId)];
    const cancelled = await ada.client.patch(`${orgPath(orgId)}/subscriptions/${subscriptionId}`, {
      cancel: true,
    });
    expect(cancelled.status).toBe(200);

    server.clock.advance(31 * DAY);
    await processDueSubscriptions(server.tessera.ctx);

    expect(await check(adaToken)).toEqual([403, "token.inactive"]);
    expect(await tokensOf(orgId, ada)).toEqual([{ status: "ended", endedAt: server.clock.now() }]);
    expect(await check(boToken)).toEqual([200, ["pypi"]]);
    expect(await tokensOf(orgId, bo)).toEqual([{ status: "active", endedAt: null }]);
    const audit = await server.tessera.ctx.db.query(
      `select details from audit_events where org_id = $1 and action = 'subscription.lapsed'`,
      [orgId],
    );
    expect(audit.rows).toEqual([
      {
        details: expect.objectContaining({ product: "conda", seatsRemoved: 2, tokensEnded: 1 }),
      },
    ]);

    const pypi = await ada.client.post(`${orgPath(orgId)}/seats`, {
      product: "pypi",
      userIds: [ada.userId],
    });
    expect(pypi.body.results).toEqual([{ userId: ada.userId, outcome: "assigned" }]);
    expect(await check(adaToken)).toEqual([403, "token.inactive"]);
    expect(await check(await activate(ada, orgId))).toEqual([200, ["pypi"]]);
  });
});
