/**
 * A background loop over the job table: runs `step` until it finds nothing to do, then waits
 * `idleMs` (or until kicked) and looks again. Workers for mail and for long jobs share it.
 */
export abstract class PollingLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly idleMs: number) {}

  /** Does one batch of work; answers whether there was any. */
  protected abstract step(): Promise<boolean>;

  /** Reports a step that threw; the loop goes on. */
  protected abstract failed(error: unknown): void;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Looks for work now instead of at the next poll. */
  kick(): void {
    this.wake?.();
  }

  /** Finishes the step in hand, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const worked = await this.step().catch((error: unknown) => {
        this.failed(error);
        return false;
      });
      if (!worked && this.running) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.idleMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
