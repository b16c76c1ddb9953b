import pg from "pg";
import { PostgresDialect } from "kysely";
import type { Database, Queryable, QueryResult } from "./database.ts";

// Counts come back as numbers, not strings: no count here reaches 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

const RETRYABLE = new Set(["40001", "40P01"]);
const ATTEMPTS = 5;

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(
      text: string,
      params?: readonly unknown[],
      prepared?: string,
    ): Promise<QueryResult<T>> {
      const values = params as unknown[] | undefined;
      const result = await client.query(
        prepared ? { name: prepared, text, values } : { text, values },
      );

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
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });
  const plain = queryable(pool);

  return {
    kind: "server",
    pool,
    dialect: new PostgresDialect({ pool }),
    query: (text, params, prepared) => plain.query(text, params, prepared),
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
