import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person, seat, subscription } from "../../test/helpers/fixtures.ts";
import { auditEvents, memberOf, membersOf, tokenRow } from "../../test/helpers/members.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const membersUrl = (orgId: string, userId = "") =>
  `/api/v1/organizations/${orgId}/members${userId ? `/${userId}` : ""}`;

describe("removeMember", () => {
  it("ends the member's seats and token at once, mails them and audits it", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const admin = await memberOf(server, orgId, { accountAdmin: true }, "admin");
    const bo = await memberOf(server, orgId, {}, "bo");
    const subscriptionId = await subscription(server, orgId, 3);
    await seat(server, orgId, subscriptionId, bo);
    await seat(server, orgId, await subscription(server, orgId, 2, "pypi"), bo, "pypi");
    const tokenId = await tokenRow(server, orgId, bo);
    server.clock.advance(3_600_000);

    const removed = await admin.client.delete(membersUrl(orgId, bo.userId));
    expect(removed.status).toBe(204);

    const db = server.tessera.ctx.db;
    const seats = await db.query(`select 1 from seats where org_id = $1 and user_id = $2`, [
      orgId,
      bo.userId,
    ]);
    expect(seats.rows).toEqual([]);
    const token = await db.query(
      `select status, ended_at as "endedAt" from tokens where org_id = $1 and token_id = $2`,
      [orgId, tokenId],
    );
    expect(token.rows).toEqual([{ status: "ended", endedAt: server.clock.now() }]);
    expect((await membersOf(server, orgId)).all).not.toContain(bo.userId);

    const events = await auditEvents(owner, orgId, "?action=member.removed");
    expect(events).toEqual([
      expect.objectContaining({
        actorId: admin.userId,
        targetType: "member",
        targetId: bo.userId,
        details: { seats: ["conda", "pypi"], tokenEnded: true },
      }),
    ]);

    await server.deliverMail();
    const mail = await server.smtp.waitFor(bo.email, /no longer a member/);
    expect(mail.subject).toBe(`You are no longer a member of Organization ${orgId}`);
    expect(mail.text).toContain("Hello bo,");

    const gone = await bo.client.get(`/api/v1/organizations/${orgId}`);
    expect(gone.status).toBe(404);
  });

  it("needs an owner to remove an owner, and never removes the last one", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const admin = await memberOf(server, orgId, { accountAdmin: true }, "admin");
    const second = await memberOf(server, orgId, { owner: true }, "second");

    const byAdmin = await admin.client.delete(membersUrl(orgId, second.userId));
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error.code).toBe("member.owner_required");

    const byOwner = await owner.client.delete(membersUrl(orgId, second.userId));
    expect(byOwner.status).toBe(204);

    const self = await owner.client.delete(membersUrl(orgId, owner.userId));
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe("member.last_owner");
    expect((await membersOf(server, orgId)).owners).toEqual([owner.userId]);
  });

  it("answers member.not_found for someone who is not a member", async () => {
    const [owner, outsider] = await Promise.all([person(server, "owner"), person(server, "out")]);
    const orgId = await organization(server, owner);

    const answer = await owner.client.delete(membersUrl(orgId, outsider.userId));

    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("member.not_found");
  });
});

describe("leaveOrganization", () => {
  it("ends the member's seats and token, audits it, and sends no mail", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const bo = await memberOf(server, orgId, {}, "bo");
    await seat(server, orgId, await subscription(server, orgId, 3), bo);
    const tokenId = await tokenRow(server, orgId, bo);

    const left = await bo.client.post(`/api/v1/organizations/${orgId}/leave`);
    expect(left.status).toBe(204);

    const db = server.tessera.ctx.db;
    const token = await db.query(`select status from tokens where org_id = $1 and token_id = $2`, [
      orgId,
      tokenId,
    ]);
    expect(token.rows).toEqual([{ status: "ended" }]);
    const seats = await db.query(`select 1 from seats where org_id = $1`, [orgId]);
    expect(seats.rows).toEqual([]);
    expect((await bo.client.get("/api/v1/organizations")).body.organizations).toEqual([]);

    expect(await auditEvents(owner, orgId, "?action=member.left")).toEqual([
      expect.objectContaining({
        actorId: bo.userId,
        targetId: bo.userId,
        details: { seats: ["conda"], tokenEnded: true },
      }),
    ]);
    await server.deliverMail();
    expect(server.smtp.to(bo.email).map((m) => m.subject)).toEqual([
      "Verify your email address for Tessera",
    ]);
  });

  it("refuses the last owner (member.last_owner), also when two owners leave at once", async () => {
    const ada = await person(server, "ada");
    const orgId = await organization(server, ada);

    const alone = await ada.client.post(`/api/v1/organizations/${orgId}/leave`);
    expect(alone.status).toBe(409);
    expect(alone.body.error.code).toBe("member.last_owner");

    const bo = await memberOf(server, orgId, { owner: true }, "bo");
    const answers = await Promise.all([
      ada.client.post(`/api/v1/organizations/${orgId}/leave`),
      bo.client.post(`/api/v1/organizations/${orgId}/leave`),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([204, 409]);
    expect((await membersOf(server, orgId)).owners).toHaveLength(1);
  });
});
