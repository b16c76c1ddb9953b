import { PGlite } from "@electric-sql/pglite";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult as KyselyResult,
} from "kysely";
import type { Database, Queryable, QueryResult } from "./database.ts";
import { Queue } from "./queue.ts";

/** Thrown when another process already has the data folder open. */
export class DataDirInUseError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `the data folder ${dataDir} is in use by process ${pid}; ` +
        "stop it, or give this one another DATA_DIR",
    );
    this.name = "DataDirInUseError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the folder's lock file, or refuses when a live process holds it. */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "tessera.pid");

  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;

      const holder = Number(readFileSync(file, "utf8").trim());
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      rmSync(file, { force: true });
    }
  }

  throw new Error(`could not lock the data folder ${dataDir}`);
}

type Runner = Pick<PGlite, "query" | "exec">;

function queryable(runner: Runner): Queryable {
  return {
    query: <R>(text: string, params?: readonly unknown[]) => run<R>(runner, text, params),
    exec: async (script: string) => {
      await runner.exec(script);
    },
  };
}

async function run<T>(
  runner: Runner,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<T>> {
  const result = await runner.query<T>(text, params as unknown[] | undefined);

  // PGlite reports 0 affected rows for a SELECT; pg counts the rows it returned.
  return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

/** Kysely on the PGlite connection: a connection is held only while the queue lock is. */
function pgliteDialect(pglite: PGlite, queue: Queue): Dialect {
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<KyselyResult<R>> {
      const result = await pglite.query<R>(query.sql, query.parameters as unknown[]);
      const affected = result.affectedRows;

      return {
        rows: result.rows,
        ...(affected !== undefined ? { numAffectedRows: BigInt(affected) } : {}),
      };
    },
    streamQuery() {
      throw new Error("streaming is not supported on the embedded database");
    },
  };

  const releases: Array<() => void> = [];
  const driver: Driver = {
    async init() {},
    async acquireConnection() {
      releases.push(await queue.acquire());
      return connection;
    },
    async beginTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw("BEGIN"));
    },
    async commitTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw("COMMIT"));
    },
    async rollbackTransaction(conn) {
      await conn.executeQuery(CompiledQuery.raw("ROLLBACK"));
    },
    async releaseConnection() {
      // Only one caller holds the connection at a time, so the oldest release is theirs.
      releases.shift()?.();
    },
    async destroy() {},
  };

  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

export interface PgliteOptions {
  /** A folder to keep the data in; omitted, the database lives in memory. */
  dataDir?: string;
  /** A dump made by `dumpDataDir`, to start from (tests copy a migrated template this way). */
  loadDataDir?: Blob;
}

/** Opens PGlite with every query and transaction passing through one queue. */
export async function openPglite(options: PgliteOptions): Promise<Database & { pglite: PGlite }> {
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => {};

  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(options.dataDir ? { dataDir: path.join(options.dataDir, "pglite") } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }

  const queue = new Queue();

  return {
    kind: "pglite",
    pglite,
    dialect: pgliteDialect(pglite, queue),

    query<T>(text: string, params?: readonly unknown[]) {
      return queue.run(() => run<T>(pglite, text, params));
    },

    exec(script: string) {
      return queue.run(() => queryable(pglite).exec(script));
    },

    transaction<T>(work: (tx: Queryable) => Promise<T>) {
      return queue.run(() => pglite.transaction((tx) => work(queryable(tx))));
    },

    async close() {
      await queue.run(() => pglite.close());
      unlock();
    },
  };
}
