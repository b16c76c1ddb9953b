/** What the benchmarks share: a fresh database, a free port, a timer, a signed-in owner. */
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import type { Database } from "../src/db/database.ts";
import { openPglite } from "../src/db/pglite.ts";
import { openServer } from "../src/db/server.ts";
import { loadConfig } from "../src/config.ts";
import { startTessera, type Tessera } from "../src/server.ts";

const PASSWORD = "benchmark password 1";

export interface Fresh {
  db: Database;
  url: string | undefined;
  drop(): Promise<void>;
}

export async function freshDatabase(): Promise<Fresh> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const db = await openPglite({});
    return { db, url: undefined, drop: async () => {} };
  }

  const name = `tessera_bench_${randomBytes(4).toString("hex")}`;
  const admin = openServer(serverUrl, 1);
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  return {
    db: openServer(url.toString()),
    url: url.toString(),
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.close();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();

  return performance.now() - started;
}

export interface Owner {
  cookie: string;
  userId: string;
  orgId: string;
  /** Signs in again, as a person would while the server is busy. */
  signIn(): Promise<void>;
}

/** Signs a verified owner up and forms the organization `bench`. */
export async function owner(tessera: Tessera): Promise<Owner> {
  const base = tessera.url;
  const post = (path: string, body: unknown, cookie = "") =>
    fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, cookie },
      body: JSON.stringify(body),
    });
  const signIn = async () => {
    const answer = await post("/api/v1/auth/sign-in", {
      email: "bench@example.com",
      password: PASSWORD,
    });
    if (answer.status !== 200) throw new Error(`sign-in answered ${answer.status}`);
    return answer;
  };

  await post("/api/v1/auth/sign-up", {
    name: "Bench",
    email: "bench@example.com",
    password: PASSWORD,
  });
  await tessera.ctx.db.query(`update "user" set "emailVerified" = true`);
  const first = await signIn();
  const cookie = first.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const userId = ((await first.json()) as { user: { id: string } }).user.id;
  await post("/api/v1/organizations", { orgId: "bench", name: "Bench" }, cookie);

  return {
    cookie,
    userId,
    orgId: "bench",
    signIn: async () => {
      await (await signIn()).arrayBuffer();
    },
  };
}

/** Tessera on a loopback port over a fresh database, with no background loops running. */
export async function startBenchServer(): Promise<{ tessera: Tessera; stop: () => Promise<void> }> {
  const fresh = await freshDatabase();
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SECRET: "benchmark-secret-benchmark-secret-000",
    SIGN_IN_RATE_LIMIT: "100000",
    DATA_DIR: "/nonexistent",
    ...(fresh.url ? { DATABASE_URL: fresh.url } : {}),
  });
  const tessera = await startTessera({
    config,
    db: fresh.db,
    logger: false,
    manualBackground: true,
    print: () => {},
  });
  console.log(`database: ${fresh.url ? "PostgreSQL server" : "PGlite (embedded)"}`);

  return {
    tessera,
    async stop() {
      await tessera.close();
      await fresh.drop();
    },
  };
}
