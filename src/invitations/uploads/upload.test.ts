import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person, type Person } from "../../../test/helpers/fixtures.ts";
import { PASSWORD } from "../../../test/helpers/people.ts";
import { startTestServer, type TestServer } from "../../../test/helpers/server.ts";
import {
  commitUpload,
  discardInvitationMails,
  invitationMailCount,
  pendingKeys,
  uploadFile,
  uploadState,
  uploadRows,
} from "../../../test/helpers/uploads.ts";
import { uploadReport } from "./report.ts";
import { advanceUpload } from "./service.ts";

const ROW_LIMIT = 3000;
const BYTE_LIMIT = 200_000;
const PER_HOUR = 5;

let server: TestServer;
let folder: string;

beforeAll(async () => {
  server = await startTestServer({
    env: {
      UPLOAD_MAX_ROWS: String(ROW_LIMIT),
      UPLOAD_MAX_BYTES: String(BYTE_LIMIT),
      UPLOADS_PER_HOUR: String(PER_HOUR),
      UPLOAD_INLINE_ROWS: "100",
      UPLOAD_CHUNK_ROWS: "2000",
    },
  });
  folder = mkdtempSync(path.join(tmpdir(), "tessera-upload-"));
});

afterAll(async () => {
  await server.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The index's generator: a BOM, a header and `rows` rows of userNNNNNN@example.com. */
function generated(rows: number): Buffer {
  const out = path.join(folder, `large-${rows}.csv`);
  const script = path.join(import.meta.dirname, "../../../test/cases/gen-large-upload.mjs");
  execFileSync(process.execPath, [script, String(rows), out]);

  return readFileSync(out);
}

async function scene(): Promise<{ owner: Person; orgId: string }> {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId };
}

async function uploadCount(orgId: string): Promise<number> {
  const result = await server.tessera.ctx.db.query<{ count: number }>(
    `select count(*)::int as count from invitation_uploads where org_id = $1`,
    [orgId],
  );

  return result.rows[0]?.count ?? 0;
}

describe("limits (C13)", () => {
  it("refuses a file one row over the limit before anything happens", async () => {
    const { owner, orgId } = await scene();
    const answer = await uploadFile(owner.client, orgId, generated(ROW_LIMIT + 1), {
      commit: true,
    });

    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({
      code: "invitation.upload.too_many_rows",
      details: { limit: ROW_LIMIT, count: ROW_LIMIT + 1 },
    });
    expect(await uploadCount(orgId)).toBe(0);
    expect(await pendingKeys(server, orgId)).toEqual([]);
    expect(await invitationMailCount(server, orgId)).toBe(0);
  });

  it("refuses a file over the byte limit, and an empty one", async () => {
    const { owner, orgId } = await scene();
    const big = Buffer.alloc(BYTE_LIMIT + 1, "a@example.com\n");
    const tooLarge = await uploadFile(owner.client, orgId, big);
    expect([tooLarge.status, tooLarge.body.error.code]).toEqual([
      413,
      "invitation.upload.file_too_large",
    ]);
    expect(tooLarge.body.error.details).toEqual({ limit: BYTE_LIMIT });

    const empty = await uploadFile(owner.client, orgId, "");
    expect([empty.status, empty.body.error.code]).toEqual([422, "invitation.upload.empty_file"]);
    expect(await uploadCount(orgId)).toBe(0);
  });

  it("takes exactly the limit in a background job, reporting progress until the last row", async () => {
    const { owner, orgId } = await scene();
    const started = await uploadFile(owner.client, orgId, generated(ROW_LIMIT));
    expect(started.status).toBe(201);
    const uploadId = started.body.upload.uploadId;
    expect(started.body.upload).toMatchObject({
      status: "reading",
      rows: ROW_LIMIT,
      progress: { phase: "reading", done: 0, total: ROW_LIMIT },
    });

    await server.runJobs();
    const read = await uploadState(owner.client, orgId, uploadId);
    expect(read).toMatchObject({
      status: "ready",
      progress: { phase: "waiting", done: ROW_LIMIT, total: ROW_LIMIT },
      counts: { invited: ROW_LIMIT },
    });

    const committing = await commitUpload(owner.client, orgId, uploadId);
    expect(committing.body.upload.status).toBe("committing");
    expect(await pendingKeys(server, orgId)).toEqual([]);

    await server.runJobs();
    const done = await uploadState(owner.client, orgId, uploadId);
    expect(done).toMatchObject({
      status: "committed",
      committed: true,
      progress: { phase: "done", done: ROW_LIMIT, total: ROW_LIMIT },
    });
    expect(done.finishedAt).not.toBeNull();
    expect((await pendingKeys(server, orgId)).length).toBe(ROW_LIMIT);
    expect(await invitationMailCount(server, orgId)).toBe(ROW_LIMIT);
    await discardInvitationMails(server, orgId);
  });

  it("limits uploads per organization per hour", async () => {
    const { owner, orgId } = await scene();
    for (let i = 0; i < PER_HOUR; i++) {
      expect((await uploadFile(owner.client, orgId, "a@example.com\n")).status).toBe(201);
    }

    const over = await uploadFile(owner.client, orgId, "a@example.com\n");
    expect([over.status, over.body.error.code]).toEqual([429, "invitation.upload.rate_limited"]);
    expect(over.headers.get("retry-after")).not.toBeNull();
  });
});

describe("committing", () => {
  it("keeps a half-written commit invisible, and a second run finishes it", async () => {
    const { owner, orgId } = await scene();
    const started = await uploadFile(owner.client, orgId, generated(2500));
    const uploadId = started.body.upload.uploadId;
    await server.runJobs();
    await commitUpload(owner.client, orgId, uploadId);

    // The worker dies after publishing its first chunk of 2,000.
    const crash = new Error("worker died");
    await expect(
      advanceUpload(server.tessera.ctx, { orgId, uploadId }, async () => {
        throw crash;
      }),
    ).rejects.toBe(crash);
    const half = await uploadState(owner.client, orgId, uploadId);
    expect(half).toMatchObject({ status: "committing", progress: { done: 2000 } });
    expect(await pendingKeys(server, orgId)).toEqual([]);
    const listed = await owner.client.get(`/api/v1/organizations/${orgId}/invitations`);
    expect(listed.body.invitations).toEqual([]);

    await advanceUpload(server.tessera.ctx, { orgId, uploadId });
    expect((await pendingKeys(server, orgId)).length).toBe(2500);
    expect(await invitationMailCount(server, orgId)).toBe(2500);
    await discardInvitationMails(server, orgId);
  });

  it("keeps answering sign-ins and progress polls while a large commit runs", async () => {
    const { owner, orgId } = await scene();
    const started = await uploadFile(owner.client, orgId, generated(ROW_LIMIT));
    const uploadId = started.body.upload.uploadId;
    await server.runJobs();
    await commitUpload(owner.client, orgId, uploadId);

    const jobs = server.runJobs();
    const signIn = await server.client().post("/api/v1/auth/sign-in", {
      email: owner.email,
      password: PASSWORD,
    });
    const poll = await uploadState(owner.client, orgId, uploadId);
    expect(signIn.status).toBe(200);
    expect(poll.finishedAt).toBeNull();

    await jobs;
    await discardInvitationMails(server, orgId);
  });

  it("lists the organization's uploads, newest first, to come back to", async () => {
    const { owner, orgId } = await scene();
    const first = await uploadFile(owner.client, orgId, "a@example.com\n", { filename: "a.csv" });
    server.clock.advance(1000);
    const second = await uploadFile(owner.client, orgId, "b@example.com\n", { filename: "b.csv" });

    const listed = await owner.client.get(`/api/v1/organizations/${orgId}/invitation-uploads`);
    expect(listed.status).toBe(200);
    expect(listed.body.uploads.map((u: any) => [u.uploadId, u.filename, u.status])).toEqual([
      [second.body.upload.uploadId, "b.csv", "ready"],
      [first.body.upload.uploadId, "a.csv", "ready"],
    ]);
  });

  it("is idempotent: committing again sends nothing more", async () => {
    const { owner, orgId } = await scene();
    const started = await uploadFile(
      owner.client,
      orgId,
      "email\nada@example.com\nbob@example.com\n",
    );
    const uploadId = started.body.upload.uploadId;

    const first = await commitUpload(owner.client, orgId, uploadId);
    const second = await commitUpload(owner.client, orgId, uploadId);
    expect(second.status).toBe(200);
    expect(second.body.upload.counts).toEqual(first.body.upload.counts);
    expect(await invitationMailCount(server, orgId)).toBe(2);
  });

  it("looks again at invitations made between the dry run and the commit", async () => {
    const { owner, orgId } = await scene();
    const started = await uploadFile(
      owner.client,
      orgId,
      "email\nada@example.com\nbob@example.com\n",
    );
    const uploadId = started.body.upload.uploadId;
    expect(started.body.upload.counts.invited).toBe(2);

    await owner.client.post(`/api/v1/organizations/${orgId}/invitations`, {
      emails: "ada@example.com",
    });
    const committed = await commitUpload(owner.client, orgId, uploadId);
    expect(committed.body.upload.counts).toMatchObject({ invited: 1, alreadyInvited: 1 });
    const rows = await uploadRows(owner.client, orgId, uploadId);
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      [2, "already_invited"],
      [3, "invited"],
    ]);
    expect(await invitationMailCount(server, orgId)).toBe(2);
  });

  it("takes role and seat columns, refusing values it does not know", async () => {
    const { owner, orgId } = await scene();
    const file =
      "email,role,seat\n" +
      "ada@example.com,Billing admin,yes\n" +
      "bob@example.com,member,no\n" +
      "cy@example.com,boss,\n" +
      "dee@example.com,,maybe\n";
    const started = await uploadFile(owner.client, orgId, file, { commit: true });
    expect(started.status, JSON.stringify(started.body)).toBe(201);

    const rows = await uploadRows(owner.client, orgId, started.body.upload.uploadId);
    expect(rows.map((r) => [r.line, r.outcome, r.role, r.seatProduct, r.reason])).toEqual([
      [2, "invited", "billing_admin", "conda", null],
      [3, "invited", "member", null, null],
      [4, "invalid", null, null, "invalid_role"],
      [5, "invalid", null, null, "invalid_seat"],
    ]);
    const invitations = await owner.client.get(`/api/v1/organizations/${orgId}/invitations`);
    const ada = invitations.body.invitations.find((i: any) => i.email === "ada@example.com");
    expect(ada).toMatchObject({ role: "billing_admin", seatProduct: "conda" });
  });
});

