import { randomBytes } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import pg from "pg";
import type { Queryable } from "../db/database.ts";
import type { AnswerCache, TokenChange } from "./cache.ts";

/** The PostgreSQL channel every instance listens on for changes to token answers. */
export const CHANGE_CHANNEL = "tessera_token_cache";

const RETRY_FIRST_MS = 200;
const RETRY_MAX_MS = 5_000;

/**
 * How often the listening connection is asked `select 1`. PostgreSQL sends a listener every
 * notification committed before a query ahead of that query's answer, so each answer shows
 * that nothing committed before the question was missed, and lets the cache serve answers for
 * LEASE_MS from the moment it was asked. A connection cut without a word (a network fault, a
 * failover) raises no error for hours: the cache is off within LEASE_MS of the last answer
 * all the same, and every change reaches answers within a second whether it is heard or not.
 * An answer later than HEARTBEAT_TIMEOUT_MS counts the connection as lost and a new one is
 * made; the margin is room for a busy event loop, where a late answer only pauses the cache.
 */
const HEARTBEAT_MS = 250;
const LEASE_MS = 750;
const HEARTBEAT_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;

/** The NOTIFY payload: `<sender> <orgId or empty> <hash in hex or empty>`. */
function encode(sender: string, change: TokenChange): string {
  return `${sender} ${change.orgId ?? ""} ${change.hash?.toString("hex") ?? ""}`;
}

function decode(payload: string): { sender: string; change: TokenChange } {
  const [sender = "", orgId = "", hash = ""] = payload.split(" ");
  const change = {
    ...(orgId ? { orgId } : {}),
    ...(/^[0-9a-f]{64}$/.test(hash) ? { hash: Buffer.from(hash, "hex") } : {}),
  };

  return { sender, change };
}

/**
 * Inside a transaction: tells every instance listening that `change` happened. PostgreSQL
 * delivers the notification when the transaction commits, and never if it rolls back.
 */
export async function notifyTokenChange(
  tx: Queryable,
  sender: string,
  change: TokenChange,
): Promise<void> {
  await tx.query("select pg_notify($1, $2)", [CHANGE_CHANNEL, encode(sender, change)]);
}

/**
 * One connection of its own (not from the pool) that LISTENs for token changes and drops the
 * answers they name. While it is down the cache is suspended, so the check answers from the
 * database; once it is back and listening again the cache starts empty.
 */
export class ChangeListener {
  /** The connection's application_name in pg_stat_activity: unique per instance. */
  readonly applicationName = `tessera-token-cache-${randomBytes(4).toString("hex")}`;
  private client: pg.Client | undefined;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;
  private listeningNow = false;

  constructor(
    private readonly url: string,
    private readonly cache: AnswerCache,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** True while the connection is up and listening. */
  get listening(): boolean {
    return this.listeningNow;
  }

  /** Connects and listens; a failure leaves the cache suspended and retries with backoff. */
  async start(): Promise<void> {
    this.cache.suspend();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    this.listeningNow = false;
    this.cache.suspend();
    await this.client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: this.applicationName,
      keepAlive: true,
      query_timeout: HEARTBEAT_TIMEOUT_MS,
      // A server that does not answer at all must not hold the reconnection up for good.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    this.client = client;
    client.on("notification", (message) => {
      if (message.channel !== CHANGE_CHANNEL) return;

      // This instance dropped its own changes when they committed; its echo would only
      // make lookups under way throw their answers away.
      const { sender, change } = decode(message.payload ?? "");
      if (sender !== this.applicationName) this.cache.forget(change);
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client));

    let asked: number;
    try {
      await client.connect();
      asked = performance.now();
      await client.query(`listen ${CHANGE_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client || this.stopped) return;

    this.retryMs = RETRY_FIRST_MS;
    this.listeningNow = true;
    this.cache.confirm(asked + LEASE_MS);
    this.cache.resume();
    this.beat(client);
    this.log.info(
      { channel: CHANGE_CHANNEL, applicationName: this.applicationName },
      "token cache listening",
    );
  }

  /**
   * Asks the connection a question now and then: each answer renews the cache's lease, and
   * one not given in time counts the connection as lost.
   */
  private beat(client: pg.Client): void {
    clearInterval(this.heartbeat);
    let asking = false;
    this.heartbeat = setInterval(() => {
      if (asking) return;

      asking = true;
      const asked = performance.now();
      client
        .query("select 1")
        .then(() => {
          if (this.client === client) this.cache.confirm(asked + LEASE_MS);
        })
        .catch((error: unknown) => this.lost(client, error))
        .finally(() => (asking = false));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** The connection failed or ended: no more caching until a new one listens. */
  private lost(client: pg.Client, error?: unknown): void {
    if (this.client !== client) return;

    this.client = undefined;
    this.listeningNow = false;
    clearInterval(this.heartbeat);
    this.cache.suspend();
    // A connection that went quiet would not close cleanly: drop its socket outright.
    (
      client as pg.Client & { connection?: { stream?: { destroy(): void } } }
    ).connection?.stream?.destroy();
    client.end().catch(() => {});
    if (this.stopped) return;

    this.log.warn({ err: error, retryMs: this.retryMs }, "token cache off: change feed lost");
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
