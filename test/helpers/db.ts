import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import type { Database } from "../../src/db/database.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { openServer } from "../../src/db/server.ts";
import { withDatabase } from "./global-setup.ts";

export interface TestDatabase {
  db: Database;
  /** The server URL of this test's own database; undefined on PGlite. */
  url: string | undefined;
  /** Closes and, on the server, drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of the test's own: on the server (DATABASE_URL set) a copy of the
 * migrated template under a new name, dropped afterwards; otherwise PGlite in memory, loaded
 * from the migrated dump.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const template = inject("serverTemplate");

  if (serverUrl && template) {
    const name = `tessera_test_${randomBytes(6).toString("hex")}`;
    const admin = openServer(serverUrl, 1);
    await admin.query(`create database ${name} template ${template}`);
    const url = withDatabase(serverUrl, name);
    const db = openServer(url, 10);

    return {
      db,
      url,
      async drop() {
        await db.close().catch(() => {});
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.close();
      },
    };
  }

  const dump = readFileSync(inject("pgliteTemplate"));
  const db = await openPglite({ loadDataDir: new Blob([dump]) });

  return { db, url: undefined, drop: () => db.close().catch(() => {}) };
}

export const onServer = Boolean(process.env.DATABASE_URL);
