import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/clock.ts";
import { loadConfig } from "../src/config.ts";
import { openServer } from "../src/db/server.ts";
import { startTessera, type Tessera } from "../src/server.ts";
import { onServer } from "./helpers/db.ts";
import { addMember, person, seat, seatedMember, type Person } from "./helpers/fixtures.ts";
import { Client } from "./helpers/client.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let first: TestServer;
let second: Tessera;

/** A second Tessera process's worth on the first one's database, its own pool and listener. */
async function startSecond(): Promise<Tessera> {
  const url = first.database.url ?? "";
  const config = loadConfig({
    PORT: "0",
    PUBLIC_URL: "http://127.0.0.1:1",
    SECRET: "test-secret-test-secret-test-secret-0123",
    DATABASE_URL: url,
    SMTP_URL: first.smtp.url,
  });

  return startTessera({
    config,
    db: openServer(url, 4),
    clock: new ManualClock(first.clock.now()),
    strictResponses: true,
    logger: false,
    print: () => {},
    manualBackground: true,
  });
}

beforeAll(async () => {
  if (!onServer) return;
  first = await startTestServer();
  second = await startSecond();
});

afterAll(async () => {
  if (!onServer) return;
  await second.close();
  await first.stop();
});

const org = (orgId: string) => `/api/v1/organizations/${orgId}`;

async function statusOn(url: string, token: string): Promise<number> {
  const answer = await new Client(url).get("/auth/check", { authorization: `Bearer ${token}` });

  return answer.status;
}

/** Polls the second instance until it answers `status`, for at most a second. */
async function secondAnswers(token: string, status: number): Promise<void> {
  await expect
    .poll(() => statusOn(second.url, token), { timeout: 1000, interval: 20 })
    .toBe(status);
}

async function seatedWithToken(orgId: string, subscriptionId: string, owner: Person) {
  const member = await person(first, "member");
  await addMember(first, orgId, member);
  await seat(first, orgId, subscriptionId, member);
  const activated = await member.client.post(`${org(orgId)}/token`);
  expect(activated.status).toBe(201);
  const token = activated.body.token as string;
  const revoke = async () => {
    const revoked = await owner.client.delete(`${org(orgId)}/seats/conda/${member.userId}`);
    expect(revoked.status).toBe(204);
  };

  return { member, token, revoke };
}

async function listenerPid(): Promise<number | undefined> {
  const name = second.ctx.tokenChecks.listener?.applicationName;
  const found = await first.tessera.ctx.db.query<{ pid: number }>(
    `select pid from pg_stat_activity where application_name = $1`,
    [name],
  );

  return found.rows[0]?.pid;
}

describe.skipIf(!onServer)("two instances on one PostgreSQL database", () => {
  it("a seat revoked through the first is refused by the second within a second", async () => {
    const { member: owner, orgId, subscriptionId } = await seatedMember(first);
    const { token, revoke } = await seatedWithToken(orgId, subscriptionId, owner);
    // The notice of the token's activation may reach the second while its first lookup is
    // under way, and then that answer is not kept: ask until one is.
    await expect
      .poll(async () => {
        expect(await statusOn(second.url, token)).toBe(200);
        return second.ctx.tokenChecks.cache.size;
      })
      .toBeGreaterThan(0);

    await revoke();

    await secondAnswers(token, 403);
  });

  it("stays correct while its change feed is down and after it is back", async () => {
    const { member: owner, orgId, subscriptionId } = await seatedMember(first);
    const one = await seatedWithToken(orgId, subscriptionId, owner);
    expect(await statusOn(second.url, one.token)).toBe(200);
    const pid = await listenerPid();
    expect(pid).toBeTypeOf("number");

    await first.tessera.ctx.db.query("select pg_terminate_backend($1)", [pid]);
    await one.revoke();

    await secondAnswers(one.token, 403);
    for (let i = 0; i < 5; i++) expect(await statusOn(second.url, one.token)).toBe(403);

    await expect.poll(listenerPid, { timeout: 5000 }).not.toBe(pid);
    await expect.poll(() => second.ctx.tokenChecks.listener?.listening).toBe(true);
    expect(await statusOn(second.url, one.token)).toBe(403);

    const two = await seatedWithToken(orgId, subscriptionId, owner);
    expect(await statusOn(second.url, two.token)).toBe(200);
    expect(await statusOn(second.url, two.token)).toBe(200);
    await two.revoke();
    await secondAnswers(two.token, 403);
  });
});
