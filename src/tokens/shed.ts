/**
 * A bound on the token checks waiting for the database. Past it, a check is refused at once
 * (the caller answers 503 with Retry-After) rather than queued: a queue without bound turns an
 * overload into seconds of latency for every download.
 */
export class CheckLimit {
  private inFlight = 0;

  constructor(private readonly max: number) {}

  get current(): number {
    return this.inFlight;
  }

  /** Runs `lookup` if there is room, else answers `undefined` without running it. */
  async run<T>(lookup: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.inFlight >= this.max) return undefined;

    this.inFlight += 1;
    try {
      return { value: await lookup() };
    } finally {
      this.inFlight -= 1;
    }
  }
}
