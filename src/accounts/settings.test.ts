import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../test/helpers/client.ts";
import {
  addMember,
  organization,
  person,
  seat,
  subscription,
  unique,
} from "../../test/helpers/fixtures.ts";
import { auditEvents, memberOf, tokenRow } from "../../test/helpers/members.ts";
import { PASSWORD, signUpVerified, tokenFrom } from "../../test/helpers/people.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;
let lastIp = 0;

beforeAll(async () => {
  // Behind a trusted proxy, each test can come from its own client address, so the library's
  // per-address limits on changing passwords and addresses count each test apart.
  server = await startTestServer({ env: { TRUST_PROXY: "true" } });
});

afterAll(async () => {
  await server.stop();
});

/** Headers that make requests come from a client address no other test uses. */
function newAddress(): Record<string, string> {
  lastIp += 1;

  return { "x-forwarded-for": `10.1.${Math.floor(lastIp / 250)}.${lastIp % 250}` };
}

async function signIn(email: string, password = PASSWORD): Promise<Client> {
  const client = server.client();
  const answer = await client.post("/api/v1/auth/sign-in", { email, password });
  expect(answer.status).toBe(200);

  return client;
}

async function signInStatus(email: string, password = PASSWORD): Promise<number> {
  return (await server.client().post("/api/v1/auth/sign-in", { email, password })).status;
}

describe("updateMe", () => {
  it("changes the name, and refuses a blank one", async () => {
    const ada = await person(server, "ada");

    const renamed = await ada.client.patch("/api/v1/auth/me", { name: "Ada Lovelace" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.user).toMatchObject({ id: ada.userId, name: "Ada Lovelace" });
    expect((await ada.client.get("/api/v1/auth/me")).body.user.name).toBe("Ada Lovelace");

    const blank = await ada.client.patch("/api/v1/auth/me", { name: "   " });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe("request.invalid");
  });
});

describe("changePassword", () => {
  it("changes the password and keeps other sessions unless asked", async () => {
    const bo = await person(server, "bo");
    const other = await signIn(bo.email);
    const from = newAddress();

    const changed = await bo.client.post(
      "/api/v1/auth/change-password",
      { currentPassword: PASSWORD, newPassword: "a second long password" },
      from,
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ message: "Your password has been changed." });

    expect(await signInStatus(bo.email)).toBe(401);
    expect(await signInStatus(bo.email, "a second long password")).toBe(200);
    expect((await other.get("/api/v1/auth/me")).status).toBe(200);
    expect((await bo.client.get("/api/v1/auth/me")).status).toBe(200);
  });

  it("ends the other sessions when asked, keeping this one signed in", async () => {
    const cy = await person(server, "cy");
    const other = await signIn(cy.email);

    const changed = await cy.client.post(
      "/api/v1/auth/change-password",
      { currentPassword: PASSWORD, newPassword: "a third long password", endOtherSessions: true },
      newAddress(),
    );
    expect(changed.status).toBe(200);

    const otherMe = await other.get("/api/v1/auth/me");
    expect(otherMe.status).toBe(401);
    expect(otherMe.body.error.code).toBe("auth.required");
    const me = await cy.client.get("/api/v1/auth/me");
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(cy.userId);
  });

  it("refuses a wrong current password and a weak new one", async () => {
    const di = await person(server, "di");
    const from = newAddress();

    const wrong = await di.client.post(
      "/api/v1/auth/change-password",
      { currentPassword: "not the password", newPassword: "a fine new password" },
      from,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("auth.invalid_credentials");

    const weak = await di.client.post(
      "/api/v1/auth/change-password",
      { currentPassword: PASSWORD, newPassword: "short" },
      from,
    );
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe("auth.weak_password");

    expect(await signInStatus(di.email)).toBe(200);
  });

  it("keeps the library's limit of three attempts per address", async () => {
    const ed = await person(server, "ed");
    const from = newAddress();
    const attempt = () =>
      ed.client.post(
        "/api/v1/auth/change-password",
        { currentPassword: "wrong wrong wrong", newPassword: "a fine new password" },
        from,
      );

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt()).status);
    expect(statuses).toEqual([401, 401, 401]);

    const refused = await attempt();
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("auth.rate_limited");
  });
});

