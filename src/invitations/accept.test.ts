import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  invitationSecret,
  organization,
  person,
  subscription,
  unique,
  type Person,
} from "../../test/helpers/fixtures.ts";
import { PASSWORD } from "../../test/helpers/people.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const link = (secret: string) => `/api/v1/invitation-links/${secret}`;
const accept = (who: Person["client"], secret: string) => who.post(`${link(secret)}/accept`);

async function setUp() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId };
}

/** Invites `emails` and answers the secret mailed to `to`. */
async function invited(owner: Person, orgId: string, emails: string, to: string, extra = {}) {
  const answer = await owner.client.post(`/api/v1/organizations/${orgId}/invitations`, {
    emails,
    ...extra,
  });
  expect(answer.body.counts.invited).toBe(1);

  return invitationSecret(server, to, orgId);
}

async function memberRows(orgId: string, userId: string) {
  const result = await server.tessera.ctx.db.query(
    `select is_owner as "owner", is_account_admin as "accountAdmin",
            is_billing_admin as "billingAdmin"
       from members where org_id = $1 and user_id = $2`,
    [orgId, userId],
  );

  return result.rows;
}

describe("getInvitation", () => {
  it("shows what the landing page needs and nothing more", async () => {
    const { owner, orgId } = await setUp();
    const secret = await invited(owner, orgId, "Land@Example.com", "land@example.com");

    const answer = await server.client().get(link(secret));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      organization: { orgId, name: `Organization ${orgId}` },
      inviter: { name: "owner" },
      email: "Land@Example.com",
      expiresAt: new Date(server.clock.now().getTime() + 7 * 86_400_000).toISOString(),
      status: "pending",
    });
    const unknown = await server.client().get(link("no-such-secret"));
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "invitation.not_found"]);
  });
});

