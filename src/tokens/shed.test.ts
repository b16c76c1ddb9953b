import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seatedMember } from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { generateToken } from "./format.ts";

let server: TestServer;
const logLines: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { TOKEN_CHECK_MAX_IN_FLIGHT: "1" }, logLines });
});

afterAll(async () => {
  await server.stop();
});

const check = (token: string) =>
  server.client().get("/auth/check", { authorization: `Bearer ${token}` });

/** Holds token_hashes locked, so every lookup waits, until the answered function is called. */
async function stallLookups(): Promise<() => Promise<void>> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const taken = new Promise<void>((resolve) => (locked = resolve));

  const holding = server.tessera.ctx.db.transaction(async (tx) => {
    await tx.query("lock table token_hashes in access exclusive mode");
    locked();
    await gate;
  });
  await taken;

  return async () => {
    release();
    await holding;
  };
}

describe("load shedding", () => {
  it("answers 503 token.overloaded with Retry-After past the limit, never 500", async () => {
    const { member, orgId } = await seatedMember(server);
    const activated = await member.client.post(`/api/v1/organizations/${orgId}/token`);
    const good = activated.body.token as string;
    expect((await check(good)).status).toBe(200);

    const resume = await stallLookups();
    let settled = 0;
    const unknown = Array.from({ length: 60 }, () =>
      check(generateToken()).finally(() => (settled += 1)),
    );
    await expect.poll(() => settled).toBe(59);
    // The database is stuck, yet a cached answer is still given.
    const cached = await Promise.all(Array.from({ length: 20 }, () => check(good)));
    await resume();
    const answers = await Promise.all(unknown);

    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([401, ...Array(59).fill(503)]);
    for (const shed of answers.filter((a) => a.status === 503)) {
      expect(shed.body.error.code).toBe("token.overloaded");
      expect(shed.headers.get("retry-after")).toBe("1");
      expect(shed.headers.get("cache-control")).toBe("no-store");
    }
    expect(cached.map((a) => a.status)).toEqual(Array(20).fill(200));

    // One line for the lot, not one per shed check.
    const shedLines = () => logLines.filter((line) => line.includes("token checks shed"));
    await expect.poll(shedLines, { timeout: 3_000 }).toHaveLength(1);
    expect(JSON.parse(shedLines()[0] ?? "{}")).toMatchObject({ level: 40, shed: 59 });
    expect(logLines.filter((line) => line.includes('"statusCode":503'))).toEqual([]);
  });

  it("sheds the surplus of a burst even when no lookup waits for the database", async () => {
    // Nothing holds the database here: on PGlite each lookup runs on this very thread, and the
    // burst must still count as in flight together.
    const answers = await Promise.all(Array.from({ length: 100 }, () => check(generateToken())));

    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].sort()).toEqual([401, 503]);
  });

  it("takes checks again once the lookups in flight are done", async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => check(generateToken())));
    expect(answers.every((a) => a.status === 401 || a.status === 503)).toBe(true);

    expect((await check(generateToken())).status).toBe(401);
  });
});
