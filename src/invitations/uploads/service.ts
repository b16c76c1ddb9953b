import type { Readable } from "node:stream";
import type { Context } from "../../context.ts";
import type { Queryable } from "../../db/database.ts";
import { AppError } from "../../errors.ts";
import { enqueueJob } from "../../jobs/queue.ts";
import { MAIL_PRIORITY, queuedMails } from "../../mail/outbox.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { mayGrant, type Caller } from "../../members/access.ts";
import { inspectCsv, readCsvRows, type CsvInspection } from "../csv/reader.ts";
import {
  classifyKeys,
  expirePending,
  lockOrganizationForInvites,
  type InvitationRole,
} from "../queries.ts";
import { assertKnownProduct } from "../service.ts";
import { receiveFile, storedFile, dropFile, type UploadKey } from "./file.ts";
import {
  analyzeUploadTables,
  mailChunk,
  nextChunk,
  publishChunk,
  publishUpload,
  type Chunk,
} from "./publish.ts";
import {
  deleteUpload,
  findUpload,
  firstLines,
  insertUpload,
  lockUpload,
  markReceived,
  requestCommit,
  setStatus,
  storeRows,
  uploadsSince,
  type UploadRow,
} from "./queries.ts";
import { stageRow, type RowDefaults, type StagedRow } from "./rows.ts";

export const UPLOAD_JOB = "invitation.upload";

/** Behind account mail, ahead of bulk invitation mail (which the job itself writes). */
const UPLOAD_JOB_PRIORITY = 80;

/** Rows per committed chunk: small enough that PGlite's one connection is never held long. */
/**
 * Rows per committed chunk. PGlite's one connection is shared with every request, so its
 * chunks stay small; a server has a pool, and fewer, larger statements go faster there.
 */
function chunkRows(ctx: Context): { rows: number; mails: number } {
  const rows = ctx.config.upload.chunkRows ?? (ctx.db.kind === "pglite" ? 2000 : 10_000);

  return { rows, mails: Math.max(1, Math.floor(rows / 4)) };
}

/** A job for work the request does itself, in case the process dies before it is done. */
const SAFETY_NET_SECONDS = 60;

const HOUR_MS = 3_600_000;

/** The longest pause between chunks on PGlite. */
const MAX_PAUSE_MS = 250;

/**
 * Gives waiting requests their turn between chunks. PGlite answers in-process without real
 * I/O, so a loop of its queries would never let the event loop read a socket; and since it has
 * one connection, the job pauses as long as its chunk took, leaving requests half the time.
 */
async function breathe(ctx: Context, chunkStarted: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  if (ctx.db.kind !== "pglite") return;

  const pause = Math.min(MAX_PAUSE_MS, Date.now() - chunkStarted);
  await new Promise((resolve) => setTimeout(resolve, pause));
}

export interface StartUploadInput {
  caller: Caller;
  body: Readable;
  filename: string | null;
  role: InvitationRole;
  seatProduct: string | null;
  column: string | null;
  /** Invite at once after reading, without a separate commit request. */
  commit: boolean;
}

function keyOf(upload: UploadKey): UploadKey {
  return { orgId: upload.orgId, uploadId: upload.uploadId };
}

/** The product a `seat` column's "yes" means when the upload names none: the only one sold. */
function soleProduct(ctx: Context): string | null {
  const products = new Set(ctx.config.plans.map((plan) => plan.product));

  return products.size === 1 ? ([...products][0] as string) : null;
}

async function createUploadRow(ctx: Context, input: StartUploadInput): Promise<UploadKey> {
  const orgId = input.caller.membership.orgId;

  return ctx.db.transaction(async (tx) => {
    // The lock makes the hourly count true when two uploads arrive together.
    await lockOrganizationForInvites(tx, orgId, input.caller.user.id);
    const now = ctx.clock.now();
    const since = new Date(now.getTime() - HOUR_MS);
    const limit = ctx.config.upload.perHour;
    const recent = await uploadsSince(tx, orgId, since);
    if (recent.count >= limit) {
      const freed = (recent.first?.getTime() ?? now.getTime()) + HOUR_MS;
      const retryAfter = Math.max(1, Math.ceil((freed - now.getTime()) / 1000));
      throw new AppError("invitation.upload.rate_limited", { limit, retryAfter });
    }

    const uploadId = await insertUpload(tx, {
      orgId,
      createdBy: input.caller.user.id,
      filename: input.filename,
      role: input.role,
      seatProduct: input.seatProduct,
      mayGrantBillingAdmin: mayGrant(input.caller.membership, "isBillingAdmin"),
      columnChoice: input.column,
      now,
    });

    return { orgId, uploadId };
  });
}

