import type { Dialect } from "kysely";

export type Row = Record<string, unknown>;

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /**
   * `prepared` names the statement: a PostgreSQL server then parses and plans it once per
   * connection rather than on every call (the token check's lookup). PGlite ignores it.
   */
  query<T = Row>(
    text: string,
    params?: readonly unknown[],
    prepared?: string,
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