describe("changeEmail", () => {
  async function linkMailedTo(address: string): Promise<string> {
    await server.deliverMail();
    const mail = await server.smtp.waitFor(address, /Confirm your new email address/);
    const link = mail.links.find((l) => l.startsWith(`${server.url}/verify-email?token=`));
    expect(link).toBeDefined();

    return link ?? "";
  }

  it("changes the address only once the link mailed to the new one is followed", async () => {
    const fay = await person(server, "fay");
    const tag = unique();
    const newEmail = `fay-new-${tag}@example.com`;

    const asked = await fay.client.post(
      "/api/v1/auth/change-email",
      { email: ` Fay-New-${tag}@EXAMPLE.com ` },
      newAddress(),
    );
    expect(asked.status).toBe(202);
    expect((await fay.client.get("/api/v1/auth/me")).body.user.email).toBe(fay.email);

    const link = await linkMailedTo(newEmail);
    expect(server.smtp.to(fay.email).map((m) => m.subject)).toEqual([
      "Verify your email address for Tessera",
    ]);
    const verified = await fay.client.post("/api/v1/auth/verify-email", {
      token: tokenFrom(link),
    });
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({ id: fay.userId, email: newEmail });

    const me = await fay.client.get("/api/v1/auth/me");
    expect(me.body.user).toMatchObject({ email: newEmail, emailVerified: true });
    expect(await signInStatus(newEmail)).toBe(200);
    expect(await signInStatus(fay.email)).toBe(401);
  });

  it("completes from a link followed by a client that is not signed in", async () => {
    const gus = await person(server, "gus");
    const newEmail = `gus-new-${unique()}@example.com`;
    await gus.client.post("/api/v1/auth/change-email", { email: newEmail }, newAddress());

    const elsewhere = server.client();
    const link = await linkMailedTo(newEmail);
    const verified = await elsewhere.post("/api/v1/auth/verify-email", {
      token: tokenFrom(link),
    });
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({ id: gus.userId, email: newEmail });
    expect(elsewhere.signedIn).toBe(false);

    expect((await gus.client.get("/api/v1/auth/me")).body.user.email).toBe(newEmail);
    const again = await elsewhere.post("/api/v1/auth/verify-email", { token: tokenFrom(link) });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("auth.invalid_link");
  });

  it("refuses the link once a sign-up has taken the new address meanwhile", async () => {
    const max = await person(server, "max");
    const newEmail = `max-new-${unique()}@example.com`;
    await max.client.post("/api/v1/auth/change-email", { email: newEmail }, newAddress());
    const link = await linkMailedTo(newEmail);
    await signUpVerified(server, newEmail);

    const late = await max.client.post("/api/v1/auth/verify-email", { token: tokenFrom(link) });
    expect(late.status).toBe(400);
    expect(late.body.error.code).toBe("auth.invalid_link");
    expect((await max.client.get("/api/v1/auth/me")).body.user.email).toBe(max.email);
  });

  it("answers the same for a taken address, which is left alone", async () => {
    const hal = await person(server, "hal");
    const taken = await person(server, "taken");
    const from = newAddress();

    const forTaken = await hal.client.post(
      "/api/v1/auth/change-email",
      { email: taken.email.toUpperCase() },
      from,
    );
    const forFree = await hal.client.post(
      "/api/v1/auth/change-email",
      { email: `hal-free-${unique()}@example.com` },
      from,
    );
    expect(forTaken.status).toBe(202);
    expect(forTaken.body).toEqual(forFree.body);

    await server.deliverMail();
    expect(server.smtp.to(taken.email).map((m) => m.subject)).toEqual([
      "Verify your email address for Tessera",
    ]);
    expect((await hal.client.get("/api/v1/auth/me")).body.user.email).toBe(hal.email);
    expect((await taken.client.get("/api/v1/auth/me")).body.user.email).toBe(taken.email);
  });

  it("refuses the current address and one that is not an address", async () => {
    const ivy = await person(server, "ivy");

    const same = await ivy.client.post("/api/v1/auth/change-email", {
      email: ivy.email.toUpperCase(),
    });
    expect(same.status).toBe(400);
    expect(same.body.error.code).toBe("auth.same_email");

    const invalid = await ivy.client.post("/api/v1/auth/change-email", { email: "not-mail" });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe("request.invalid");
  });
});

describe("listSessions and revokeSession", () => {
  it("lists the sessions without their tokens, marking the current one", async () => {
    const jo = await person(server, "jo");
    const other = await signIn(jo.email);

    const listed = await jo.client.get("/api/v1/auth/sessions");
    expect(listed.status).toBe(200);
    const { rows } = await server.tessera.ctx.db.query<{ id: string; token: string }>(
      `select id, token from "session" where "userId" = $1 order by "createdAt" desc`,
      [jo.userId],
    );
    expect(listed.body.sessions.map((s: any) => s.id)).toEqual(rows.map((r) => r.id));
    expect(listed.body.sessions.map((s: any) => s.current)).toEqual([false, true]);
    expect(Object.keys(listed.body.sessions[0]).sort()).toEqual([
      "createdAt",
      "current",
      "expiresAt",
      "id",
      "ipAddress",
      "updatedAt",
      "userAgent",
    ]);
    for (const row of rows) expect(JSON.stringify(listed.body)).not.toContain(row.token);

    const fromOther = await other.get("/api/v1/auth/sessions");
    expect(fromOther.body.sessions.map((s: any) => s.current)).toEqual([true, false]);
  });

  it("ends another session by its ID, and the current one", async () => {
    const kim = await person(server, "kim");
    const other = await signIn(kim.email);
    const sessions = (await kim.client.get("/api/v1/auth/sessions")).body.sessions;
    const otherId = sessions.find((s: any) => !s.current).id;
    const currentId = sessions.find((s: any) => s.current).id;

    const revoked = await kim.client.delete(`/api/v1/auth/sessions/${otherId}`);
    expect(revoked.status).toBe(204);
    expect((await other.get("/api/v1/auth/me")).status).toBe(401);
    const left = (await kim.client.get("/api/v1/auth/sessions")).body.sessions;
    expect(left.map((s: any) => s.id)).toEqual([currentId]);

    const self = await kim.client.delete(`/api/v1/auth/sessions/${currentId}`);
    expect(self.status).toBe(204);
    expect(kim.client.signedIn).toBe(false);
    expect((await signIn(kim.email)).signedIn).toBe(true);
  });

  it("does not end another account's session", async () => {
    const lou = await person(server, "lou");
    const mo = await person(server, "mo");
    const moSession = (await mo.client.get("/api/v1/auth/sessions")).body.sessions[0].id;

    const refused = await lou.client.delete(`/api/v1/auth/sessions/${moSession}`);
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("auth.session_not_found");
    expect((await mo.client.get("/api/v1/auth/me")).status).toBe(200);
  });

  it("asks for a recent sign-in before listing", async () => {
    const ned = await person(server, "ned");
    await server.tessera.ctx.db.query(
      `update "session" set "createdAt" = "createdAt" - interval '2 days' where "userId" = $1`,
      [ned.userId],
    );

    const stale = await ned.client.get("/api/v1/auth/sessions");
    expect(stale.status).toBe(403);
    expect(stale.body.error.code).toBe("auth.session_not_fresh");
  });
});

