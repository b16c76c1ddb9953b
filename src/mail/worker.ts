import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../db/database.ts";
import { PollingLoop } from "../jobs/loop.ts";
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
export class MailWorker extends PollingLoop {
  constructor(private readonly options: MailWorkerOptions) {
    super(options.idleMs ?? 500);
  }

  /** Delivers everything ready now; for tests and shutdown. */
  async drain(): Promise<number> {
    let total = 0;
    for (let sent = await this.batch(); sent > 0; sent = await this.batch()) total += sent;

    return total;
  }

  protected async step(): Promise<boolean> {
    return (await this.batch()) > 0;
  }

  protected failed(error: unknown): void {
    this.options.log.error({ err: error }, "mail worker failed");
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
