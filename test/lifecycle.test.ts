import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "./helpers/client.ts";
import { PASSWORD, signUpVerified } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

/**
 * The whole seat lifecycle through the public API over real HTTP, every mail received by a real
 * SMTP server and every link followed from the received message.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

async function mailedLink(to: string, subject: RegExp, path: string): Promise<string> {
  await server.deliverMail();
  const mail = await server.smtp.waitFor(to, subject);
  const link = mail.links.find((l) => l.includes(path));
  if (!link) throw new Error(`no ${path} link in the mail to ${to}`);

  return link;
}

function secretOf(inviteLink: string): string {
  return inviteLink.split("/invite/")[1] ?? "";
}

async function check(token: string) {
  const answer = await fetch(`${server.url}/auth/check`, {
    headers: { authorization: `Bearer ${token}` },
  });

  return { status: answer.status, organization: answer.headers.get("x-tessera-organization") };
}

async function userId(client: Client): Promise<string> {
  return (await client.get("/api/v1/auth/me")).body.user.id as string;
}

describe("the seat lifecycle", () => {
  it("goes from sign-up to a working token and back, as people would do it", async () => {
    // The owner signs up and verifies from the mailed link.
    const owner = await signUpVerified(server, "owner@example.com", "Olga Owner");

    // Someone already has an account before being invited.
    const existing = await signUpVerified(server, "carla@example.com", "Carla");

    // The owner forms an organization and buys two seats.
    const created = await owner.post("/api/v1/organizations", { orgId: "acme", name: "Acme" });
    expect(created.status).toBe(201);

    const plans = await owner.get("/api/v1/plans");
    const monthly = plans.body.plans.find((p: { period: string }) => p.period === "month");
    const bought = await owner.post("/api/v1/organizations/acme/subscriptions", {
      planId: monthly.id,
      seats: 2,
    });
    expect(bought.status).toBe(201);
    expect(bought.body.invoice.amount).toBe(2 * monthly.pricePerSeat);
    const subscriptionId = bought.body.subscription.subscriptionId as string;

    // Five addresses in one call: two new people, an existing account in other letter case,
    // an invalid address, and one of the first two again.
    const invited = await owner.post("/api/v1/organizations/acme/invitations", {
      emails:
        "ann@example.com, bob@example.com; CARLA@Example.COM\nnot-an-address, Ann@example.com",
    });
    expect(invited.status).toBeLessThan(300);
    expect(invited.body.results.map((r: { outcome: string }) => r.outcome)).toEqual([
      "invited",
      "invited",
      "invited",
      "invalid",
      "duplicate",
    ]);
    expect(invited.body.results[3].reason).toBe("invalid_email");

    // The two new people sign up from their links and accept; the existing account accepts.
    const people: Record<string, Client> = {};
    for (const email of ["ann@example.com", "bob@example.com"]) {
      const link = await mailedLink(email, /invited you to Acme/, "/invite/");
      const client = server.client();
      const lookedUp = await client.get(`/api/v1/invitation-links/${secretOf(link)}`);
      expect(lookedUp.body).toMatchObject({ organization: { orgId: "acme", name: "Acme" }, email });

      const signUp = await client.post("/api/v1/auth/sign-up", {
        name: email.split("@")[0],
        email,
        password: PASSWORD,
        invitationSecret: secretOf(link),
      });
      expect(signUp.status).toBe(201);
      const accepted = await client.post(`/api/v1/invitation-links/${secretOf(link)}/accept`);
      expect(accepted.status).toBe(200);
      people[email] = client;
    }
    const carlaLink = await mailedLink("carla@example.com", /invited you to Acme/, "/invite/");
    expect(
      (await existing.post(`/api/v1/invitation-links/${secretOf(carlaLink)}/accept`)).status,
    ).toBe(200);

    const ann = people["ann@example.com"] as Client;
    const bob = people["bob@example.com"] as Client;
    const members = await owner.get("/api/v1/organizations/acme/members");
    expect(members.body.members).toHaveLength(4);

    // Two seats go to Ann and Bob; a third, for Carla, is refused.
    const [annId, bobId, carlaId] = [await userId(ann), await userId(bob), await userId(existing)];
    for (const id of [annId, bobId]) {
      const seat = await owner.post("/api/v1/organizations/acme/seats", {
        product: "conda",
        userIds: [id],
      });
      expect(seat.status).toBe(200);
      expect(seat.body.results[0].outcome).toBe("assigned");
    }
    const third = await owner.post("/api/v1/organizations/acme/seats", {
      product: "conda",
      userIds: [carlaId],
    });
    expect(third.status).toBe(409);
    expect(third.body.error.code).toBe("seat.limit_reached");
    await mailedLink("ann@example.com", /seat/, "/orgs/acme/token");

    // Both seat holders activate their tokens, and the check says yes.
    const annToken = (await ann.post("/api/v1/organizations/acme/token")).body.token as string;
    const bobToken = (await bob.post("/api/v1/organizations/acme/token")).body.token as string;
    expect(await check(annToken)).toEqual({ status: 200, organization: "acme" });
    expect(await check(bobToken)).toEqual({ status: 200, organization: "acme" });
    await server.deliverMail();
    const tokenMail = await server.smtp.waitFor("ann@example.com", /token/);
    expect(tokenMail.text).toContain(annToken);

    // Ann reissues: the old token says no, the new one yes.
    const reissued = await ann.post("/api/v1/organizations/acme/token/reissue");
    const annNew = reissued.body.token as string;
    expect((await check(annToken)).status).toBe(401);
    expect(await check(annNew)).toEqual({ status: 200, organization: "acme" });

    // The admin revokes Ann's seat, and her token says no.
    const revoked = await owner.delete(`/api/v1/organizations/acme/seats/conda/${annId}`);
    expect(revoked.status).toBeLessThan(300);
    expect((await check(annNew)).status).toBe(403);

    // Carla, who has no seat, leaves; the last owner cannot.
    expect((await existing.post("/api/v1/organizations/acme/leave")).status).toBeLessThan(300);
    const ownerLeaves = await owner.post("/api/v1/organizations/acme/leave");
    expect(ownerLeaves.status).toBe(409);
    expect(ownerLeaves.body.error.code).toBe("member.last_owner");

    // The subscription is cancelled; past the end of its period Bob's token says no.
    const cancelled = await owner.patch(
      `/api/v1/organizations/acme/subscriptions/${subscriptionId}`,
      {
        cancel: true,
      },
    );
    expect(cancelled.status).toBe(200);
    expect((await check(bobToken)).status).toBe(200);
    server.clock.advance(32 * 86_400_000);
    expect((await check(bobToken)).status).toBe(403);

    // Every admin action is in the audit log.
    const audit = await owner.get("/api/v1/organizations/acme/audit-events?limit=200");
    const actions = new Set(audit.body.events.map((e: { action: string }) => e.action));
    for (const action of [
      "invitation.created",
      "seat.assigned",
      "seat.revoked",
      "subscription.updated",
    ]) {
      expect(actions).toContain(action);
    }
  });
});
