import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerCache } from "../src/tokens/cache.ts";
import { ChangeListener, notifyTokenChange } from "../src/tokens/notify.ts";
import { sha256Hex } from "../src/secrets.ts";
import { createTestDatabase, onServer, type TestDatabase } from "./helpers/db.ts";
import { type QuietableRelay, relayTo } from "./helpers/relay.ts";

const key = sha256Hex("a token");
const good = {
  kind: "good" as const,
  orgId: "acme",
  tokenId: "t1",
  products: ["conda"],
  yes: { ok: true as const, organization: "acme", products: ["conda"] },
};

describe.skipIf(!onServer)("the change feed going quiet", () => {
  let database: TestDatabase;
  let relay: QuietableRelay;
  let listener: ChangeListener;
  const cache = new AnswerCache(60_000, 100);

  beforeAll(async () => {
    database = await createTestDatabase();
    const relayed = await relayTo(database.url ?? "");
    relay = relayed.relay;
    listener = new ChangeListener(relayed.url, cache, pino({ level: "silent" }));
    await listener.start();
  });

  afterAll(async () => {
    await listener?.stop();
    await relay?.close();
    await database?.drop();
  });

  it("turns the cache off within a second, and on again once a new connection listens", async () => {
    expect(listener.listening).toBe(true);
    cache.set(key, good, cache.epoch, Date.now());
    expect(cache.get(key, Date.now())).toBe(good);

    relay.silent = true;
    // A change made now never reaches this listener: its cached yes must not be served.
    await database.db.transaction((tx) => notifyTokenChange(tx, "elsewhere", { orgId: "acme" }));
    const quiet = Date.now();
    await expect.poll(() => cache.enabled, { interval: 20, timeout: 3_000 }).toBe(false);
    expect(Date.now() - quiet).toBeLessThan(1_000);
    expect(cache.get(key, Date.now())).toBeUndefined();

    // Attempts to connect again meanwhile reach nothing, and must give up rather than hang.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    relay.silent = false;
    await expect.poll(() => listener.listening, { interval: 50, timeout: 10_000 }).toBe(true);
    expect(cache.enabled).toBe(true);
    expect(cache.get(key, Date.now())).toBeUndefined();
  });
});