describe("deleteAccount", () => {
  it("is refused while the account is the last owner of an organization", async () => {
    const olga = await person(server, "olga");
    const first = await organization(server, olga, `a-${unique()}`);
    const second = await organization(server, olga, `b-${unique()}`);
    const shared = await organization(server, olga, `c-${unique()}`);
    await memberOf(server, shared, { owner: true });

    const refused = await olga.client.delete("/api/v1/auth/me", { password: PASSWORD });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("account.last_owner");
    expect(refused.body.error.details).toEqual({ organizations: [first, second] });

    const { rows } = await server.tessera.ctx.db.query(
      `select org_id as "orgId" from members where user_id = $1 order by org_id`,
      [olga.userId],
    );
    expect(rows).toEqual([{ orgId: first }, { orgId: second }, { orgId: shared }]);
    expect((await olga.client.get("/api/v1/auth/me")).status).toBe(200);
  });

  it("refuses a wrong password", async () => {
    const pam = await person(server, "pam");

    const wrong = await pam.client.delete("/api/v1/auth/me", { password: "not my password" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("auth.invalid_credentials");
    expect((await pam.client.get("/api/v1/auth/me")).status).toBe(200);
  });

  it("ends memberships, seats and tokens, then deletes the account", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const subscriptionId = await subscription(server, orgId, 3);
    const quin = await person(server, "quin");
    await addMember(server, orgId, quin, { owner: true });
    await seat(server, orgId, subscriptionId, quin);
    const tokenId = await tokenRow(server, orgId, quin);
    const other = await signIn(quin.email);
    const db = server.tessera.ctx.db;

    const deleted = await quin.client.delete("/api/v1/auth/me", { password: PASSWORD });
    expect(deleted.status).toBe(204);
    expect(quin.client.signedIn).toBe(false);

    expect((await other.get("/api/v1/auth/me")).status).toBe(401);
    expect(await signInStatus(quin.email)).toBe(401);
    const counts = await db.query(
      `select (select count(*)::int from "user" where id = $1) as users,
              (select count(*)::int from "session" where "userId" = $1) as sessions,
              (select count(*)::int from members where user_id = $1) as members,
              (select count(*)::int from seats where user_id = $1) as seats`,
      [quin.userId],
    );
    expect(counts.rows).toEqual([{ users: 0, sessions: 0, members: 0, seats: 0 }]);
    const token = await db.query(`select status from tokens where org_id = $1 and token_id = $2`, [
      orgId,
      tokenId,
    ]);
    expect(token.rows).toEqual([{ status: "ended" }]);

    const events = await auditEvents(owner, orgId, "?action=member.left");
    expect(events.map((e) => [e.actorId, e.targetId, e.details])).toEqual([
      [quin.userId, quin.userId, { seats: ["conda"], tokenEnded: true, accountDeleted: true }],
    ]);
  });
});

describe("account settings", () => {
  it("need a signed-in caller", async () => {
    const nobody = server.client();
    const answers = [
      await nobody.patch("/api/v1/auth/me", { name: "X" }),
      await nobody.post("/api/v1/auth/change-password", {
        currentPassword: PASSWORD,
        newPassword: "a fine new password",
      }),
      await nobody.post("/api/v1/auth/change-email", { email: "x@example.com" }),
      await nobody.get("/api/v1/auth/sessions"),
      await nobody.delete("/api/v1/auth/sessions/some-id"),
      await nobody.delete("/api/v1/auth/me", { password: PASSWORD }),
    ];

    expect(answers.map((a) => [a.status, a.body.error.code])).toEqual(
      answers.map(() => [401, "auth.required"]),
    );
  });
});
