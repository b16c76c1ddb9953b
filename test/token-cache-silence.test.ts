import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerCache } from "../src/tokens/cache.ts";
import { ChangeListener, notifyTokenChange } from "../src/tokens/notify.ts";
import { sha256Hex } from "../src/secrets.ts";
import { createTestDatabase, onServer, type TestDatabase } from "./helpers/db.ts";

/**
 * A TCP relay to PostgreSQL that can go quiet: while `silent`, bytes are swallowed both ways and
 * nothing is closed, as when a network path or a failed-over server stops answering.
 */
class QuietableRelay {
  silent = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      const upstream = createConnection(target);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.on("data", (bytes) => {
          if (!this.silent) to.write(bytes);
        });
        from.on("close", () => to.destroy());
        from.on("error", () => to.destroy());
      }
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));

    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

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
    const url = new URL(database.url ?? "");
    relay = new QuietableRelay({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(await relay.listen());
    listener = new ChangeListener(url.toString(), cache, pino({ level: "silent" }));
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
