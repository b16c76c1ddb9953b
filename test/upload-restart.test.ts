import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./helpers/client.ts";
import { createTestDatabase, onServer, type TestDatabase } from "./helpers/db.ts";
import { PASSWORD, tokenFrom } from "./helpers/people.ts";
import { freePort } from "./helpers/ports.ts";
import { launch, waitUntilAnswering, type Running } from "./helpers/process.ts";

/**
 * The server process is killed (SIGKILL, no goodbye) while it publishes a large upload, and
 * started again on the same data: the organization ends with every invitation of the file, and
 * until then with none, while the upload reports its state truthfully throughout.
 */

// Enough chunks of 2,000 that the commit is still being written when the test looks.
const ROWS = onServer ? 30_000 : 6_000;

let dataDir: string;
let database: TestDatabase | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "tessera-restart-"));
  if (onServer) database = await createTestDatabase();
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

/** The server on `port`, over the test's data, with small chunks and a short job lease. */
async function start(port: number): Promise<Running> {
  const running = launch({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    UPLOAD_INLINE_ROWS: "100",
    UPLOAD_CHUNK_ROWS: "2000",
    JOB_LEASE_SECONDS: "2",
    ...(database?.url ? { DATABASE_URL: database.url, SECRET: "r".repeat(40) } : {}),
  });
  children.push(running.child);
  await waitUntilAnswering(port, running, "/readyz");

  return running;
}

async function signUp(client: Client): Promise<void> {
  const email = "restart-owner@example.com";
  await client.post("/api/v1/auth/sign-up", { name: "Owner", email, password: PASSWORD });

  for (let i = 0; i < 100; i++) {
    const box = await client.get(`/api/v1/dev/mailbox?to=${email}`);
    const link = (box.body.mails as Array<{ text: string }>)
      .flatMap((mail) => mail.text.match(/https?:\/\/\S+verify-email\S+/g) ?? [])
      .at(0);
    if (link) {
      const verified = await client.post("/api/v1/auth/verify-email", { token: tokenFrom(link) });
      expect(verified.status).toBe(200);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("no verification mail");
}

function largeFile(): Buffer {
  const lines = ["email,name"];
  for (let i = 1; i <= ROWS; i++) lines.push(`person${i}@restart.example,Person ${i}`);

  return Buffer.from(lines.join("\r\n") + "\r\n");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a commit cut short by a killed process", () => {
  it("ends with all of the file's invitations after a restart, and with none before", async () => {
    const port = await freePort();
    const first = await start(port);
    const client = new Client(`http://127.0.0.1:${port}`);
    await signUp(client);
    const orgId = "restart-org";
    expect((await client.post("/api/v1/organizations", { orgId, name: "Restart" })).status).toBe(
      201,
    );

    const base = `/api/v1/organizations/${orgId}`;
    const started = await client.request<any>(
      "POST",
      `${base}/invitation-uploads?commit=true`,
      largeFile(),
      {
        "content-type": "text/csv",
      },
    );
    expect(started.status).toBe(201);
    const uploadId = started.body.upload.uploadId as string;
    const state = async () =>
      (await client.get(`${base}/invitation-uploads/${uploadId}`)).body.upload;

    // Wait until some chunks are written but the upload is not yet published.
    for (let seen = await state(); ; seen = await state()) {
      expect(seen.committed).toBe(false);
      if (seen.status === "committing") {
        const page = await client.get(`${base}/invitations?limit=1`);
        expect(page.body.invitations).toEqual([]);
        if (seen.progress.done >= 2000) break;
      }
      expect(["reading", "committing"]).toContain(seen.status);
      await sleep(20);
    }
    first.child.kill("SIGKILL");
    await first.exited;

    await start(port);
    // The job resumes where the killed process left it, once its lease has run out.
    const afterRestart = await state();
    expect(["committing", "committed"]).toContain(afterRestart.status);
    expect(afterRestart.progress.done).toBeGreaterThanOrEqual(2000);
    expect(afterRestart.progress.done).toBeLessThanOrEqual(ROWS);

    // None are visible until all are.
    let upload = afterRestart;
    for (let i = 0; i < 600 && !upload.committed; i++) {
      const page = await client.get(`${base}/invitations?limit=1`);
      upload = await state();
      if (!upload.committed) expect(page.body.invitations).toEqual([]);
      await sleep(100);
    }
    expect(upload).toMatchObject({ committed: true, counts: { invited: ROWS } });

    let listed = 0;
    for (let cursor: string | null = null; ;) {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await client.get(`${base}/invitations?limit=100${query}`);
      listed += page.body.invitations.length;
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    expect(listed).toBe(ROWS);
  }, 240_000);
});
