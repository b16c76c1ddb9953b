import type { Dialect } from "kysely";

export type Row = Record<string, unknown>;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** How a query runs on a PostgreSQL server. PGlite, inside this process, ignores both. */
export interface QueryOptions {
  /** Names the statement: the server parses and plans it once per connection, not per call. */
  name?: string;
  /**
   * Gives up after this long, and the pool drops the connection the query was on: a server
   * that stops answering must not hold the caller, or the connection, for good.
   */
  timeoutMs?: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Row>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<T>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/**
 * The one store: PGlite in-process or a PostgreSQL server, behind the same interface, so the
 * same migrations and queries run on both.
 */
export interface Database extends Queryable {
  readonly kind: "pglite" | "server";
  /** Runs `work` in one transaction; on the server it is retried on serialization failures. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** A Kysely dialect over the same connection, for the auth library. */
  readonly dialect: Dialect;
  close(): Promise<void>;
}

/** Reads the first row, or throws: for queries that must return one (INSERT ... RETURNING). */
export function one<T>(result: QueryResult<T>): T {
  const row = result.rows[0];
  if (row === undefined) throw new Error("expected a row, got none");

  return row;
}