describe("the row report", () => {
  it("neutralises every cell a spreadsheet would run", async () => {
    const { owner, orgId } = await scene();
    const file =
      "email,name\n" +
      '"=HYPERLINK(""http://x"")",=1+2\n' +
      "bob@example.com,@SUM(A1)\n" +
      "+carol@example.com,-2\n" +
      '"\tdan@example.com","\rEve"\n';
    const started = await uploadFile(owner.client, orgId, file);
    expect(started.status, JSON.stringify(started.body)).toBe(201);

    const report = await owner.client.get(
      `/api/v1/organizations/${orgId}/invitation-uploads/${started.body.upload.uploadId}/report`,
    );
    expect(report.status).toBe(200);
    expect(report.headers.get("content-type")).toContain("text/csv");
    expect(report.headers.get("content-disposition")).toContain("attachment");

    const text = report.body as string;
    const cells = text.split(/\r\n/).flatMap((line) => line.split(","));
    const dangerous = cells.filter((cell) => /^"?[=+\-@\t\r]/.test(cell));
    expect(dangerous).toEqual([]);
    expect(text).toContain("'@SUM(A1)");
    expect(text.split("\r\n")[0]).toBe(
      "line,input,email,name,role,seat_product,outcome,reason,duplicate_of",
    );

    // Starts with a byte order mark, so that Excel reads it as UTF-8 (fetch's text() drops it).
    const key = { orgId, uploadId: started.body.upload.uploadId as string };
    const first = await uploadReport(server.tessera.ctx.db, key).next();
    expect(first.value?.startsWith("\ufeffline,")).toBe(true);
  });
});

describe("files it cannot take", () => {
  it("refuses a spreadsheet saved as .xlsx", async () => {
    const { owner, orgId } = await scene();
    const zip = Buffer.concat([
      Buffer.from("PK\u0003\u0004\u0014\u0000\u0006\u0000"),
      Buffer.alloc(64, 7),
    ]);
    const answer = await uploadFile(owner.client, orgId, zip, {
      contentType: "application/vnd.ms-excel",
    });
    expect([answer.status, answer.body.error.code]).toEqual([
      422,
      "invitation.upload.unsupported_encoding",
    ]);
    expect(await uploadCount(orgId)).toBe(0);
  });

  it("asks which column when two could be the address column, and takes the choice", async () => {
    const { owner, orgId } = await scene();
    const file = "Personal Email,Work Email\nada@home.example,ada@work.example\n";
    const unsure = await uploadFile(owner.client, orgId, file);
    expect([unsure.status, unsure.body.error.code]).toEqual([
      422,
      "invitation.upload.needs_column_mapping",
    ]);
    expect(unsure.body.error.details.candidates).toEqual(["Personal Email", "Work Email"]);

    const chosen = await uploadFile(owner.client, orgId, file, { column: "Work Email" });
    expect(chosen.status).toBe(201);
    const rows = await uploadRows(owner.client, orgId, chosen.body.upload.uploadId);
    expect(rows.map((r) => r.key)).toEqual(["ada@work.example"]);
  });

  it("keeps an email column whose sampled addresses are all mistyped, row by row", async () => {
    const { owner, orgId } = await scene();
    const started = await uploadFile(
      owner.client,
      orgId,
      "email,name\nrené@x.test,René\nbad@@x.test,Bad\n",
    );
    expect(started.status, JSON.stringify(started.body)).toBe(201);

    const rows = await uploadRows(owner.client, orgId, started.body.upload.uploadId);
    expect(rows.map((r) => [r.line, r.outcome, r.reason])).toEqual([
      [2, "invalid", "unsupported_local_part"],
      [3, "invalid", "invalid_email"],
    ]);
  });

  it("counts a mistyped address on the first line of a file without a header", async () => {
    const { owner, orgId } = await scene();
    const started = await uploadFile(owner.client, orgId, "ada@@x.test\nv1@x.test\nv2@x.test\n");
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.upload.file.header).toBe(false);

    const rows = await uploadRows(owner.client, orgId, started.body.upload.uploadId);
    expect(rows.map((r) => [r.line, r.outcome])).toEqual([
      [1, "invalid"],
      [2, "invited"],
      [3, "invited"],
    ]);
  });

  it("wants the file as the body, not JSON", async () => {
    const { owner, orgId } = await scene();
    const answer = await owner.client.post(`/api/v1/organizations/${orgId}/invitation-uploads`, {
      emails: "a@example.com",
    });
    expect([answer.status, answer.body.error.code]).toEqual([415, "invitation.upload.not_a_file"]);

    const form = await uploadFile(owner.client, orgId, "--x\r\n\r\na@example.com\r\n--x--", {
      contentType: "multipart/form-data; boundary=x",
    });
    expect([form.status, form.body.error.code]).toEqual([415, "invitation.upload.not_a_file"]);

    // What curl --data-binary sends without a -H: taken as the file.
    const curlish = await uploadFile(owner.client, orgId, "email\nada@example.com\n", {
      contentType: "application/x-www-form-urlencoded",
    });
    expect(curlish.status).toBe(201);
  });
});
