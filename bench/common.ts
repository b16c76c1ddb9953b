/** What the benchmarks share: a fresh database, a free port, a timer, a signed-in owner. */
import { randomBytes } from "node:crypto";
import type { Database } from "../src/db/database.ts";
import { sha256 } from "../src/secrets.ts";
import { generateToken } from "../src/tokens/format.ts";
import { openPglite } from "../src/db/pglite.ts";
import { openServer } from "../src/db/server.ts";
import { loadConfig } from "../src/config.ts";
import { startTessera, type Tessera } from "../src/server.ts";
import { freePort } from "../test/helpers/ports.ts";

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
export async function startBenchServer(): Promise<BenchServer> {
  const fresh = await freshDatabase();
  const settings = async (env: Record<string, string>) => {
    const port = await freePort();
    return loadConfig({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SECRET: "benchmark-secret-benchmark-secret-000",
      SIGN_IN_RATE_LIMIT: "100000",
      DATA_DIR: "/nonexistent",
      ...(fresh.url ? { DATABASE_URL: fresh.url } : {}),
      ...env,
    });
  };
  const start = async (env: Record<string, string>) =>
    startTessera({
      config: await settings(env),
      db: fresh.db,
      logger: false,
      manualBackground: true,
      print: () => {},
    });

  const tessera = await start({});
  console.log(`database: ${fresh.url ? "PostgreSQL server" : "PGlite (embedded)"}`);

  return {
    tessera,
    async another(env) {
      const other = await start(env);
      return {
        url: other.url,
        // The database is the first instance's, closed with it.
        stop: async () => {
          await other.app.close();
          await other.ctx.tokenChecks.stop();
        },
      };
    },
    async stop() {
      await tessera.close();
      await fresh.drop();
    },
  };
}

export interface BenchServer {
  tessera: Tessera;
  /** A second instance on the same database, with other settings. */
  another: (env: Record<string, string>) => Promise<{ url: string; stop: () => Promise<void> }>;
  stop: () => Promise<void>;
}

/** A seat of `conda` for the owner in `bench`, and a token for it, written straight to the tables. */
export async function seatedToken(tessera: Tessera, userId: string): Promise<string> {
  const { db } = tessera.ctx;
  const token = generateToken();
  const now = tessera.ctx.clock.now();
  const sub = await db.query<{ id: string }>(
    `insert into subscriptions (org_id, plan_id, product, period, price_per_seat, currency, seats,
                                current_period_start, current_period_end)
     values ('bench', 'conda-team-monthly', 'conda', 'month', 1500, 'USD', 10, $1, $2)
     returning subscription_id as id`,
    [now, new Date(now.getTime() + 30 * 86_400_000)],
  );
  await db.query(
    `insert into seats (org_id, product, user_id, subscription_id) values ('bench', 'conda', $1, $2)`,
    [userId, sub.rows[0]?.id],
  );
  const row = await db.query<{ id: string }>(
    `insert into tokens (org_id, user_id, hint) values ('bench', $1, 'hint') returning token_id as id`,
    [userId],
  );
  await db.query(
    `insert into token_hashes (token_hash, org_id, token_id) values ($1, 'bench', $2)`,
    [sha256(token), row.rows[0]?.id],
  );

  return token;
}

const stops: Array<() => Promise<void>> = [];
let listening = false;

async function stopEverything(): Promise<void> {
  for (const stop of [...stops].reverse()) await stop().catch(() => {});
  process.exit(130);
}

/**
 * Runs `stop` on Ctrl-C or SIGTERM as well (the latest registered first), then exits, so an
 * interrupted run leaves no server, nginx or database behind. Answers a function that takes
 * `stop` back.
 */
export function stopOnSignal(stop: () => Promise<void>): () => void {
  if (!listening) {
    listening = true;
    process.once("SIGINT", () => void stopEverything());
    process.once("SIGTERM", () => void stopEverything());
  }
  stops.push(stop);

  return () => {
    stops.splice(stops.indexOf(stop), 1);
  };
}
