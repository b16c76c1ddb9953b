import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../db/database.ts";
import { claimJobs, completeJob, failJob, type Job } from "../jobs/queue.ts";
import { MAIL_JOB, type MailPayload } from "./outbox.ts";
import type { Sealer } from "./sealing.ts";
import { renderMail } from "./templates/index.ts";
import type { MailTransport } from "./transport.ts";

export interface MailWorkerOptions {
  db: Database;
  sealer: Sealer;
  transport: MailTransport;
  from: string;
  log: FastifyBaseLogger;
  /** Most messages per second. */
  ratePerSecond: number;
  idleMs?: number;
}

/**
 * Delivers the outbox: claims mail jobs in priority order, renders each at send time, sends
 * it, and erases its sealed secrets once delivered. Failures are retried with backoff.
 */
export class MailWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: MailWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Looks at the outbox now instead of at the next poll. */
  kick(): void {
    this.wake?.();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** Delivers everything ready now; for tests and shutdown. */
  async drain(): Promise<number> {
    let total = 0;
    for (let sent = await this.batch(); sent > 0; sent = await this.batch()) total += sent;

    return total;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const sent = await this.batch().catch((error: unknown) => {
        this.options.log.error({ err: error }, "mail worker failed");
        return 0;
      });
      if (sent === 0 && this.running) await this.idle();
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.options.idleMs ?? 500);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async batch(): Promise<number> {
    const size = Math.max(1, Math.min(50, this.options.ratePerSecond));
    const jobs = await claimJobs<MailPayload>(this.options.db, [MAIL_JOB], size);
    const started = Date.now();
    for (const job of jobs) await this.deliver(job);

    // Keep to the configured rate: a full batch takes at least a second's share.
    const minimum = (jobs.length / this.options.ratePerSecond) * 1000;
    const wait = minimum - (Date.now() - started);
    if (jobs.length > 0 && wait > 0) await new Promise((r) => setTimeout(r, wait));

    return jobs.length;
  }

  private async deliver(job: Job<MailPayload>): Promise<void> {
    const { db, sealer, transport, from, log } = this.options;
    const { template, to, params, sealed } = job.payload;

    try {
      const secrets = sealed ? sealer.open(sealed) : {};
      const rendered = renderMail(template, params, secrets);
      await transport.send({ from, to, ...rendered }, job.jobId);
      await completeJob(db, job.jobId, ["sealed"]);
      log.info({ jobId: job.jobId, template }, "mail.sent");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await failJob(db, job, message);
      log.warn(
        { jobId: job.jobId, template, attempt: job.attempts, error: message },
        "mail.failed",
      );
    }
  }
}
