/**
 * A FIFO lock. PGlite has one connection, and transactions from several callers would
 * interleave on it, so every query and transaction on PGlite holds this lock while it runs.
 */
export class Queue {
  private tail: Promise<void> = Promise.resolve();

  /** Waits for every earlier holder, then returns the function that releases the lock. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const before = this.tail;
    this.tail = before.then(() => held);
    await before;

    return release;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