describe("acceptInvitation", () => {
  it("takes a new address from the mailed link through sign-up to membership", async () => {
    const { owner, orgId } = await setUp();
    const email = `newcomer-${unique()}@example.com`;
    const secret = await invited(owner, orgId, email, email, { role: "account_admin" });

    const client = server.client();
    const signUp = await client.post("/api/v1/auth/sign-up", {
      name: "Newcomer",
      email,
      password: PASSWORD,
      invitationSecret: secret,
    });
    expect(signUp.status).toBe(201);
    const answer = await accept(client, secret);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      organization: { orgId, name: `Organization ${orgId}` },
      roles: { owner: false, accountAdmin: true, billingAdmin: false },
      seat: null,
    });
    expect(await memberRows(orgId, signUp.body.user.id)).toEqual([
      { owner: false, accountAdmin: true, billingAdmin: false },
    ]);
    const stored = await server.tessera.ctx.db.query(
      `select status, accepted_by as "acceptedBy" from invitations where org_id = $1`,
      [orgId],
    );
    expect(stored.rows).toEqual([{ status: "accepted", acceptedBy: signUp.body.user.id }]);
    const audit = await server.tessera.ctx.db.query(
      `select actor_id as "actorId" from audit_events
        where org_id = $1 and action = 'invitation.accepted'`,
      [orgId],
    );
    expect(audit.rows).toEqual([{ actorId: signUp.body.user.id }]);
  });

  it("accepts for an account whose address was invited in other letter case", async () => {
    const { owner, orgId } = await setUp();
    const ada = await person(server, "ada");
    const shouted = ada.email.replace("ada", "Ada").replace("example.com", "Example.COM");
    const secret = await invited(owner, orgId, shouted, ada.email, { role: "billing_admin" });

    const answer = await accept(ada.client, secret);

    expect(answer.status).toBe(200);
    expect(answer.body.roles).toEqual({ owner: false, accountAdmin: false, billingAdmin: true });
  });

  it("refuses another account without using the invitation up", async () => {
    const { owner, orgId } = await setUp();
    const right = await person(server, "right");
    const wrong = await person(server, "wrong");
    const secret = await invited(owner, orgId, right.email, right.email);

    const refused = await accept(wrong.client, secret);

    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: "invitation.wrong_account",
      details: { invitedEmail: right.email, signedInEmail: wrong.email },
    });
    expect(await memberRows(orgId, wrong.userId)).toEqual([]);
    expect((await accept(right.client, secret)).status).toBe(200);
  });

  it("answers each dead invitation with its own code", async () => {
    const { owner, orgId } = await setUp();
    const ana = await person(server, "ana");
    const anonymous = await accept(server.client(), "whatever");
    const unknown = await accept(ana.client, "no-such-secret");

    const secret = await invited(owner, orgId, ana.email, ana.email);
    await accept(ana.client, secret);
    const twice = await accept(ana.client, secret);

    const other = await setUp();
    const expiring = await invited(other.owner, other.orgId, ana.email, ana.email);
    server.clock.advance(7 * 86_400_000);
    const expired = await accept(ana.client, expiring);
    server.clock.advance(-7 * 86_400_000);

    const third = await setUp();
    const revoking = await invited(third.owner, third.orgId, ana.email, ana.email);
    const [pending] = (
      await third.owner.client.get(`/api/v1/organizations/${third.orgId}/invitations`)
    ).body.invitations;
    await third.owner.client.delete(
      `/api/v1/organizations/${third.orgId}/invitations/${pending.invitationId}`,
    );
    const revoked = await accept(ana.client, revoking);

    expect(
      [anonymous, unknown, twice, expired, revoked].map((a) => [a.status, a.body.error.code]),
    ).toEqual([
      [401, "auth.required"],
      [404, "invitation.not_found"],
      [409, "invitation.already_accepted"],
      [410, "invitation.expired"],
      [410, "invitation.revoked"],
    ]);
    expect(await memberRows(other.orgId, ana.userId)).toEqual([]);
    expect(await memberRows(third.orgId, ana.userId)).toEqual([]);
  });

  it("marks the invitation accepted for someone who became a member meanwhile", async () => {
    const { owner, orgId } = await setUp();
    const bea = await person(server, "bea");
    const secret = await invited(owner, orgId, bea.email, bea.email, { role: "account_admin" });
    await addMember(server, orgId, bea, { billingAdmin: true });

    const answer = await accept(bea.client, secret);

    expect(answer.status).toBe(200);
    expect(answer.body.roles).toEqual({ owner: false, accountAdmin: false, billingAdmin: true });
    const again = await accept(bea.client, secret);
    expect(again.body.error.code).toBe("invitation.already_accepted");
  });

  it("gives a seat of the invitation's product while one is free", async () => {
    const { owner, orgId } = await setUp();
    await subscription(server, orgId, 1);
    const cy = await person(server, "cy");
    const di = await person(server, "di");
    const cySecret = await invited(owner, orgId, cy.email, cy.email, { seatProduct: "conda" });
    const diSecret = await invited(owner, orgId, di.email, di.email, { seatProduct: "conda" });

    const first = await accept(cy.client, cySecret);
    const second = await accept(di.client, diSecret);

    expect(first.body.seat).toEqual({ product: "conda", outcome: "assigned" });
    expect(second.status).toBe(200);
    expect(second.body.seat).toEqual({ product: "conda", outcome: "limit_reached" });
    const seats = await server.tessera.ctx.db.query(
      `select user_id as "userId" from seats where org_id = $1`,
      [orgId],
    );
    expect(seats.rows).toEqual([{ userId: cy.userId }]);
    expect(await memberRows(orgId, di.userId)).toHaveLength(1);
  });

  it("lets exactly one of two simultaneous accepts through", async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, orgId } = await setUp();
      const eve = await person(server, "eve");
      const secret = await invited(owner, orgId, eve.email, eve.email);

      const answers = await Promise.all([accept(eve.client, secret), accept(eve.client, secret)]);

      const outcomes = answers.map((a) => (a.status === 200 ? "ok" : a.body.error.code));
      expect(outcomes.sort()).toEqual(["invitation.already_accepted", "ok"]);
      expect(await memberRows(orgId, eve.userId)).toHaveLength(1);
    }
  });
});
