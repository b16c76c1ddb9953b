import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, onServer, type TestDatabase } from "./helpers/db.ts";
import { freePort } from "./helpers/ports.ts";
import { launch, waitUntilAnswering } from "./helpers/process.ts";
import { relayTo } from "./helpers/relay.ts";

let dataDir: string;
let database: TestDatabase | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-process-"));
  if (onServer) database = await createTestDatabase();
});

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

function baseEnv(port: number): Record<string, string> {
  return {
    PORT: String(port),
    DATA_DIR: dataDir,
    ...(database?.url ? { DATABASE_URL: database.url, SECRET: "p".repeat(40) } : {}),
  };
}

describe("the server process", () => {
  it("serves, is ready, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const server = launch(baseEnv(port));
    await waitUntilAnswering(port, server);

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopping"');
    expect(existsSync(path.join(dataDir, "tessera.pid"))).toBe(false);
  });

  it.skipIf(!onServer)(
    "exits after SHUTDOWN_SECONDS when the database stops answering",
    async () => {
      const { relay, url } = await relayTo(database?.url ?? "");
      const port = await freePort();
      const server = launch({ ...baseEnv(port), DATABASE_URL: url, SHUTDOWN_SECONDS: "1" });
      try {
        await waitUntilAnswering(port, server, "/readyz");

        relay.silent = true;
        // A request held by the silent database keeps the stop from finishing by itself.
        void fetch(`http://127.0.0.1:${port}/readyz`).catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 300));
        const stopped = performance.now();
        server.child.kill("SIGTERM");

        expect(await server.exited).toBe(1);
        expect(performance.now() - stopped).toBeLessThan(3_000);
        expect(server.output()).toContain("stop took longer than SHUTDOWN_SECONDS");
      } finally {
        server.child.kill("SIGKILL");
        await relay.close();
      }
    },
  );

  it.skipIf(onServer)("refuses to open a data folder another process has open", async () => {
    const port = await freePort();
    const first = launch(baseEnv(port));
    await waitUntilAnswering(port, first);

    const second = launch(baseEnv(await freePort()));
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`tessera: the data folder ${dataDir} is in use by process`);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  });

  it("names a bad setting in one line and exits", async () => {
    const bad = launch({ ...baseEnv(await freePort()), PORT: "eighty" });

    expect(await bad.exited).toBe(1);
    expect(bad.output().trim()).toBe('tessera: PORT: expected a whole number, got "eighty"');
  });
});
