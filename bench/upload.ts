/**
 * The CSV upload at 100,000 rows: dry run and commit over HTTP, wall time and the process's
 * peak memory above its idle level, beside parsing the same file alone in the same run. The
 * commit ends when every invitation is published; their mails then follow into the outbox at
 * the mail rate (MAIL_RATE_PER_SECOND), not all at once. While
 * the commit runs, a progress poll and a sign-in are timed, to show the server keeps answering.
 *
 * Runs on the embedded database, or on the server at DATABASE_URL (in a fresh database that it
 * drops afterwards):  npm run bench:upload   or   DATABASE_URL=postgres://... npm run bench:upload
 */
import { inspectCsv, readCsvRows } from "../src/invitations/csv/reader.ts";
import type { Tessera } from "../src/server.ts";
import { owner, startBenchServer, time, type Owner } from "./common.ts";

const ROWS = Number(process.env.BENCH_UPLOAD_ROWS ?? 100_000);
const MB = 1024 * 1024;

/** The index's large file: a BOM, a header and ROWS rows of userNNNNNN@example.com. */
function largeFile(): Buffer {
  const lines = ["\uFEFFemail,name"];
  for (let i = 1; i <= ROWS; i++) {
    const n = String(i).padStart(6, "0");
    lines.push(`user${n}@example.com,User ${n}`);
  }

  return Buffer.from(lines.join("\r\n") + "\r\n", "utf8");
}

/** The file in 64 KiB pieces, as a stored upload is read back. */
function pieces(file: Buffer) {
  return async function* read() {
    for (let at = 0; at < file.length; at += 64 * 1024) yield file.subarray(at, at + 64 * 1024);
  };
}

async function parseOnly(file: Buffer): Promise<number> {
  return time(async () => {
    const layout = await inspectCsv(pieces(file), { maxRows: ROWS });
    let rows = 0;
    for await (const row of readCsvRows(pieces(file), layout)) if (!row.blank) rows++;
    if (rows !== ROWS) throw new Error(`parsed ${rows} rows`);
  });
}

/** Samples resident memory until stopped; answers the peak. */
function memoryPeak(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);

  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** Runs the job worker until the upload reaches `done`, timing progress polls meanwhile. */
async function until(
  tessera: Tessera,
  who: Owner,
  uploadId: string,
  done: (upload: { status: string; committed: boolean }) => boolean,
) {
  const url = `${tessera.url}/api/v1/organizations/${who.orgId}/invitation-uploads/${uploadId}`;
  const polls: number[] = [];
  const jobs = tessera.jobs.drain();

  for (;;) {
    const started = performance.now();
    const answer = await fetch(url, { headers: { cookie: who.cookie } });
    const { upload } = (await answer.json()) as {
      upload: { status: string; committed: boolean; progress: { done: number } };
    };
    if (process.env.BENCH_VERBOSE) console.log(upload.status, upload.progress.done);
    polls.push(performance.now() - started);
    if (done(upload) || upload.status === "failed") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await jobs;

  return polls;
}

function line(name: string, value: string): void {
  console.log(`${name.padEnd(52)} ${value}`);
}

async function main(): Promise<void> {
  const bench = await startBenchServer();
  const { tessera } = bench;
  try {
    const who = await owner(tessera);
    const file = largeFile();
    await parseOnly(file);
    const parseMs = await parseOnly(file);
    global.gc?.();
    const idle = process.memoryUsage().rss;

    const memory = memoryPeak();
    let uploadId = "";
    const dryRunMs = await time(async () => {
      const answer = await fetch(
        `${tessera.url}/api/v1/organizations/${who.orgId}/invitation-uploads`,
        {
          method: "POST",
          headers: { cookie: who.cookie, origin: tessera.url, "content-type": "text/csv" },
          body: file,
        },
      );
      const body = (await answer.json()) as { upload: { uploadId: string } };
      uploadId = body.upload.uploadId;
      await until(tessera, who, uploadId, (upload) => upload.status === "ready");
    });

    let polls: number[] = [];
    let signInMs = 0;
    const commitMs = await time(async () => {
      await fetch(
        `${tessera.url}/api/v1/organizations/${who.orgId}/invitation-uploads/${uploadId}/commit`,
        { method: "POST", headers: { cookie: who.cookie, origin: tessera.url } },
      );
      const signingIn = time(() => who.signIn());
      polls = await until(tessera, who, uploadId, (upload) => upload.committed);
      signInMs = await signingIn;
    });
    const peak = memory.stop();

    const invited = await tessera.ctx.db.query<{ count: number }>(
      `select count(*)::int as count from invitations where org_id = $1`,
      [who.orgId],
    );
    if (invited.rows[0]?.count !== ROWS) throw new Error("not every row was invited");

    const ratio = (ms: number) => `${(ms / 1000).toFixed(2)} s  ratio ${(ms / parseMs).toFixed(1)}`;
    line("parse 100,000 rows alone (baseline)", `${(parseMs / 1000).toFixed(2)} s`);
    line("dry run (upload, read, classify) vs parse", ratio(dryRunMs));
    const mails = await tessera.ctx.db.query<{ count: number }>(
      `select count(*)::int as count from jobs where kind = 'mail.send'`,
    );
    line("commit (every invitation published) vs parse", ratio(commitMs));
    line(
      "invitation mails in the outbox by then",
      `${mails.rows[0]?.count ?? 0} (fed at the mail rate)`,
    );
    line("dry run + commit vs parse", ratio(dryRunMs + commitMs));
    line(
      "peak memory above idle",
      `${((peak - idle) / MB).toFixed(0)} MB (idle ${(idle / MB).toFixed(0)} MB)`,
    );
    line(
      "progress poll during commit, median / slowest",
      `${median(polls).toFixed(0)} ms / ${Math.max(...polls).toFixed(0)} ms`,
    );
    line("a sign-in during commit", `${signInMs.toFixed(0)} ms`);
  } finally {
    await bench.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

await main();
