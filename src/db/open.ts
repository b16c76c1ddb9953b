import type { Config } from "../config.ts";
import type { Database } from "./database.ts";
import { openPglite } from "./pglite.ts";
import { openServer } from "./server.ts";

/** The configured database: the server at DATABASE_URL, or PGlite in DATA_DIR. */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "dataDir">,
): Promise<Database> {
  if (config.databaseUrl) return openServer(config.databaseUrl);

  return openPglite({ dataDir: config.dataDir });
}
