import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../db/database.ts";
import { PollingLoop } from "./loop.ts";
import { claimJobs, completeJob, failJob, renewLease, type Job } from "./queue.ts";

/** Work of one kind: `run` may take long, calling `renew` between steps to keep the job. */
export interface JobHandler<P = unknown> {
  kind: string;
  run(job: Job<P>, renew: () => Promise<void>): Promise<void>;
  /** Called once the last attempt has failed, to leave things truthful. */
  giveUp?(job: Job<P>, error: string): Promise<void>;
}

export interface JobWorkerOptions {
  db: Database;
  log: FastifyBaseLogger;
  handlers: JobHandler<never>[];
  leaseSeconds: number;
  idleMs?: number;
}

/**
 * Runs long background jobs (large uploads) from the shared job table, one at a time per
 * instance. A job's lease is renewed as it goes, so a job whose process died is taken up by
 * another instance, or by this one after a restart, once the lease runs out.
 */
export class JobWorker extends PollingLoop {
  private readonly handlers: Map<string, JobHandler>;

  constructor(private readonly options: JobWorkerOptions) {
    super(options.idleMs ?? 1000);
    this.handlers = new Map(options.handlers.map((h) => [h.kind, h as JobHandler]));
  }

  /** Runs every job ready now, for tests. */
  async drain(): Promise<number> {
    let total = 0;
    while (await this.step()) total += 1;

    return total;
  }

  protected failed(error: unknown): void {
    this.options.log.error({ err: error }, "job worker failed");
  }

  protected async step(): Promise<boolean> {
    const { db, leaseSeconds } = this.options;
    const [job] = await claimJobs(db, [...this.handlers.keys()], 1, leaseSeconds);
    if (!job) return false;

    await this.execute(job);
    return true;
  }

  private async execute(job: Job): Promise<void> {
    const { db, log, leaseSeconds } = this.options;
    const handler = this.handlers.get(job.kind) as JobHandler;
    const renew = () => renewLease(db, job.jobId, leaseSeconds);

    try {
      await handler.run(job, renew);
      await completeJob(db, job.jobId);
      log.info({ jobId: job.jobId, kind: job.kind }, "job.done");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await failJob(db, job, message);
      log.warn(
        { jobId: job.jobId, kind: job.kind, attempt: job.attempts, error: message },
        "job.failed",
      );
      if (job.attempts >= job.maxAttempts) await handler.giveUp?.(job, message);
    }
  }
}
