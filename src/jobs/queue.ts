import type { Queryable } from "../db/database.ts";

export interface Job<P = unknown> {
  jobId: number;
  kind: string;
  payload: P;
  attempts: number;
  maxAttempts: number;
  priority: number;
}

/** How long a claimed job stays with its worker before another instance may take it. */
const LEASE_SECONDS = 120;

/** Adds a job; it runs once `delaySeconds` have passed (a safety net for work done inline). */
export async function enqueueJob(
  tx: Queryable,
  job: { kind: string; payload: unknown; priority: number; delaySeconds?: number },
): Promise<number> {
  const result = await tx.query<{ jobId: number }>(
    `insert into jobs (kind, payload, priority, run_at)
     values ($1, $2::jsonb, $3, now() + make_interval(secs => $4))
     returning job_id as "jobId"`,
    [job.kind, JSON.stringify(job.payload), job.priority, job.delaySeconds ?? 0],
  );

  return Number(result.rows[0]?.jobId);
}

/** Keeps a long job with its worker: called between steps, well inside the lease. */
export async function renewLease(db: Queryable, jobId: number, seconds: number): Promise<void> {
  await db.query(
    `update jobs set locked_until = now() + make_interval(secs => $2)
      where job_id = $1 and status = 'running'`,
    [jobId, seconds],
  );
}

/**
 * Claims up to `limit` ready jobs of the given kinds, lowest priority number first. Several
 * instances share the table: SKIP LOCKED hands each job to one of them, and a job whose worker
 * died comes back once its lease runs out.
 */
export async function claimJobs<P>(
  db: Queryable,
  kinds: readonly string[],
  limit: number,
  leaseSeconds = LEASE_SECONDS,
): Promise<Job<P>[]> {
  const result = await db.query<Job<P>>(
    `update jobs j
        set status = 'running', attempts = j.attempts + 1,
            locked_until = now() + make_interval(secs => $3)
      where j.job_id in (
        select job_id from jobs
         where kind = any($1::text[])
           and ((status = 'queued' and run_at <= now())
             or (status = 'running' and locked_until < now()))
         order by priority, run_at, job_id
         limit $2
         for update skip locked)
      returning j.job_id as "jobId", j.kind, j.payload, j.attempts,
                j.max_attempts as "maxAttempts", j.priority`,
    [kinds, limit, leaseSeconds],
  );

  // UPDATE ... RETURNING keeps no order: put the batch back in priority order.
  return result.rows.sort((a, b) => a.priority - b.priority || a.jobId - b.jobId);
}

/** Marks a job done; `erase` names payload keys to drop (sealed secrets). */
export async function completeJob(
  db: Queryable,
  jobId: number,
  erase: string[] = [],
): Promise<void> {
  await db.query(
    `update jobs set status = 'done', finished_at = now(), locked_until = null,
            last_error = null, payload = payload - $2::text[]
      where job_id = $1`,
    [jobId, erase],
  );
}

/**
 * Records a failure: the job runs again after an exponential backoff (2, 4, 8 ... seconds, at
 * most an hour), or is marked failed after its last attempt.
 */
export async function failJob(db: Queryable, job: Job, error: string): Promise<void> {
  const final = job.attempts >= job.maxAttempts;
  const backoff = Math.min(2 ** job.attempts, 3600);

  await db.query(
    `update jobs
        set status = $2, last_error = $3, locked_until = null,
            run_at = now() + make_interval(secs => $4),
            finished_at = case when $2 = 'failed' then now() end
      where job_id = $1`,
    [job.jobId, final ? "failed" : "queued", error.slice(0, 1000), backoff],
  );
}
