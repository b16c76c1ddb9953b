import type { FastifyBaseLogger } from "fastify";
import type { Config } from "../config.ts";
import type { Database, Queryable } from "../db/database.ts";
import { AnswerCache, type TokenChange } from "./cache.ts";
import { ChangeListener, notifyTokenChange } from "./notify.ts";
import { CheckLimit } from "./shed.ts";
import { UseCounter } from "./usage.ts";

/** The most answers one instance keeps; the least recently used go first past it. */
const CACHE_ENTRIES = 100_000;

/**
 * The token check's state in one instance: its answer cache, the bound on lookups in flight,
 * the use counter, and (on a PostgreSQL server) the listener that keeps the cache in step with
 * changes made through other instances. On PGlite there is one process, so dropping answers
 * here is enough.
 */
export class TokenChecks {
  readonly cache: AnswerCache;
  readonly limit: CheckLimit;
  readonly uses: UseCounter;
  readonly listener: ChangeListener | undefined;
  private readonly onThisThread: boolean;

  constructor(config: Config, db: Database, log: FastifyBaseLogger) {
    this.cache = new AnswerCache(config.tokenCacheSeconds * 1000, CACHE_ENTRIES);
    this.limit = new CheckLimit(config.tokenCheckMaxInFlight);
    this.uses = new UseCounter(db, log);
    this.onThisThread = db.kind === "pglite";
    const feed = db.kind === "server" && config.databaseUrl && config.tokenCacheSeconds > 0;
    this.listener = feed
      ? new ChangeListener(config.databaseUrl ?? "", this.cache, log)
      : undefined;
    // Until the listener is up, changes made elsewhere would go unheard.
    if (this.listener) this.cache.suspend();
  }

  /**
   * Runs a lookup if fewer than the limit are in flight (`undefined` otherwise). PGlite runs
   * one on this thread in promise callbacks alone, so it would end before Node reads the next
   * request: the count would never pass one, and requests would wait unread, never shed. So
   * there a lookup first waits one turn of the event loop, in which every request already
   * received starts its own lookup or is shed.
   */
  lookup<T>(work: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (!this.onThisThread) return this.limit.run(work);

    return this.limit.run(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return work();
    });
  }

  /**
   * Inside the transaction that makes `change`: other instances hear of it when it commits.
   * Call `forget` with the same change once the transaction has committed.
   */
  async announce(tx: Queryable, change: TokenChange): Promise<void> {
    if (this.listener) await notifyTokenChange(tx, this.listener.applicationName, change);
  }

  /** After the commit: this instance drops the answers `change` can flip, at once. */
  forget(change: TokenChange): void {
    this.cache.forget(change);
  }

  async start(): Promise<void> {
    this.uses.start();
    await this.listener?.start();
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
    await this.uses.stop();
  }
}
