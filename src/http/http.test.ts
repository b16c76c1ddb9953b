import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERRORS } from "../errors.ts";
import { PASSWORD, signUpVerified } from "../../test/helpers/people.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { redactUrl } from "./logging.ts";

const OPERATIONS = [
  "signUp",
  "signIn",
  "signOut",
  "getMe",
  "verifyEmail",
  "requestPasswordReset",
  "resetPassword",
  "createOrganization",
  "listMyOrganizations",
  "getOrganization",
  "updateOrganization",
  "deleteOrganization",
  "listMembers",
  "updateMemberRoles",
  "removeMember",
  "leaveOrganization",
  "transferOwnership",
  "createInvitations",
  "listInvitations",
  "resendInvitation",
  "revokeInvitation",
  "getInvitation",
  "acceptInvitation",
  "listPlans",
  "createSubscription",
  "updateSubscription",
  "listSubscriptions",
  "listInvoices",
  "listSeats",
  "assignSeat",
  "revokeSeat",
  "getMyToken",
  "activateToken",
  "reissueToken",
  "checkToken",
  "listAuditEvents",
];

const logLines: string[] = [];
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ logLines });
});

afterAll(async () => {
  await server.stop();
});

describe("bad input", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  it("malformed JSON gets request.malformed_json", async () => {
    expect(await post('{"email": ')).toEqual({
      status: 400,
      body: {
        error: { code: "request.malformed_json", message: ERRORS["request.malformed_json"][1] },
      },
    });
  });

  it("wrong types and missing fields name the field", async () => {
    const wrong = await post(JSON.stringify({ email: 42, password: PASSWORD }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe("request.invalid");
    expect(wrong.body.error.details.fields[0].path).toBe("/body/email");

    const missing = await post(JSON.stringify({ email: "a@example.com" }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("request.invalid");
  });

  it("an oversized body gets request.too_large", async () => {
    const big = JSON.stringify({ email: "a@example.com", password: "x".repeat(2 * 1024 * 1024) });
    const answer = await post(big);

    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe("request.too_large");
  });

  it("a body that is not JSON gets request.unsupported_media_type", async () => {
    const answer = await post("email=a", { "content-type": "application/x-www-form-urlencoded" });

    expect(answer.status).toBe(415);
    expect(answer.body.error.code).toBe("request.unsupported_media_type");
  });

  it("an unknown route gets request.not_found", async () => {
    const answer = await server.client().get("/api/v1/nothing-here");

    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("request.not_found");
  });
});

describe("the API reference", () => {
  it("holds every operation of the contract", async () => {
    const doc = (await server.client().get("/api/openapi.json")).body;
    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId?: string }>>)
      .flatMap((methods) => Object.values(methods).map((op) => op.operationId))
      .filter(Boolean);

    expect(doc.openapi).toBe("3.1.0");
    for (const id of OPERATIONS) expect(ids, id).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("lists every error code of the registry", async () => {
    const doc = (await server.client().get("/api/openapi.json")).body;

    for (const [code, [status]] of Object.entries(ERRORS)) {
      expect(doc.info.description).toContain(`| \`${code}\` | ${status} |`);
    }
  });

  it("is served as a page at /api/docs", async () => {
    const page = await fetch(`${server.url}/api/docs/`);

    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
  });
});

describe("request logs", () => {
  it("never hold a password, a token in a path, a link secret or a cookie", async () => {
    const token = "tsr_secretsecretsecretsecret123456";
    const client = await signUpVerified(server, "logged@example.com");
    await client.post("/api/v1/auth/sign-in", { email: "logged@example.com", password: PASSWORD });
    await client.get(`/auth/check/t/${token}/conda/noarch/repodata.json`);
    await client.get("/api/v1/invitation-links/link-secret-value");
    await client.get("/api/v1/auth/me?token=query-secret");

    const all = logLines.join("\n");
    expect(all).toContain('"url":"/auth/check/t/[redacted]/conda/noarch/repodata.json"');
    for (const secret of [PASSWORD, token, "link-secret-value", "query-secret", "session_token"]) {
      expect(all).not.toContain(secret);
    }
  });

  it("redacts the secret parts of a URL", () => {
    expect(redactUrl("/t/tsr_abc/conda/x.json?q=1")).toBe("/t/[redacted]/conda/x.json");
    expect(redactUrl("/invite/abc")).toBe("/invite/[redacted]");
    expect(redactUrl("/api/v1/invitation-links/abc/accept")).toBe(
      "/api/v1/invitation-links/[redacted]/accept",
    );
  });
});

describe("text no column can keep", () => {
  it("a NUL character or a lone surrogate anywhere gets request.invalid, even signed out", async () => {
    const client = server.client();
    const reset = await client.post("/api/v1/auth/reset-password", {
      token: "a\u0000b",
      password: "long enough password",
    });
    expect(reset.status).toBe(400);
    expect(reset.body.error).toMatchObject({
      code: "request.invalid",
      details: { fields: [{ path: "/body/token" }] },
    });

    const signUp = await client.post(
      "/api/v1/auth/sign-up",
      '{"name":"\\ud800","email":"x@example.com","password":"long enough password"}',
    );
    expect(signUp.status).toBe(400);

    const path = await client.get("/api/v1/organizations/ok%00id");
    expect(path.status).toBe(400);
    expect(path.body.error.details.fields[0].path).toBe("/params/orgId");

    const query = await client.get("/api/v1/organizations/some-org/members?q=%00");
    expect(query.status).toBe(400);
    expect(query.body.error.details.fields[0].path).toBe("/querystring/q");
  });

  it("a URL that does not decode gets our error body without the URL in it", async () => {
    const token = "tsr_notarealtokennotarealtoken12";
    const answer = await fetch(`${server.url}/auth/check/t/${token}/conda/%ff`);
    const text = await answer.text();

    expect(answer.status).toBe(400);
    expect(JSON.parse(text).error.code).toBe("request.invalid");
    expect(text).not.toContain(token);
  });

  it("headers too large get our error body, and nothing answered under /auth/check is kept", async () => {
    const huge = await fetch(`${server.url}/auth/check`, {
      headers: { "x-filler": "a".repeat(20_000) },
    });
    const notFound = await fetch(`${server.url}/auth/check/`);

    expect(huge.status).toBe(431);
    expect(((await huge.json()) as any).error.code).toBe("request.headers_too_large");
    expect(huge.headers.get("cache-control")).toBe("no-store");
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get("cache-control")).toBe("no-store");
  });

  it("an unknown field in a body is refused, not silently dropped", async () => {
    const answer = await server.client().post("/api/v1/auth/sign-up", {
      name: "Eve",
      email: "eve@example.com",
      password: "long enough password",
      emailVerified: true,
    });

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("request.invalid");
  });
});
