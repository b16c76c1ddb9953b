import { timingSafeEqual } from "node:crypto";

/** What the database said about a token hash, as the check remembers it. */
export type Standing =
  | { kind: "unknown" }
  | { kind: "refused"; orgId: string; code: "token.invalid" | "token.inactive" }
  | { kind: "good"; orgId: string; tokenId: string; products: string[] };

interface Entry {
  hash: Buffer;
  standing: Standing;
  /** Milliseconds on the check's clock after which the entry is not used. */
  expiresAt: number;
}

/** A change that can flip answers: every answer of an organization, and one token hash. */
export interface TokenChange {
  orgId?: string | undefined;
  hash?: Buffer | undefined;
}

/**
 * The check's answers in memory, keyed by the token's SHA-256, for a short time. Bounded: past
 * `maxEntries` the least recently used entry goes. Answers are dropped by organization or by
 * hash when something changes; every drop also moves the epoch on, and an answer looked up
 * before a drop is not stored after it, so a lookup racing a change cannot keep the old answer.
 * While `suspended` (the change feed is down) nothing is served or stored.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byOrganization = new Map<string, Set<string>>();
  private epochValue = 0;
  private suspended = false;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** False when the TTL is 0 or the change feed is down: every check asks the database. */
  get enabled(): boolean {
    return this.ttlMs > 0 && !this.suspended;
  }

  /** Moves on at every drop; take it before a lookup and hand it to `set`. */
  get epoch(): number {
    return this.epochValue;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The remembered standing of `hash`, if any and still fresh at `now`. */
  get(hash: Buffer, now: number): Standing | undefined {
    if (!this.enabled) return undefined;

    const key = hash.toString("hex");
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now || !timingSafeEqual(entry.hash, hash)) {
      this.remove(key);
      return undefined;
    }

    // Most recently used goes last, so the first entry is the one to evict.
    this.entries.delete(key);
    this.entries.set(key, entry);

    return entry.standing;
  }

  /**
   * Remembers a standing looked up at epoch `epoch`, until `now + TTL` or `until`, whichever
   * comes first. Does nothing when a drop happened since the lookup began.
   */
  set(hash: Buffer, standing: Standing, epoch: number, now: number, until?: number): void {
    if (!this.enabled || epoch !== this.epochValue) return;

    const key = hash.toString("hex");
    this.remove(key);
    const expiresAt = Math.min(now + this.ttlMs, until ?? Infinity);
    if (expiresAt <= now) return;

    this.entries.set(key, { hash: Buffer.from(hash), standing, expiresAt });
    if (standing.kind !== "unknown") this.index(standing.orgId, key);
    this.evict();
  }

  /** Drops every answer the change can flip. */
  forget(change: TokenChange): void {
    this.epochValue += 1;
    if (change.hash) this.remove(change.hash.toString("hex"));
    if (!change.orgId) return;

    const keys = this.byOrganization.get(change.orgId);
    if (!keys) return;
    for (const key of [...keys]) this.remove(key);
  }

  /** Drops everything. */
  clear(): void {
    this.epochValue += 1;
    this.entries.clear();
    this.byOrganization.clear();
  }

  /** Stops serving and storing answers, and drops what it has, until `resume`. */
  suspend(): void {
    this.suspended = true;
    this.clear();
  }

  /** Serves and stores again, starting empty: nothing heard while away is known. */
  resume(): void {
    this.clear();
    this.suspended = false;
  }

  private index(orgId: string, key: string): void {
    let keys = this.byOrganization.get(orgId);
    if (!keys) {
      keys = new Set();
      this.byOrganization.set(orgId, keys);
    }
    keys.add(key);
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;

    this.entries.delete(key);
    if (entry.standing.kind === "unknown") return;

    const keys = this.byOrganization.get(entry.standing.orgId);
    keys?.delete(key);
    if (keys?.size === 0) this.byOrganization.delete(entry.standing.orgId);
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.remove(oldest.value);
    }
  }
}
