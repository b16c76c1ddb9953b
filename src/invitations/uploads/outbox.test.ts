import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person } from "../../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../../test/helpers/server.ts";
import {
  commitUpload,
  invitationMailCount,
  uploadFile,
  uploadState,
} from "../../../test/helpers/uploads.ts";
import { claimJobs, failJob } from "../../jobs/queue.ts";
import { MAIL_JOB, type MailPayload } from "../../mail/outbox.ts";

/**
 * A large upload feeds the outbox no faster than mail leaves it: at 10 mails a second the
 * outbox holds at most 500 waiting invitation mails, and the job comes back for the rest.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    env: { MAIL_RATE_PER_SECOND: "10", UPLOAD_INLINE_ROWS: "100", UPLOAD_CHUNK_ROWS: "2000" },
  });
});

afterAll(async () => {
  await server.stop();
});

const ROWS = 1200;

function file(): string {
  const lines = ["email"];
  for (let i = 0; i < ROWS; i++) lines.push(`paced${i}@example.com`);

  return lines.join("\n");
}

/** Marks the waiting invitation mails sent, as the mail worker would over time. */
async function mailLeaves(): Promise<void> {
  await server.tessera.ctx.db.query(
    `update jobs set status = 'done', finished_at = now()
      where kind = 'mail.send' and status = 'queued' and payload->>'template' = 'invitation'`,
  );
}

/** The time the upload job asked to wait, passed. */
async function laterOn(): Promise<void> {
  await server.tessera.ctx.db.query(
    `update jobs set run_at = now() where kind = 'invitation.upload' and status = 'queued'`,
  );
}

describe("mail from a large upload", () => {
  it("goes into the outbox at the rate it leaves, until every invitation has its mail", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const other = await person(server, "other");
    const otherOrg = await organization(server, other);
    const uploadId = (await uploadFile(owner.client, orgId, file())).body.upload.uploadId;
    await server.runJobs();
    await commitUpload(owner.client, orgId, uploadId);
    await server.runJobs();

    const state = () => uploadState(owner.client, orgId, uploadId);
    expect(await state()).toMatchObject({
      committed: true,
      progress: { phase: "mailing", done: 500, total: ROWS },
    });
    expect(await invitationMailCount(server, orgId)).toBe(500);

    // Another organization's invitation by list goes out before the upload's waiting mail.
    await other.client.post(`/api/v1/organizations/${otherOrg}/invitations`, {
      emails: "first-in-line@example.com",
    });
    const [next] = await claimJobs<MailPayload>(server.tessera.ctx.db, [MAIL_JOB], 1);
    expect(next?.payload.to).toBe("first-in-line@example.com");
    if (next) await failJob(server.tessera.ctx.db, next, "put back by the test");

    for (let round = 0; round < 5 && (await state()).finishedAt === null; round++) {
      await mailLeaves();
      await laterOn();
      await server.runJobs();
    }
    expect(await state()).toMatchObject({ progress: { phase: "done" } });
    expect(await invitationMailCount(server, orgId)).toBe(ROWS);
  });
});
