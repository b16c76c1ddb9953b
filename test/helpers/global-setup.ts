import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrate } from "../../src/db/migrate.ts";
import { openPglite } from "../../src/db/pglite.ts";
import { openServer } from "../../src/db/server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
    serverTemplate: string;
  }
}

/** Migrates once into a template: a PGlite dump file, or a template database on the server. */
export default async function setup(project: TestProject) {
  const folder = mkdtempSync(path.join(tmpdir(), "tessera-test-"));
  const dumpFile = path.join(folder, "pglite-template.tar");
  const url = process.env.DATABASE_URL;

  if (url) {
    const name = `tessera_tpl_${randomBytes(4).toString("hex")}`;
    const admin = openServer(url, 1);
    await admin.query(`create database ${name}`);
    const template = openServer(withDatabase(url, name), 1);
    await migrate(template);
    await template.close();
    project.provide("serverTemplate", name);
    project.provide("pgliteTemplate", "");

    return async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.close();
      rmSync(folder, { recursive: true, force: true });
    };
  }

  const db = await openPglite({});
  await migrate(db);
  const dump = await db.pglite.dumpDataDir("none");
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide("pgliteTemplate", dumpFile);
  project.provide("serverTemplate", "");

  return () => rmSync(folder, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;

  return parsed.toString();
}