/** Stores the file and reads its layout; a file that cannot be taken leaves nothing behind. */
async function receive(ctx: Context, key: UploadKey, input: StartUploadInput) {
  try {
    const byteSize = await receiveFile(ctx.db, key, input.body, ctx.config.upload.maxBytes);
    const layout = await inspectCsv(storedFile(ctx.db, key), {
      maxRows: ctx.config.upload.maxRows,
      column: input.column ?? undefined,
    });
    if (layout.seatColumn && !input.seatProduct && !soleProduct(ctx)) {
      throw new AppError("invitation.upload.seat_product_needed");
    }
    await markReceived(ctx.db, key, { byteSize, layout });

    return layout;
  } catch (error) {
    await deleteUpload(ctx.db, key);
    throw error;
  }
}

function isInline(ctx: Context, layout: CsvInspection | null): boolean {
  return (layout?.records ?? 0) <= ctx.config.upload.inlineRows;
}

/**
 * Takes an uploaded CSV file: stores it, reads its layout (encoding, delimiter, columns) and
 * then its rows into a dry run with a result per row. A small file is read within the request;
 * a large one by a background job. With `commit`, the invitations follow without a second
 * request. Errors: the file's (`invitation.upload.*`), `invitation.upload.rate_limited`.
 */
export async function startUpload(ctx: Context, input: StartUploadInput): Promise<UploadRow> {
  assertKnownProduct(ctx, input.seatProduct, "/querystring/seatProduct");
  const key = await createUploadRow(ctx, input);
  const layout = await receive(ctx, key, input);

  const inline = isInline(ctx, layout);
  await ctx.db.transaction(async (tx) => {
    if (input.commit) {
      await requestCommit(tx, key, input.caller.user.id, ctx.clock.now(), "reading");
    }
    await enqueueJob(tx, {
      kind: UPLOAD_JOB,
      payload: key,
      priority: UPLOAD_JOB_PRIORITY,
      delaySeconds: inline ? SAFETY_NET_SECONDS : 0,
    });
  });
  if (inline) await advanceUpload(ctx, key);

  return (await findUpload(ctx.db, key)) as UploadRow;
}

/**
 * Asks for an upload's invitations to be sent. Idempotent: asking again changes nothing. A
 * commit publishes every invitation at once, however long the writing takes, and a restart
 * half-way resumes it. Errors: `invitation.upload.not_found`, `invitation.upload.failed`.
 */
export async function commitUpload(ctx: Context, caller: Caller, key: UploadKey) {
  const upload = await ctx.db.transaction(async (tx) => {
    const found = await lockUpload(tx, key);
    if (!found || found.status === "receiving") throw new AppError("invitation.upload.not_found");
    if (found.status === "failed") {
      throw new AppError("invitation.upload.failed", { reason: found.errorCode });
    }
    if (found.commitRequestedBy) return found;

    const status = found.status === "ready" ? "committing" : found.status;
    await requestCommit(tx, key, caller.user.id, ctx.clock.now(), status);
    await enqueueJob(tx, {
      kind: UPLOAD_JOB,
      payload: key,
      priority: UPLOAD_JOB_PRIORITY,
      delaySeconds: isInline(ctx, found.layout) ? SAFETY_NET_SECONDS : 0,
    });

    return found;
  });
  if (isInline(ctx, upload.layout)) await advanceUpload(ctx, key);

  return (await findUpload(ctx.db, key)) as UploadRow;
}

function defaultsOf(ctx: Context, upload: UploadRow): RowDefaults {
  return {
    role: upload.role,
    seatProduct: upload.seatProduct,
    seatProductForYes: upload.seatProduct ?? soleProduct(ctx),
    mayGrantBillingAdmin: upload.mayGrantBillingAdmin,
  };
}

