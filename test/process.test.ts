import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, onServer, type TestDatabase } from "./helpers/db.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Running {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  return { child, output: () => output, exited };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(port: number, running: Running): Promise<void> {
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (running.child.exitCode !== null) throw new Error(`exited early:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no /healthz:\n${running.output()}`);
}

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
    await waitForHealth(port, server);

    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"msg":"stopping"');
    expect(existsSync(path.join(dataDir, "tessera.pid"))).toBe(false);
  });

  it.skipIf(onServer)("refuses to open a data folder another process has open", async () => {
    const port = await freePort();
    const first = launch(baseEnv(port));
    await waitForHealth(port, first);

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
