import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, organization, person, unique } from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const invitationsOf = (orgId: string) => `/api/v1/organizations/${orgId}/invitations`;

async function admin() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId };
}

async function rows(orgId: string) {
  const result = await server.tessera.ctx.db.query<{ key: string; status: string }>(
    `select email_key as key, status from invitations where org_id = $1 order by email_key`,
    [orgId],
  );

  return result.rows;
}

describe("createInvitations", () => {
  it("invites a pasted list with mixed separators; the bad address alone is refused", async () => {
    const { owner, orgId } = await admin();
    const text = readFileSync(
      new URL("../../test/cases/paste-mixed-separators.txt", import.meta.url),
      "utf8",
    );

    const answer = await owner.client.post(invitationsOf(orgId), { emails: text });

    expect(answer.status).toBe(200);
    const results = answer.body.results as any[];
    expect(results.map((r) => [r.key ?? r.input, r.outcome, r.reason ?? null])).toEqual([
      ["ada@example.com", "invited", null],
      ["grace@example.com", "invited", null],
      ["alan@example.com", "invited", null],
      ["edsger@example.com", "invited", null],
      ["barbara@example.com", "invited", null],
      ["bad@@example.com", "invalid", "invalid_email"],
      ["ken@example.com", "invited", null],
    ]);
    expect(results[0]).toMatchObject({ name: "Ada Lovelace", email: "ada@example.com" });
    expect(results[1]).toMatchObject({ name: "Hopper, Grace", key: "grace@example.com" });
    expect(answer.body.counts).toEqual({
      invited: 6,
      alreadyMember: 0,
      alreadyInvited: 0,
      duplicate: 0,
      invalid: 1,
    });

    await server.deliverMail();
    const mails = server.smtp.mails.filter((m) => m.subject.includes(orgId));
    expect(mails.map((m) => m.to).sort()).toEqual(
      [
        "ada@example.com",
        "alan@example.com",
        "barbara@example.com",
        "edsger@example.com",
        "grace@example.com",
        "ken@example.com",
      ].sort(),
    );
    const grace = mails.find((m) => m.to === "grace@example.com");
    expect(grace?.subject).toBe(`owner invited you to Organization ${orgId} on Tessera`);
    expect(grace?.text).toContain("Hello Hopper, Grace,");
    expect(grace?.links.filter((l) => l.startsWith(`${server.url}/invite/`))).toHaveLength(1);
  });

  it("answers each address of a list of texts in input order, by key", async () => {
    const { owner, orgId } = await admin();
    const member = await person(server, "member");
    await addMember(server, orgId, member);
    const first = await owner.client.post(invitationsOf(orgId), { emails: "old@example.com" });
    expect(first.body.counts.invited).toBe(1);

    const answer = await owner.client.post(invitationsOf(orgId), {
      emails: [
        `New@Example.COM, ${member.email.toUpperCase()}`,
        "old@example.com",
        "new@example.com;Ada <>",
        "josé@example.com",
        "bob@bücher.example",
      ],
      role: "billing_admin",
      seatProduct: "conda",
    });

    expect(answer.status).toBe(200);
    const oldId = first.body.results[0].invitationId as string;
    const [newOne, ...rest] = answer.body.results as any[];
    expect(newOne).toEqual({
      input: "New@Example.COM",
      email: "New@Example.COM",
      key: "new@example.com",
      outcome: "invited",
      invitationId: expect.any(String),
    });
    expect(rest).toEqual([
      {
        input: member.email.toUpperCase(),
        email: member.email.toUpperCase(),
        key: member.email,
        outcome: "already_member",
      },
      {
        input: "old@example.com",
        email: "old@example.com",
        key: "old@example.com",
        outcome: "already_invited",
        invitationId: oldId,
      },
      {
        input: "new@example.com",
        email: "new@example.com",
        key: "new@example.com",
        outcome: "duplicate",
        duplicateOf: 0,
      },
      { input: "Ada <>", outcome: "invalid", reason: "missing_email" },
      { input: "josé@example.com", outcome: "invalid", reason: "unsupported_local_part" },
      {
        input: "bob@bücher.example",
        email: "bob@bücher.example",
        key: "bob@xn--bcher-kva.example",
        outcome: "invited",
        invitationId: expect.any(String),
      },
    ]);
    expect(answer.body.counts).toEqual({
      invited: 2,
      alreadyMember: 1,
      alreadyInvited: 1,
      duplicate: 1,
      invalid: 2,
    });

    const stored = await server.tessera.ctx.db.query(
      `select email, role, seat_product as "seatProduct", invited_by as "invitedBy"
         from invitations where org_id = $1 and email_key = 'new@example.com'`,
      [orgId],
    );
    expect(stored.rows).toEqual([
      {
        email: "New@Example.COM",
        role: "billing_admin",
        seatProduct: "conda",
        invitedBy: owner.userId,
      },
    ]);
  });

  it("invites again an address whose pending invitation expired, marking the old one", async () => {
    const { owner, orgId } = await admin();
    await owner.client.post(invitationsOf(orgId), { emails: "late@example.com" });
    await server.tessera.ctx.db.query(`update invitations set expires_at = $2 where org_id = $1`, [
      orgId,
      new Date(server.clock.now().getTime() - 1000),
    ]);

    const again = await owner.client.post(invitationsOf(orgId), { emails: "late@example.com" });

    expect(again.body.results[0].outcome).toBe("invited");
    expect((await rows(orgId)).map((r) => r.status).sort()).toEqual(["expired", "pending"]);
  });

  it("stores a secret per invitation, audits each, and queues its mail", async () => {
    const { owner, orgId } = await admin();
    const answer = await owner.client.post(invitationsOf(orgId), {
      emails: "a@example.com b@example.com",
    });
    const ids = (answer.body.results as any[]).map((r) => r.invitationId as string).sort();

    const db = server.tessera.ctx.db;
    const secrets = await db.query<{ id: string; bytes: number }>(
      `select invitation_id as id, length(secret_hash) as bytes
         from invitation_secrets where org_id = $1 order by invitation_id`,
      [orgId],
    );
    expect(secrets.rows).toEqual(ids.map((id) => ({ id, bytes: 32 })));
    const audit = await db.query<{ targetId: string; actorId: string }>(
      `select target_id as "targetId", actor_id as "actorId" from audit_events
        where org_id = $1 and action = 'invitation.created' order by target_id`,
      [orgId],
    );
    expect(audit.rows).toEqual(ids.map((id) => ({ targetId: id, actorId: owner.userId })));
  });

  it("reports one of two concurrent invitations of an address as already invited", async () => {
    const { owner, orgId } = await admin();
    const body = { emails: `twice-${unique()}@example.com` };

    const answers = await Promise.all([
      owner.client.post(invitationsOf(orgId), body),
      owner.client.post(invitationsOf(orgId), body),
    ]);

    const outcomes = answers.map((a) => a.body.results[0].outcome as string).sort();
    expect(outcomes).toEqual(["already_invited", "invited"]);
    expect(await rows(orgId)).toHaveLength(1);
  });

  it("refuses an empty list, more than 1,000 addresses, and an unknown product", async () => {
    const { owner, orgId } = await admin();
    const many = Array.from({ length: 1001 }, (_, i) => `u${i}@example.com`).join(",");

    const empty = await owner.client.post(invitationsOf(orgId), { emails: " ,; \n" });
    const emptyList = await owner.client.post(invitationsOf(orgId), { emails: [] });
    const tooMany = await owner.client.post(invitationsOf(orgId), { emails: many });
    const product = await owner.client.post(invitationsOf(orgId), {
      emails: "x@example.com",
      seatProduct: "nothing-sold",
    });

    expect([empty.status, empty.body.error.code]).toEqual([400, "invitation.empty"]);
    expect(emptyList.body.error.code).toBe("invitation.empty");
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({
      code: "invitation.too_many",
      details: { limit: 1000, count: 1001 },
    });
    expect(product.status).toBe(400);
    expect(product.body.error.code).toBe("request.invalid");
    expect(await rows(orgId)).toEqual([]);
  });

  it("lets only billing admins and owners invite billing admins (invitation.role_not_allowed)", async () => {
    const { owner, orgId } = await admin();
    const accountAdmin = await person(server, "account");
    const both = await person(server, "both");
    await addMember(server, orgId, accountAdmin, { accountAdmin: true });
    await addMember(server, orgId, both, { accountAdmin: true, billingAdmin: true });
    const invite = (who: typeof owner, email: string, role: string) =>
      who.client.post(invitationsOf(orgId), { emails: email, role });

    const refused = await invite(accountAdmin, "bill@example.com", "billing_admin");
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: "invitation.role_not_allowed",
      message: "Only billing admins and owners may invite people as billing admins.",
      details: { role: "billing_admin" },
    });
    expect(await rows(orgId)).toEqual([]);

    const invited = await Promise.all([
      invite(accountAdmin, "acct@example.com", "account_admin"),
      invite(accountAdmin, "plain@example.com", "member"),
      invite(both, "bill@example.com", "billing_admin"),
      invite(owner, "bea@example.com", "billing_admin"),
    ]);
    expect(invited.map((a) => [a.status, a.body.counts?.invited])).toEqual(Array(4).fill([200, 1]));
    const roles = await server.tessera.ctx.db.query(
      `select email_key as key, role from invitations where org_id = $1 order by email_key`,
      [orgId],
    );
    expect(roles.rows).toEqual([
      { key: "acct@example.com", role: "account_admin" },
      { key: "bea@example.com", role: "billing_admin" },
      { key: "bill@example.com", role: "billing_admin" },
      { key: "plain@example.com", role: "member" },
    ]);
  });

  it("refuses bodies of the wrong shape with request.invalid", async () => {
    const { owner, orgId } = await admin();
    const bodies = [
      {},
      { emails: 5 },
      { emails: [5] },
      { emails: "a@example.com", role: "owner" },
      { emails: "a@example.com", seatProduct: 3 },
    ];

    for (const body of bodies) {
      const answer = await owner.client.post(invitationsOf(orgId), body);
      expect([answer.status, answer.body.error.code]).toEqual([400, "request.invalid"]);
    }
    expect(await rows(orgId)).toEqual([]);
  });
});