/**
 * The set-based half of the dry run, for one chunk: duplicates of earlier rows (in the chunk
 * or stored before), then members and pending invitations, each in one query.
 */
async function classifyChunk(ctx: Context, key: UploadKey, rows: StagedRow[]) {
  const candidates = rows.filter((row) => row.outcome === "invited");
  const keys = [...new Set(candidates.map((row) => row.key as string))];
  const earlier = await firstLines(ctx.db, key, keys);

  for (const row of candidates) {
    const first = earlier.get(row.key as string);
    if (first === undefined) {
      earlier.set(row.key as string, row.line);
      continue;
    }
    Object.assign(row, { outcome: "duplicate", duplicateOf: first, invitationId: null });
  }

  const fresh = candidates.filter((row) => row.outcome === "invited");
  if (fresh.length === 0) return;
  const freshKeys = fresh.map((row) => row.key as string);
  await expirePending(ctx.db, key.orgId, freshKeys, ctx.clock.now());
  const states = new Map(
    (await classifyKeys(ctx.db, key.orgId, freshKeys)).map((state) => [state.key, state]),
  );
  for (const row of fresh) {
    const state = states.get(row.key as string);
    if (state?.state === "member") Object.assign(row, { outcome: "already_member" });
    if (state?.state === "invited") Object.assign(row, { outcome: "already_invited" });
    if (state) row.invitationId = state.invitationId;
  }
}

/** Reads the rows not yet read, a chunk per transaction; false if another worker has it. */
async function readRows(ctx: Context, upload: UploadRow, renew: () => Promise<void>) {
  const key = keyOf(upload);
  const layout = upload.layout as CsvInspection;
  const defaults = defaultsOf(ctx, upload);
  let readBefore = upload.readRows;
  let chunk: StagedRow[] = [];
  let started = Date.now();

  const store = async () => {
    await classifyChunk(ctx, key, chunk);
    const stored = await ctx.db.transaction((tx) => storeRows(tx, key, readBefore, chunk));
    readBefore += chunk.length;
    chunk = [];
    await renew();
    await breathe(ctx, started);
    started = Date.now();

    return stored;
  };

  const source = storedFile(ctx.db, key);
  const size = chunkRows(ctx).rows;
  for await (const row of readCsvRows(source, layout, { skip: readBefore })) {
    chunk.push(stageRow(row, defaults));
    if (chunk.length >= size && !(await store())) return false;
  }
  if (chunk.length > 0 && !(await store())) return false;

  return finishReading(ctx, key);
}

/** The dry run is complete: the upload waits for a commit, or goes on if one was asked. */
async function finishReading(ctx: Context, key: UploadKey): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const upload = await lockUpload(tx, key);
    if (upload?.status !== "reading") return false;
    if (upload.readRows !== upload.totalRows) {
      await failUpload(tx, key, "invitation.upload.unreadable", ctx.clock.now());
      return false;
    }

    await setStatus(tx, key, upload.commitRequestedBy ? "committing" : "ready");
    return true;
  });
}

interface ChunkWalk {
  /** The last line done before. */
  after: number;
  size: number;
  invitedOnly: boolean;
  /** Does one chunk; false stops the walk (another worker has it, or the outbox is full). */
  step: (chunk: Chunk) => Promise<boolean>;
  /** Checked before each chunk; true stops the walk. */
  pause?: () => Promise<boolean>;
}

/**
 * Walks the upload's rows a committed chunk at a time, keeping the job's lease and giving
 * requests their turn between chunks. Answers true once every chunk is done.
 */
async function walkChunks(
  ctx: Context,
  key: UploadKey,
  walk: ChunkWalk,
  renew: () => Promise<void>,
): Promise<boolean> {
  // Statistics once per phase: the fresh rows would otherwise look like empty tables.
  if (walk.after === 0) await analyzeUploadTables(ctx.db);

  for (let after = walk.after; ;) {
    const started = Date.now();
    if (await walk.pause?.()) return false;
    const chunk = await nextChunk(ctx.db, key, after, walk.size, walk.invitedOnly);
    if (!chunk) return true;
    if (!(await walk.step(chunk))) return false;

    after = chunk.end;
    await renew();
    await breathe(ctx, started);
  }
}

