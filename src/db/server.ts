import pg from "pg";
import { PostgresDialect } from "kysely";
import type { Database, Queryable, QueryOptions, QueryResult } from "./database.ts";

// Counts come back as numbers, not strings: no count here reaches 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const RETRYABLE = new Set(["40001", "40P01"]);
const ATTEMPTS = 5;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * `work`, or an error once `ms` have passed. query_timeout covers a query that was sent; this
 * covers the wait for a pool connection as well, which the pool ends on its own later.
 */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(
      text: string,
      params?: readonly unknown[],
      options: QueryOptions = {},
    ): Promise<QueryResult<T>> {
      const values = params as unknown[] | undefined;
      // pg reads query_timeout per query too, though its types declare it per client only.
      const config: pg.QueryConfig & { query_timeout?: number } = { text, values };
      if (options.name) config.name = options.name;
      if (options.timeoutMs) config.query_timeout = options.timeoutMs;
      const asked = client.query(config);
      const result = options.timeoutMs ? await within(asked, options.timeoutMs) : await asked;

      return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script: string) {
      await client.query(script);
    },
  };
}

async function once<T>(pool: pg.Pool, work: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(queryable(client));
    await client.query("COMMIT");

    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A PostgreSQL server through a `pg` pool. */
export function openServer(url: string, poolSize = 10): Database & { pool: pg.Pool } {
  // A server that stops answering fails a wait for a connection after a while, not never.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });
  const plain = queryable(pool);

  return {
    kind: "server",
    pool,
    dialect: new PostgresDialect({ pool }),
    query: (text, params, options) => plain.query(text, params, options),
    exec: (script) => plain.exec(script),

    async transaction<T>(work: (tx: Queryable) => Promise<T>) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await once(pool, work);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (attempt >= ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
        }
      }
    },

    async close() {
      await pool.end();
    },
  };
}