describe("the hourly invitation limit", () => {
  let limited: TestServer;

  beforeAll(async () => {
    limited = await startTestServer({ env: { INVITATIONS_PER_HOUR: "5" } });
  });

  afterAll(async () => {
    await limited.stop();
  });

  it("refuses a whole request that would pass it, and allows again an hour later", async () => {
    const owner = await person(limited, "owner");
    const orgId = await organization(limited, owner);
    const post = (emails: string) => owner.client.post(invitationsOf(orgId), { emails });

    expect((await post("a@example.com, b@example.com, c@example.com")).status).toBe(200);
    const refused = await post("d@example.com, e@example.com, f@example.com");
    // Addresses that would not be invited do not count against the limit.
    const fits = await post("a@example.com, d@example.com, e@example.com, bad@");

    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({
      code: "invitation.rate_limited",
      details: { limit: 5, remaining: 2 },
    });
    expect(fits.body.counts).toMatchObject({ invited: 2, alreadyInvited: 1, invalid: 1 });
    const full = await post("f@example.com");
    expect(full.body.error.details).toEqual({ limit: 5, remaining: 0 });

    limited.clock.advance(3_600_001);
    expect((await post("f@example.com")).body.counts.invited).toBe(1);
  });

  it("counts per inviter too, so a second organization does not double it", async () => {
    const owner = await person(limited, "owner");
    const [first, second] = [
      await organization(limited, owner),
      await organization(limited, owner),
    ];
    const post = (orgId: string, emails: string) =>
      owner.client.post(invitationsOf(orgId), { emails });

    expect((await post(first, "a@example.com, b@example.com, c@example.com")).status).toBe(200);
    const refused = await post(second, "d@example.com, e@example.com, f@example.com");

    expect(refused.status).toBe(429);
    expect(refused.body.error.details).toEqual({ limit: 5, remaining: 2 });
  });
});
