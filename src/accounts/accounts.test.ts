import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { invitationSecret, organization, person } from "../../test/helpers/fixtures.ts";
import { PASSWORD, signUpVerified, tokenFrom } from "../../test/helpers/people.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

describe("accounts", () => {
  it("signs up, verifies by the mailed link, and answers getMe", async () => {
    const ada = await signUpVerified(server, "ada@example.com", "Ada");
    const me = await ada.get("/api/v1/auth/me");

    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      name: "Ada",
      email: "ada@example.com",
      emailVerified: true,
    });
  });

  it("refuses sign-in before verification and with a wrong password", async () => {
    const client = server.client();
    await client.post("/api/v1/auth/sign-up", {
      name: "Bo",
      email: "bo@example.com",
      password: PASSWORD,
    });

    const early = await client.post("/api/v1/auth/sign-in", {
      email: "bo@example.com",
      password: PASSWORD,
    });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe("auth.email_not_verified");

    const wrong = await client.post("/api/v1/auth/sign-in", {
      email: "bo@example.com",
      password: "nope nope nope",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("auth.invalid_credentials");
  });

  it("answers the same for a taken address and tells its owner by mail", async () => {
    await signUpVerified(server, "cy@example.com");
    const again = await server.client().post("/api/v1/auth/sign-up", {
      name: "Impostor",
      email: "CY@example.com",
      password: PASSWORD,
    });
    const fresh = await server.client().post("/api/v1/auth/sign-up", {
      name: "New",
      email: "brand-new@example.com",
      password: PASSWORD,
    });

    expect(again.status).toBe(202);
    expect(again.body).toEqual(fresh.body);
    await server.deliverMail();
    await server.smtp.waitFor("cy@example.com", /already have a Tessera account/);
  });

  it("resets a forgotten password by the mailed link, the same answer for unknown addresses", async () => {
    await signUpVerified(server, "di@example.com");
    const known = await server
      .client()
      .post("/api/v1/auth/request-password-reset", { email: "di@example.com" });
    const unknown = await server
      .client()
      .post("/api/v1/auth/request-password-reset", { email: "nobody@example.com" });
    expect(known.status).toBe(202);
    expect(unknown.body).toEqual(known.body);

    await server.deliverMail();
    const mail = await server.smtp.waitFor("di@example.com", /Reset your Tessera password/);
    const link = mail.links.find((l) => l.includes("/reset-password")) ?? "";
    const client = server.client();
    const reset = await client.post("/api/v1/auth/reset-password", {
      token: tokenFrom(link),
      password: "a brand new password",
    });
    expect(reset.status).toBe(200);

    const old = await client.post("/api/v1/auth/sign-in", {
      email: "di@example.com",
      password: PASSWORD,
    });
    expect(old.status).toBe(401);
    const fresh = await client.post("/api/v1/auth/sign-in", {
      email: "di@example.com",
      password: "a brand new password",
    });
    expect(fresh.status).toBe(200);

    const reused = await client.post("/api/v1/auth/reset-password", {
      token: tokenFrom(link),
      password: "another one here",
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe("auth.invalid_link");
  });

  it("signs out", async () => {
    const client = await signUpVerified(server, "ed@example.com");
    expect((await client.post("/api/v1/auth/sign-out")).status).toBe(200);
    const me = await client.get("/api/v1/auth/me");
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("auth.required");
  });

  it("refuses a cookie-authenticated change whose only clue is a foreign Referer", async () => {
    const client = await signUpVerified(server, "gus@example.com");
    const answer = await client.post("/api/v1/auth/sign-out", undefined, {
      origin: "",
      referer: "https://evil.example/page",
    });

    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe("request.cross_origin");
  });

  it("refuses a cookie-authenticated change from another origin", async () => {
    const client = await signUpVerified(server, "fay@example.com");
    const answer = await client.post("/api/v1/auth/sign-out", undefined, {
      origin: "https://evil.example",
    });

    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe("request.cross_origin");
  });
});

describe("the sign-in rate limit", () => {
  let limited: TestServer;

  beforeAll(async () => {
    limited = await startTestServer({ env: { SIGN_IN_RATE_LIMIT: "3" } });
  });

  afterAll(async () => {
    await limited.stop();
  });

  it("is kept in the database, so it holds across instances", async () => {
    const attempt = (url: string) =>
      fetch(`${url}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "guess@example.com", password: "wrong password" }),
      }).then(async (r) => ({
        status: r.status,
        retryAfter: r.headers.get("retry-after"),
        body: (await r.json()) as any,
      }));

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(limited.url)).status);
    expect(statuses).toEqual([401, 401, 401]);

    const { app } = await buildApp({
      config: limited.tessera.ctx.config,
      db: limited.tessera.ctx.db,
      logger: false,
    });
    const other = await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const refused = await attempt(other);
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(refused.body.error.code).toBe("auth.rate_limited");
    } finally {
      await app.close();
    }

    const { rows } = await limited.tessera.ctx.db.query(
      `select count(*)::int as n from "rateLimit"`,
    );
    expect(rows[0]).toEqual({ n: 1 });
  });
});

describe("signing up from an invitation link", () => {
  it("counts as verifying the address: signed in at once, and no verification mail", async () => {
    const owner = await person(server, "inviter");
    const orgId = await organization(server, owner);
    await owner.client.post(`/api/v1/organizations/${orgId}/invitations`, {
      emails: "invitee@example.com",
    });
    const secret = await invitationSecret(server, "invitee@example.com", orgId);

    const invitee = server.client();
    const signUp = await invitee.post("/api/v1/auth/sign-up", {
      name: "Invitee",
      email: "Invitee@Example.com",
      password: PASSWORD,
      invitationSecret: secret,
    });
    expect(signUp.status).toBe(201);
    expect(signUp.body.user).toMatchObject({ email: "invitee@example.com", emailVerified: true });
    expect(invitee.signedIn).toBe(true);

    await server.deliverMail();
    expect(server.smtp.to("invitee@example.com").map((m) => m.subject)).toEqual([
      expect.stringContaining("invited you"),
    ]);
  });

  it("does not verify an account that already exists, nor sign it in", async () => {
    const owner = await person(server, "inviter");
    const orgId = await organization(server, owner);
    await server.client().post("/api/v1/auth/sign-up", {
      name: "Early",
      email: "early@example.com",
      password: PASSWORD,
    });
    await owner.client.post(`/api/v1/organizations/${orgId}/invitations`, {
      emails: "early@example.com",
    });
    const secret = await invitationSecret(server, "early@example.com", orgId);

    const again = server.client();
    const signUp = await again.post("/api/v1/auth/sign-up", {
      name: "Someone",
      email: "early@example.com",
      password: "a different password",
      invitationSecret: secret,
    });
    expect(signUp.status).toBe(202);
    expect(again.signedIn).toBe(false);

    const { rows } = await server.tessera.ctx.db.query(
      `select "emailVerified" as verified from "user" where email = 'early@example.com'`,
    );
    expect(rows).toEqual([{ verified: false }]);
  });
});
