import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { openServer } from "../src/db/server.ts";
import { startTessera, type Tessera } from "../src/server.ts";
import { generateToken } from "../src/tokens/format.ts";
import { Client } from "./helpers/client.ts";
import { createTestDatabase, onServer, type TestDatabase } from "./helpers/db.ts";
import { freePort } from "./helpers/ports.ts";
import { type QuietableRelay, relayTo } from "./helpers/relay.ts";

describe.skipIf(!onServer)("a database server that stops answering", () => {
  let database: TestDatabase;
  let relay: QuietableRelay;
  let tessera: Tessera;

  beforeAll(async () => {
    database = await createTestDatabase();
    const relayed = await relayTo(database.url ?? "");
    relay = relayed.relay;
    const port = await freePort();
    const config = loadConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SECRET: "test-secret-test-secret-test-secret-0123",
      DATABASE_URL: relayed.url,
    });
    tessera = await startTessera({
      config,
      db: openServer(relayed.url, 4),
      logger: false,
      print: () => {},
      manualBackground: true,
    });
  });

  afterAll(async () => {
    relay.silent = false;
    await tessera?.close();
    await relay?.close();
    await database?.drop();
  });

  const check = (token: string) =>
    new Client(tessera.url).get("/auth/check", { authorization: `Bearer ${token}` });

  it("fails a token check in seconds rather than holding it, and checks again once it is back", async () => {
    const token = generateToken();
    expect((await check(token)).status).toBe(401);

    relay.silent = true;
    const started = performance.now();
    const answers = await Promise.all([check(generateToken()), check(generateToken())]);
    expect(answers.map((answer) => answer.status)).toEqual([500, 500]);
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(tessera.ctx.tokenChecks.limit.current).toBe(0);

    relay.silent = false;
    await expect
      .poll(async () => (await check(token)).status, { interval: 100, timeout: 5_000 })
      .toBe(401);
  });
});
