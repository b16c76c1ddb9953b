import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database, Queryable } from "./database.ts";

const FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

// Any fixed number: every instance takes the same advisory lock before migrating.
const MIGRATION_LOCK = 7_215_934;

export interface Migration {
  name: string;
  sql: string;
}

/** The migrations in order of their file names (0001_..., 0002_...). */
export function listMigrations(): Migration[] {
  return readdirSync(FOLDER)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => ({
      name: file.replace(/\.sql$/, ""),
      sql: readFileSync(path.join(FOLDER, file), "utf8"),
    }));
}

async function applied(db: Queryable): Promise<Set<string>> {
  const result = await db.query<{ name: string }>("select name from schema_migrations");

  return new Set(result.rows.map((row) => row.name));
}

/**
 * Applies the migrations not yet recorded, each in its own transaction. Under an advisory lock,
 * so two instances starting at once against one server apply each migration once.
 */
export async function migrate(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await tx.query(
      `create table if not exists schema_migrations (
         name text primary key,
         applied_at timestamptz not null default now()
       )`,
    );

    const done = await applied(tx);
    const pending = listMigrations().filter((migration) => !done.has(migration.name));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query("insert into schema_migrations (name) values ($1)", [migration.name]);
    }

    return pending.map((migration) => migration.name);
  });
}

/** True when every known migration is recorded as applied. */
export async function isMigrated(db: Queryable): Promise<boolean> {
  try {
    const done = await applied(db);
    return listMigrations().every((migration) => done.has(migration.name));
  } catch {
    return false;
  }
}
