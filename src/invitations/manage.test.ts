import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  invitationSecret,
  organization,
  person,
  type Person,
} from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const base = (orgId: string) => `/api/v1/organizations/${orgId}/invitations`;
const DAY = 86_400_000;

async function setUp() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId };
}

async function invite(owner: Person, orgId: string, emails: string, extra = {}) {
  const answer = await owner.client.post(base(orgId), { emails, ...extra });
  expect(answer.status).toBe(200);

  return (answer.body.results as any[]).map((r) => r.invitationId as string);
}

async function expire(orgId: string, invitationId: string) {
  await server.tessera.ctx.db.query(
    `update invitations set expires_at = $3 where org_id = $1 and invitation_id = $2`,
    [orgId, invitationId, new Date(server.clock.now().getTime() - 1000)],
  );
}

async function auditActions(orgId: string, targetId: string) {
  const result = await server.tessera.ctx.db.query<{ action: string }>(
    `select action from audit_events where org_id = $1 and target_id = $2 order by event_id`,
    [orgId, targetId],
  );

  return result.rows.map((r) => r.action);
}

describe("listInvitations", () => {
  it("lists pending invitations newest first with who invited them", async () => {
    const { owner, orgId } = await setUp();
    const [first] = await invite(owner, orgId, "Ada Lovelace <Ada@Example.com>", {
      role: "account_admin",
      seatProduct: "conda",
    });
    const created = server.clock.now();
    server.clock.advance(1000);
    const [second] = await invite(owner, orgId, "bo@example.com");

    const answer = await owner.client.get(base(orgId));

    expect(answer.status).toBe(200);
    expect(answer.body.invitations.map((i: any) => i.invitationId)).toEqual([second, first]);
    expect(answer.body.invitations[1]).toEqual({
      invitationId: first,
      email: "Ada@Example.com",
      name: "Ada Lovelace",
      role: "account_admin",
      seatProduct: "conda",
      status: "pending",
      expiresAt: new Date(created.getTime() + 7 * DAY).toISOString(),
      invitedBy: { userId: owner.userId, name: "owner" },
      createdAt: created.toISOString(),
      sentAt: created.toISOString(),
    });
    expect(answer.body.nextCursor).toBeNull();
  });

  it("filters by status, showing pending ones past expiry as expired", async () => {
    const { owner, orgId } = await setUp();
    const [kept, lapsed, revoked] = await invite(
      owner,
      orgId,
      "k@example.com, l@example.com, r@example.com",
    );
    await expire(orgId, lapsed as string);
    await owner.client.delete(`${base(orgId)}/${revoked}`);

    const ids = async (query: string) => {
      const answer = await owner.client.get(`${base(orgId)}${query}`);
      return (answer.body.invitations as any[]).map((i) => [i.invitationId, i.status]);
    };

    expect(await ids("")).toEqual([[kept, "pending"]]);
    expect(await ids("?status=expired")).toEqual([[lapsed, "expired"]]);
    expect(await ids("?status=revoked")).toEqual([[revoked, "revoked"]]);
    expect(await ids("?status=accepted")).toEqual([]);
    expect((await ids("?status=all")).sort()).toEqual(
      [
        [kept, "pending"],
        [lapsed, "expired"],
        [revoked, "revoked"],
      ].sort(),
    );
  });

  it("pages with a cursor without skipping or repeating", async () => {
    const { owner, orgId } = await setUp();
    const all = new Set<string>();
    for (let i = 0; i < 3; i++) {
      (await invite(owner, orgId, `p${i}a@example.com p${i}b@example.com`)).forEach((id) =>
        all.add(id),
      );
      server.clock.advance(1000);
    }

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 4; page++) {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const answer = await owner.client.get(`${base(orgId)}?limit=4${query}`);
      seen.push(...(answer.body.invitations as any[]).map((i) => i.invitationId as string));
      cursor = answer.body.nextCursor;
      if (!cursor) break;
    }

    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(all);
    const bad = await owner.client.get(`${base(orgId)}?cursor=nonsense`);
    expect([bad.status, bad.body.error.code]).toEqual([400, "request.invalid"]);
  });
});

