import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person } from "../../test/helpers/fixtures.ts";
import { auditEvents, memberOf, membersOf } from "../../test/helpers/members.ts";
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

describe("updateMemberRoles", () => {
  it("lets an account admin set account and billing admin independently", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const admin = await memberOf(server, orgId, { accountAdmin: true }, "admin");
    const bo = await memberOf(server, orgId, {}, "bo");

    const billing = await admin.client.patch(membersUrl(orgId, bo.userId), { billingAdmin: true });
    expect(billing.status).toBe(200);
    expect(billing.body.member).toMatchObject({
      userId: bo.userId,
      name: "bo",
      email: bo.email,
      roles: { owner: false, accountAdmin: false, billingAdmin: true },
    });

    const both = await admin.client.patch(membersUrl(orgId, bo.userId), { accountAdmin: true });
    expect(both.body.member.roles).toEqual({
      owner: false,
      accountAdmin: true,
      billingAdmin: true,
    });

    const back = await admin.client.patch(membersUrl(orgId, bo.userId), { billingAdmin: false });
    expect(back.body.member.roles).toEqual({
      owner: false,
      accountAdmin: true,
      billingAdmin: false,
    });

    const events = await auditEvents(owner, orgId, "?action=member.roles_changed");
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject({
      actorId: admin.userId,
      actorName: "admin",
      targetType: "member",
      targetId: bo.userId,
      details: {
        before: { owner: false, accountAdmin: false, billingAdmin: false },
        after: { owner: false, accountAdmin: false, billingAdmin: true },
      },
    });
  });

  it("leaves only owners to make, unmake or change owners (member.owner_required)", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const admin = await memberOf(
      server,
      orgId,
      { accountAdmin: true, billingAdmin: true },
      "admin",
    );
    const bo = await memberOf(server, orgId, {}, "bo");

    for (const [target, body] of [
      [bo, { owner: true }],
      [owner, { owner: false }],
      [owner, { billingAdmin: true }],
    ] as const) {
      const refused = await admin.client.patch(membersUrl(orgId, target.userId), body);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe("member.owner_required");
    }
    expect((await membersOf(server, orgId)).owners).toEqual([owner.userId]);

    const made = await owner.client.patch(membersUrl(orgId, bo.userId), { owner: true });
    expect(made.status).toBe(200);
    expect(made.body.member.roles.owner).toBe(true);
    expect((await membersOf(server, orgId)).owners).toEqual([owner.userId, bo.userId].sort());
  });

  it("refuses an account admin making themselves billing admin (member.self_promotion)", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const admin = await memberOf(server, orgId, { accountAdmin: true }, "admin");

    for (const body of [{ billingAdmin: true }, { accountAdmin: true, billingAdmin: true }]) {
      const refused = await admin.client.patch(membersUrl(orgId, admin.userId), body);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toEqual({
        code: "member.self_promotion",
        message: "You cannot give yourself a role.",
        details: { role: "billingAdmin" },
      });
    }

    const me = await owner.client.get(`/api/v1/organizations/${orgId}/members?q=admin`);
    expect(me.body.members.map((m: any) => [m.userId, m.roles])).toEqual([
      [admin.userId, { owner: false, accountAdmin: true, billingAdmin: false }],
    ]);
    expect(await auditEvents(owner, orgId, "?action=member.roles_changed")).toEqual([]);
  });

  it("lets an admin keep or drop their own roles, and owners change their own", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const both = await memberOf(server, orgId, { accountAdmin: true, billingAdmin: true }, "both");
    const roles = async (who: typeof owner, body: object) => {
      const answer = await who.client.patch(membersUrl(orgId, who.userId), body);
      expect(answer.status).toBe(200);

      return answer.body.member.roles;
    };

    expect(await roles(both, { accountAdmin: true, billingAdmin: true })).toEqual({
      owner: false,
      accountAdmin: true,
      billingAdmin: true,
    });
    expect(await roles(both, { billingAdmin: false })).toEqual({
      owner: false,
      accountAdmin: true,
      billingAdmin: false,
    });
    const again = await both.client.patch(membersUrl(orgId, both.userId), { billingAdmin: true });
    expect([again.status, again.body.error.code]).toEqual([403, "member.self_promotion"]);

    expect(await roles(owner, { billingAdmin: true })).toEqual({
      owner: true,
      accountAdmin: true,
      billingAdmin: true,
    });
    expect(await roles(owner, { accountAdmin: false })).toEqual({
      owner: true,
      accountAdmin: false,
      billingAdmin: true,
    });
    expect(await roles(owner, { accountAdmin: true })).toEqual({
      owner: true,
      accountAdmin: true,
      billingAdmin: true,
    });

    expect(await roles(both, { accountAdmin: false })).toEqual({
      owner: false,
      accountAdmin: false,
      billingAdmin: false,
    });
    const gone = await both.client.patch(membersUrl(orgId, both.userId), { accountAdmin: true });
    expect([gone.status, gone.body.error.code]).toEqual([403, "organization.forbidden"]);
  });

  it("refuses to demote the last owner with member.last_owner", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);

    const refused = await owner.client.patch(membersUrl(orgId, owner.userId), { owner: false });

    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("member.last_owner");
    expect((await membersOf(server, orgId)).owners).toEqual([owner.userId]);
  });

  it("answers member.not_found for a non-member, request.invalid for bad input", async () => {
    const [owner, outsider] = await Promise.all([person(server, "owner"), person(server, "out")]);
    const orgId = await organization(server, owner);
    const bo = await memberOf(server, orgId);

    const missing = await owner.client.patch(membersUrl(orgId, outsider.userId), {
      billingAdmin: true,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("member.not_found");

    for (const body of [
      { owner: "yes" },
      { accountAdmin: 1 },
      { billingAdmin: null },
      { x: true },
    ]) {
      const bad = await owner.client.patch(membersUrl(orgId, bo.userId), body);
      expect(bad.body.error.code).toBe("request.invalid");
      expect(bad.status).toBe(400);
    }
  });

  it("keeps exactly one owner when two owners demote each other at the same moment", async () => {
    for (let round = 0; round < 5; round++) {
      const ada = await person(server, "ada");
      const orgId = await organization(server, ada);
      const bo = await memberOf(server, orgId, { owner: true, accountAdmin: true }, "bo");

      const answers = await Promise.all([
        ada.client.patch(membersUrl(orgId, bo.userId), { owner: false }),
        bo.client.patch(membersUrl(orgId, ada.userId), { owner: false }),
      ]);

      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses[0]).toBe(200);
      expect([403, 409]).toContain(statuses[1]);
      expect((await membersOf(server, orgId)).owners).toHaveLength(1);
    }
  });
});

