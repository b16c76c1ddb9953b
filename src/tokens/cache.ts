/** What the database said about a token hash, as the check remembers it. */
export type Standing =
  | { kind: "unknown" }
  | { kind: "refused"; orgId: string; code: "token.invalid" | "token.inactive" }
  | { kind: "good"; orgId: string; tokenId: string; products: string[]; yes: Yes };

/** The check's yes for a good standing: one object per standing, so its HTTP answer is built once. */
export interface Yes {
  readonly ok: true;
  readonly organization: string;
  readonly products: readonly string[];
}

interface Entry {
  /** The token's SHA-256 in hex. */
  key: string;
  standing: Standing;
  /** Milliseconds on the check's clock after which the entry is not used. */
  expiresAt: number;
}

/** A change that can flip answers: every answer of an organization, and one token hash. */
export interface TokenChange {
  orgId?: string | undefined;
  hash?: Buffer | undefined;
}

// Entries are found by the first 64 bits of the hash; the whole hash is then compared in
// constant time, so the lookup's timing says nothing past those bits.
const BUCKET_CHARS = 16;

/** Equal-length hex strings compared without an early exit. */
function sameKey(a: string, b: string): boolean {
  if (a.length !== b.length) return false;

  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);

  return difference === 0;
}

/**
 * The check's answers in memory, keyed by the token's SHA-256 (hex), for a short time.
 * Bounded: past `maxEntries` the oldest answer goes, which, every answer living at most one
 * TTL, is the one due to expire first; a hit does no bookkeeping. Answers are dropped by
 * organization or by hash when something changes; every drop also moves the epoch on, and an
 * answer looked up before a drop is not stored after it, so a lookup racing a change cannot
 * keep the old answer. While `suspended` (the change feed is down) nothing is served or stored.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byOrganization = new Map<string, Set<string>>();
  private epochValue = 0;
  private suspended = false;
  /** On the `monotonic` clock: answers are served only before it (see `confirm`). */
  private confirmedUntil = Infinity;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  /**
   * False when the TTL is 0, the change feed is down, or it has not confirmed lately that it
   * missed nothing: every check asks the database.
   */
  get enabled(): boolean {
    return this.ttlMs > 0 && !this.suspended && this.monotonic() < this.confirmedUntil;
  }

  /** Moves on at every drop; take it before a lookup and hand it to `set`. */
  get epoch(): number {
    return this.epochValue;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The remembered standing of the hash `key` (hex), if any and still fresh at `now`. */
  get(key: string, now: number): Standing | undefined {
    if (!this.enabled) return undefined;

    const bucket = key.slice(0, BUCKET_CHARS);
    const entry = this.entries.get(bucket);
    if (!entry || !sameKey(entry.key, key)) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(bucket);
      return undefined;
    }

    return entry.standing;
  }

  /**
   * Remembers a standing looked up at epoch `epoch`, until `now + TTL` or `until`, whichever
   * comes first. Does nothing when a drop happened since the lookup began.
   */
  set(key: string, standing: Standing, epoch: number, now: number, until?: number): void {
    if (!this.enabled || epoch !== this.epochValue) return;

    const bucket = key.slice(0, BUCKET_CHARS);
    this.remove(bucket);
    const expiresAt = Math.min(now + this.ttlMs, until ?? Infinity);
    if (expiresAt <= now) return;

    this.entries.set(bucket, { key, standing, expiresAt });
    if (standing.kind !== "unknown") this.index(standing.orgId, bucket);
    this.evict();
  }

  /** Drops every answer the change can flip. */
  forget(change: TokenChange): void {
    this.epochValue += 1;
    if (change.hash) this.remove(change.hash.toString("hex").slice(0, BUCKET_CHARS));
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

  /**
   * The change feed has just shown that it missed no change, and lets answers be served until
   * `until` (milliseconds on the `monotonic` clock). Past it nothing is served or stored until
   * it shows so again: a feed gone quiet without an error turns the cache off on time, however
   * long its connection takes to be declared lost.
   */
  confirm(until: number): void {
    this.confirmedUntil = until;
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
