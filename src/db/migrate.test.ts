import { getMigrations } from "better-auth/db/migration";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth } from "../accounts/auth.ts";
import { loadConfig } from "../config.ts";
import { Sealer } from "../mail/sealing.ts";
import { createTestDatabase, onServer, type TestDatabase } from "../../test/helpers/db.ts";
import { withDatabase } from "../../test/helpers/global-setup.ts";
import { isMigrated, listMigrations, migrate } from "./migrate.ts";
import { openServer } from "./server.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

describe("migrations", () => {
  it("are recorded, so a second run applies nothing", async () => {
    expect(await isMigrated(database.db)).toBe(true);
    expect(await migrate(database.db)).toEqual([]);

    const { rows } = await database.db.query<{ name: string }>(
      "select name from schema_migrations order by name",
    );
    expect(rows.map((row) => row.name)).toEqual(listMigrations().map((m) => m.name));
  });

  it("match the tables the auth library expects, column for column", async () => {
    const config = loadConfig({ DATA_DIR: "/nonexistent", SECRET: "s".repeat(40) });
    const auth = createAuth({ config, db: database.db, sealer: new Sealer(config.secret) });
    const { toBeCreated, toBeAdded } = await getMigrations(auth.options);

    expect(toBeCreated).toEqual([]);
    expect(toBeAdded).toEqual([]);
  });

  it.runIf(onServer)("apply once when two instances start at the same time", async () => {
    const serverUrl = process.env.DATABASE_URL ?? "";
    const name = `tessera_migrate_${randomBytes(4).toString("hex")}`;
    const admin = openServer(serverUrl, 1);
    await admin.query(`create database ${name}`);
    const first = openServer(withDatabase(serverUrl, name), 2);
    const second = openServer(withDatabase(serverUrl, name), 2);

    try {
      const [a, b] = await Promise.all([migrate(first), migrate(second)]);
      const all = listMigrations().map((m) => m.name);
      expect([...a, ...b].sort()).toEqual(all);
      expect(a.length === 0 || b.length === 0).toBe(true);
    } finally {
      await first.close();
      await second.close();
      await admin.query(`drop database ${name} with (force)`);
      await admin.close();
    }
  });
});
