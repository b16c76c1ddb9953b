import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addMember, person, seat, seatedMember } from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const org = (orgId: string) => `/api/v1/organizations/${orgId}`;
const WRITES = /update tokens|token_daily_uses/;

/** Runs `work` and answers the statements writing uses that it sent. */
async function writesDuring(work: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(server.tessera.ctx.db, "query");
  try {
    await work();

    return spy.mock.calls.filter(([text]) => WRITES.test(text)).length;
  } finally {
    spy.mockRestore();
  }
}

async function checks(token: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const yes = await server.client().get("/auth/check", { authorization: `Bearer ${token}` });
    expect(yes.status).toBe(200);
  }
}

describe("token uses", () => {
  it("are counted in memory and written in one statement per flush", async () => {
    const { member: owner, orgId, subscriptionId } = await seatedMember(server);
    const member = await person(server, "member");
    await addMember(server, orgId, member);
    await seat(server, orgId, subscriptionId, member);
    const activated = await member.client.post(`${org(orgId)}/token`);
    const token = activated.body.token as string;
    const firstUse = server.clock.now().toISOString();

    expect(await writesDuring(() => checks(token, 25))).toBe(0);
    expect(await writesDuring(() => server.tessera.ctx.tokenChecks.uses.flush())).toBe(1);

    const mine = await member.client.get(`${org(orgId)}/token`);
    expect(mine.body.token).toMatchObject({ lastUsedAt: firstUse, usesToday: 25 });

    server.clock.advance(60_000);
    const laterUse = server.clock.now().toISOString();
    await checks(token, 3);
    expect(await writesDuring(() => server.tessera.ctx.tokenChecks.uses.flush())).toBe(1);
    expect(await writesDuring(() => server.tessera.ctx.tokenChecks.uses.flush())).toBe(0);

    const listed = await owner.client.get(`${org(orgId)}/members`);
    const row = listed.body.members.find((m: { userId: string }) => m.userId === member.userId);
    expect(row.token).toEqual({ status: "active", lastUsedAt: laterUse, usesToday: 28 });
  });

  it("start a new count on a new day (UTC) and count only yes answers", async () => {
    const { member, orgId } = await seatedMember(server);
    const token = (await member.client.post(`${org(orgId)}/token`)).body.token as string;
    await checks(token, 2);
    const refused = await server.client().get("/auth/check?product=other", {
      authorization: `Bearer ${token}`,
    });
    expect(refused.status).toBe(403);
    await server.tessera.ctx.tokenChecks.uses.flush();
    expect((await member.client.get(`${org(orgId)}/token`)).body.token.usesToday).toBe(2);

    server.clock.advance(86_400_000);
    await checks(token, 1);
    await server.tessera.ctx.tokenChecks.uses.flush();

    const days = await server.tessera.ctx.db.query<{ uses: number }>(
      `select uses from token_daily_uses where org_id = $1 order by day`,
      [orgId],
    );
    expect(days.rows).toEqual([{ uses: 2 }, { uses: 1 }]);
    expect((await member.client.get(`${org(orgId)}/token`)).body.token.usesToday).toBe(1);
  });

  it("are written at shutdown", async () => {
    const other = await startTestServer();
    try {
      const { member, orgId } = await seatedMember(other);
      const token = (await member.client.post(`${org(orgId)}/token`)).body.token as string;
      await other.client().get("/auth/check", { authorization: `Bearer ${token}` });
      const db = other.tessera.ctx.db;
      const spy = vi.spyOn(db, "close").mockImplementation(async () => {});

      await other.tessera.close();

      const uses = await db.query<{ uses: number }>(
        `select uses from token_daily_uses where org_id = $1`,
        [orgId],
      );
      expect(uses.rows).toEqual([{ uses: 1 }]);
      spy.mockRestore();
    } finally {
      await other.stop();
    }
  });
});
