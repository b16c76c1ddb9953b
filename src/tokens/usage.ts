import type { FastifyBaseLogger } from "fastify";
import type { Queryable } from "../db/database.ts";

interface Tally {
  orgId: string;
  tokenId: string;
  /** The day in UTC, YYYY-MM-DD. */
  day: string;
  uses: number;
  /** Milliseconds since the epoch. */
  lastUsedAt: number;
}

const DAY_MS = 86_400_000;

/** How often counted uses are written, and at shutdown. */
export const USE_FLUSH_INTERVAL_MS = 5_000;

/**
 * Writes a batch of tallies in one statement: each token's last use moves forward (never back,
 * since instances flush in any order) and its day's count grows. Tokens deleted meanwhile (an
 * organization deleted) are skipped.
 */
async function writeTallies(q: Queryable, tallies: readonly Tally[]): Promise<void> {
  await q.query(
    `with batch as (
       select b.org_id, b.token_id, b.day, b.uses, b.last_used_at
         from unnest($1::text[], $2::uuid[], $3::date[], $4::int[], $5::timestamptz[])
                as b(org_id, token_id, day, uses, last_used_at)
         join tokens t on t.org_id = b.org_id and t.token_id = b.token_id
     ),
     touched as (
       update tokens t
          set last_used_at = greatest(t.last_used_at, latest.last_used_at)
         from (select org_id, token_id, max(last_used_at) as last_used_at
                 from batch group by org_id, token_id) latest
        where t.org_id = latest.org_id and t.token_id = latest.token_id
     )
     insert into token_daily_uses (org_id, token_id, day, uses)
     select org_id, token_id, day, uses from batch
     on conflict (org_id, token_id, day)
       do update set uses = token_daily_uses.uses + excluded.uses`,
    [
      tallies.map((t) => t.orgId),
      tallies.map((t) => t.tokenId),
      tallies.map((t) => t.day),
      tallies.map((t) => t.uses),
      tallies.map((t) => new Date(t.lastUsedAt)),
    ],
  );
}

/**
 * Counts the check's yes answers per token and day in memory and writes them in batches, so a
 * download costs no database write. Counts not yet flushed are lost if the process dies.
 */
export class UseCounter {
  // By day, then by token ID: a count costs two lookups and builds no key.
  private tallies = new Map<string, Map<string, Tally>>();
  // The UTC day of the last use counted, so its name is not worked out on every use.
  private day = { name: "", start: 0, end: 0 };
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Counts one use of a token at `at`. */
  record(orgId: string, tokenId: string, at: Date): void {
    const time = at.getTime();
    const tokens = this.dayOf(time);
    const tally = tokens.get(tokenId);
    if (!tally) {
      tokens.set(tokenId, { orgId, tokenId, day: this.day.name, uses: 1, lastUsedAt: time });
      return;
    }

    tally.uses += 1;
    if (time > tally.lastUsedAt) tally.lastUsedAt = time;
  }

  /** Writes every tally counted so far in one statement; on failure they are kept for later. */
  async flush(): Promise<void> {
    await this.flushing;
    if (this.tallies.size === 0) return;

    const batch = [...this.tallies.values()].flatMap((tokens) => [...tokens.values()]);
    this.tallies = new Map();
    this.flushing = writeTallies(this.db, batch)
      .catch((error: unknown) => {
        this.log.warn({ err: error, tokens: batch.length }, "token uses not recorded yet");
        for (const tally of batch) this.merge(tally);
      })
      .finally(() => {
        this.flushing = undefined;
      });

    await this.flushing;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), USE_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** The tallies of the UTC day holding `time`. */
  private dayOf(time: number): Map<string, Tally> {
    if (time < this.day.start || time >= this.day.end) {
      const start = time - (((time % DAY_MS) + DAY_MS) % DAY_MS);
      this.day = { name: new Date(start).toISOString().slice(0, 10), start, end: start + DAY_MS };
    }

    return this.tokensOn(this.day.name);
  }

  private tokensOn(day: string): Map<string, Tally> {
    let tokens = this.tallies.get(day);
    if (!tokens) {
      tokens = new Map();
      this.tallies.set(day, tokens);
    }

    return tokens;
  }

  private merge(tally: Tally): void {
    const tokens = this.tokensOn(tally.day);
    const current = tokens.get(tally.tokenId);
    if (!current) {
      tokens.set(tally.tokenId, tally);
      return;
    }

    current.uses += tally.uses;
    if (tally.lastUsedAt > current.lastUsedAt) current.lastUsedAt = tally.lastUsedAt;
  }
}
