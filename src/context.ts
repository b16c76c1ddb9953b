import type { FastifyBaseLogger } from "fastify";
import type { Auth } from "./accounts/auth.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { Sealer } from "./mail/sealing.ts";
import type { TokenChecks } from "./tokens/checks.ts";

/** What every feature module is handed: settings, the store, the clock, the auth library. */
export interface Context {
  config: Config;
  db: Database;
  clock: Clock;
  auth: Auth;
  sealer: Sealer;
  log: FastifyBaseLogger;
  /** The token check's cache, load bound and use counter. */
  tokenChecks: TokenChecks;
}