/** Publishes the rows not yet published, then the whole upload at once. */
async function publishRows(ctx: Context, upload: UploadRow, renew: () => Promise<void>) {
  const key = keyOf(upload);
  const done = await walkChunks(
    ctx,
    key,
    {
      after: upload.publishedThrough,
      size: chunkRows(ctx).rows,
      invitedOnly: false,
      step: (chunk) => publishChunk(ctx, upload, chunk),
    },
    renew,
  );
  if (!done) return false;

  await publishUpload(ctx, key);
  return true;
}

/** Puts every published invitation's mail in the outbox, then forgets the file. */
async function mailRows(ctx: Context, upload: UploadRow, renew: () => Promise<void>) {
  const key = keyOf(upload);
  const done = await walkChunks(
    ctx,
    key,
    {
      after: upload.mailedThrough,
      size: chunkRows(ctx).mails,
      invitedOnly: true,
      step: (chunk) => mailChunk(ctx, upload, chunk),
      pause: () => outboxIsFull(ctx, key),
    },
    renew,
  );
  if (!done) return;

  await dropFile(ctx.db, key);
  await setStatus(ctx.db, key, "committed", { finished: ctx.clock.now() });
}

/**
 * The outbox is fed no faster than mail leaves it: with half a minute of invitation mail
 * already waiting, the job comes back later instead of writing the rest. Sealed links then
 * sit in the outbox for minutes, not hours, and account mail never waits behind a flood.
 */
async function outboxIsFull(ctx: Context, key: UploadKey): Promise<boolean> {
  const rate = ctx.config.mailRatePerSecond;
  const room = Math.max(500, rate * 30);
  const waiting = await queuedMails(ctx.db, MAIL_PRIORITY.upload);
  if (waiting < room) return false;

  await enqueueJob(ctx.db, {
    kind: UPLOAD_JOB,
    payload: key,
    priority: UPLOAD_JOB_PRIORITY,
    delaySeconds: Math.max(1, Math.ceil((waiting - room / 2) / rate)),
  });
  return true;
}

/**
 * Moves an upload on as far as it can go: reading, then (once a commit is asked) publishing,
 * then mailing. Each step is committed chunk by chunk and picks up where the last one ended,
 * so it may be called again after a crash, by any instance.
 */
export async function advanceUpload(
  ctx: Context,
  key: UploadKey,
  renew: () => Promise<void> = async () => {},
): Promise<void> {
  for (;;) {
    const upload = await findUpload(ctx.db, key);
    if (!upload) return;

    if (upload.status === "reading") {
      if (!(await readRows(ctx, upload, renew))) return;
    } else if (upload.status === "committing") {
      if (!(await publishRows(ctx, upload, renew))) return;
    } else {
      if (upload.status === "committed" && !upload.finishedAt) await mailRows(ctx, upload, renew);
      return;
    }
  }
}

/** Marks an upload failed and takes back its unpublished invitations. */
async function failUpload(tx: Queryable, key: UploadKey, code: string, now: Date) {
  await tx.query(
    `delete from invitations i
      where i.org_id = $1 and i.upload_id = $2
        and exists (select 1 from invitation_uploads x where x.org_id = i.org_id
                       and x.upload_id = i.upload_id and x.published_at is null)`,
    [key.orgId, key.uploadId],
  );
  await setStatus(tx, key, "failed", { errorCode: code, finished: now });
}

/** The job that reads, publishes and mails large uploads. */
export function uploadJob(ctx: Context): JobHandler<UploadKey> {
  const giveUp = async (job: { payload: UploadKey }, code: string) => {
    await ctx.db.transaction(async (tx) => {
      const upload = await lockUpload(tx, keyOf(job.payload));
      if (upload && !upload.publishedAt) {
        await failUpload(tx, keyOf(job.payload), code, ctx.clock.now());
      }
    });
  };

  return {
    kind: UPLOAD_JOB,
    async run(job, renew) {
      try {
        await advanceUpload(ctx, keyOf(job.payload), renew);
      } catch (error) {
        // A file the reader refuses will be refused again: no point in retrying.
        if (!(error instanceof AppError)) throw error;
        await giveUp(job, error.code);
      }
    },
    giveUp: (job) => giveUp(job, "invitation.upload.failed"),
  };
}