describe("transferOwnership", () => {
  it("makes the target owner and account admin; the caller stays a member", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const bo = await memberOf(server, orgId, { billingAdmin: true }, "bo");

    const answer = await owner.client.post(`/api/v1/organizations/${orgId}/transfer-ownership`, {
      userId: bo.userId,
    });

    expect(answer.status).toBe(200);
    expect(answer.body.from).toMatchObject({
      userId: owner.userId,
      roles: { owner: false, accountAdmin: true, billingAdmin: false },
    });
    expect(answer.body.to).toMatchObject({
      userId: bo.userId,
      roles: { owner: true, accountAdmin: true, billingAdmin: true },
    });
    expect((await membersOf(server, orgId)).owners).toEqual([bo.userId]);
    expect(await auditEvents(bo, orgId, "?action=organization.ownership_transferred")).toEqual([
      expect.objectContaining({
        actorId: owner.userId,
        targetType: "member",
        targetId: bo.userId,
        details: { from: owner.userId, to: bo.userId },
      }),
    ]);

    const again = await owner.client.post(`/api/v1/organizations/${orgId}/transfer-ownership`, {
      userId: bo.userId,
    });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe("member.owner_required");
  });

  it("refuses a non-member, an owner, and bad input", async () => {
    const [owner, outsider] = await Promise.all([person(server, "owner"), person(server, "out")]);
    const orgId = await organization(server, owner);
    const second = await memberOf(server, orgId, { owner: true }, "second");
    const url = `/api/v1/organizations/${orgId}/transfer-ownership`;

    const stranger = await owner.client.post(url, { userId: outsider.userId });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe("member.not_found");

    const already = await owner.client.post(url, { userId: second.userId });
    expect(already.status).toBe(409);
    expect(already.body.error.code).toBe("member.already_owner");

    for (const body of [{ userId: 5 }, {}, { userId: "" }]) {
      const bad = await owner.client.post(url, body);
      expect(bad.body.error.code).toBe("request.invalid");
      expect(bad.status).toBe(400);
    }
    expect((await membersOf(server, orgId)).owners).toEqual([owner.userId, second.userId].sort());
  });
});