describe("resendInvitation", () => {
  it("mails a new link with a new expiry; the old link stops working", async () => {
    const { owner, orgId } = await setUp();
    const [id] = await invite(owner, orgId, "again@example.com");
    const oldSecret = await invitationSecret(server, "again@example.com", orgId);
    server.clock.advance(DAY);

    const answer = await owner.client.post(`${base(orgId)}/${id}/resend`);

    expect(answer.status).toBe(200);
    expect(answer.body.invitation).toMatchObject({
      invitationId: id,
      status: "pending",
      expiresAt: new Date(server.clock.now().getTime() + 7 * DAY).toISOString(),
      sentAt: server.clock.now().toISOString(),
    });
    const newSecret = await invitationSecret(server, "again@example.com", orgId);
    expect(newSecret).not.toBe(oldSecret);
    const oldLink = await server.client().get(`/api/v1/invitation-links/${oldSecret}`);
    expect([oldLink.status, oldLink.body.error.code]).toEqual([404, "invitation.not_found"]);
    const newLink = await server.client().get(`/api/v1/invitation-links/${newSecret}`);
    expect(newLink.body.status).toBe("pending");
    expect(await auditActions(orgId, id as string)).toEqual([
      "invitation.created",
      "invitation.resent",
    ]);
  });

  it("makes an expired invitation pending again", async () => {
    const { owner, orgId } = await setUp();
    const [id] = await invite(owner, orgId, "slow@example.com");
    await expire(orgId, id as string);

    const answer = await owner.client.post(`${base(orgId)}/${id}/resend`);

    expect(answer.body.invitation.status).toBe("pending");
    const listed = await owner.client.get(base(orgId));
    expect(listed.body.invitations.map((i: any) => i.invitationId)).toEqual([id]);
  });

  it("refuses a revoked invitation, and an expired one superseded by a newer one", async () => {
    const { owner, orgId } = await setUp();
    const [revoked] = await invite(owner, orgId, "gone@example.com");
    await owner.client.delete(`${base(orgId)}/${revoked}`);
    const [old] = await invite(owner, orgId, "twice@example.com");
    await expire(orgId, old as string);
    await invite(owner, orgId, "twice@example.com");

    const first = await owner.client.post(`${base(orgId)}/${revoked}/resend`);
    const second = await owner.client.post(`${base(orgId)}/${old}/resend`);

    expect([first.status, first.body.error.code]).toEqual([409, "invitation.not_pending"]);
    expect([second.status, second.body.error.code]).toEqual([409, "invitation.not_pending"]);
  });
});

describe("revokeInvitation", () => {
  it("revokes; the link then says revoked, and a second revoke is refused", async () => {
    const { owner, orgId } = await setUp();
    const [id] = await invite(owner, orgId, "nope@example.com");
    const secret = await invitationSecret(server, "nope@example.com", orgId);

    const answer = await owner.client.delete(`${base(orgId)}/${id}`);

    expect(answer.status).toBe(200);
    expect(answer.body.invitation).toMatchObject({ invitationId: id, status: "revoked" });
    const link = await server.client().get(`/api/v1/invitation-links/${secret}`);
    expect(link.body.status).toBe("revoked");
    const again = await owner.client.delete(`${base(orgId)}/${id}`);
    expect([again.status, again.body.error.code]).toEqual([409, "invitation.not_pending"]);
    expect(await auditActions(orgId, id as string)).toEqual([
      "invitation.created",
      "invitation.revoked",
    ]);
  });

  it("answers invitation.not_found for another organization's invitation", async () => {
    const { owner, orgId } = await setUp();
    const other = await setUp();
    const [id] = await invite(other.owner, other.orgId, "theirs@example.com");

    const revoke = await owner.client.delete(`${base(orgId)}/${id}`);
    const resend = await owner.client.post(`${base(orgId)}/${id}/resend`);

    expect([revoke.status, revoke.body.error.code]).toEqual([404, "invitation.not_found"]);
    expect([resend.status, resend.body.error.code]).toEqual([404, "invitation.not_found"]);
    const bad = await owner.client.delete(`${base(orgId)}/not-a-uuid`);
    expect([bad.status, bad.body.error.code]).toEqual([400, "request.invalid"]);
  });
});

describe("who may manage invitations", () => {
  it("answers 401 anonymous, 404 non-member, 403 without the role, on every route", async () => {
    const { owner, orgId } = await setUp();
    const [id] = await invite(owner, orgId, "target@example.com");
    const stranger = await person(server, "stranger");
    const member = await person(server, "member");
    const billing = await person(server, "billing");
    await addMember(server, orgId, member);
    await addMember(server, orgId, billing, { billingAdmin: true });

    const calls = [
      (c: Person["client"]) => c.post(base(orgId), { emails: "x@example.com" }),
      (c: Person["client"]) => c.get(base(orgId)),
      (c: Person["client"]) => c.post(`${base(orgId)}/${id}/resend`),
      (c: Person["client"]) => c.delete(`${base(orgId)}/${id}`),
    ];
    for (const call of calls) {
      const answers = await Promise.all(
        [server.client(), stranger.client, member.client, billing.client].map(call),
      );
      expect(answers.map((a) => [a.status, a.body.error.code])).toEqual([
        [401, "auth.required"],
        [404, "organization.not_found"],
        [403, "organization.forbidden"],
        [403, "organization.forbidden"],
      ]);
    }

    const admin = await person(server, "admin");
    await addMember(server, orgId, admin, { accountAdmin: true });
    expect((await admin.client.get(base(orgId))).status).toBe(200);
  });

  it("refuses bad query values with request.invalid", async () => {
    const { owner, orgId } = await setUp();
    for (const query of ["?status=bogus", "?limit=0", "?limit=101", "?limit=many"]) {
      const answer = await owner.client.get(`${base(orgId)}${query}`);
      expect([answer.status, answer.body.error.code]).toEqual([400, "request.invalid"]);
    }
  });
});
