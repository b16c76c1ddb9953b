import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Person } from "../../test/helpers/fixtures.ts";
import {
  addMember,
  person,
  seat,
  seatedMember,
  subscription,
} from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { generateToken } from "./format.ts";

let server: TestServer;
const logLines: string[] = [];

beforeAll(async () => {
  server = await startTestServer({ logLines });
});

afterAll(async () => {
  await server.stop();
});

async function activate(member: Person, orgId: string): Promise<string> {
  const activated = await member.client.post(`/api/v1/organizations/${orgId}/token`);
  expect(activated.status).toBe(201);

  return activated.body.token as string;
}

async function withToken() {
  const seated = await seatedMember(server);

  return { ...seated, token: await activate(seated.member, seated.orgId) };
}

const bearer = (token: string, query = "") =>
  server.client().get(`/auth/check${query}`, { authorization: `Bearer ${token}` });

async function expectNo(
  answer: Promise<{ status: number; body: any; headers: Headers }>,
  status: number,
  code: string,
) {
  const { status: got, body, headers } = await answer;
  expect({ status: got, code: body.error.code }).toEqual({ status, code });
  // A 401 names the scheme that would do; a 403 is no question of credentials.
  const scheme = status === 401 ? 'Bearer realm="tessera"' : null;
  expect(headers.get("www-authenticate")).toBe(scheme);
}

describe("checkToken: yes", () => {
  it("answers 200 with the organization and products, by Bearer header", async () => {
    const { orgId, token } = await withToken();

    const yes = await bearer(token);
    expect(yes.status).toBe(200);
    expect(yes.body).toEqual({ organization: orgId, products: ["conda"] });
    expect(yes.headers.get("x-tessera-organization")).toBe(orgId);
    expect(yes.headers.get("x-tessera-products")).toBe("conda");
    expect(yes.headers.get("cache-control")).toBe("no-store");
  });

  it("finds the token in the X-Original-URI path that nginx auth_request sends", async () => {
    const { orgId, token } = await withToken();

    const yes = await server.client().get("/auth/check", {
      "x-original-uri": `/t/${token}/conda/noarch/repodata.json`,
    });
    expect(yes.status).toBe(200);
    expect(yes.headers.get("x-tessera-organization")).toBe(orgId);
    expect(yes.headers.get("x-tessera-products")).toBe("conda");
  });

  it("answers on the path form /auth/check/t/<token>/...", async () => {
    const { orgId, token } = await withToken();

    for (const path of [
      `/auth/check/t/${token}/conda/linux-64/a-1.0-0.conda`,
      `/auth/check/t/${token}`,
    ]) {
      const yes = await server.client().get(path);
      expect(yes.status, path).toBe(200);
      expect(yes.body).toEqual({ organization: orgId, products: ["conda"] });
      expect(yes.headers.get("x-tessera-organization")).toBe(orgId);
      expect(yes.headers.get("x-tessera-products")).toBe("conda");
      expect(yes.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("names every covered product, and limits to one with ?product", async () => {
    const { member, orgId, token } = await withToken();
    const other = await subscription(server, orgId, 1, "other");
    await seat(server, orgId, other, member, "other");

    const both = await bearer(token);
    expect(both.headers.get("x-tessera-products")).toBe("conda,other");
    expect((await bearer(token, "?product=other")).status).toBe(200);
    await expectNo(bearer(token, "?product=private"), 403, "token.product_not_covered");
  });
});

describe("checkToken: no", () => {
  it("answers token.missing without a token", async () => {
    await expectNo(server.client().get("/auth/check"), 401, "token.missing");
    await expectNo(
      server.client().get("/auth/check", { "x-original-uri": "/conda/noarch/repodata.json" }),
      401,
      "token.missing",
    );
    await expectNo(
      server.client().get("/auth/check", { authorization: "Bearer " }),
      401,
      "token.missing",
    );
  });

  it("reads the X-Original-URI token from its path only, never its query or fragment", async () => {
    const { orgId, token } = await withToken();
    const check = (uri: string) => server.client().get("/auth/check", { "x-original-uri": uri });

    for (const uri of [
      `/conda/noarch/repodata.json?/t/${token}`,
      `/conda/noarch/repodata.json?x=/t/${token}/`,
      `/conda/noarch/repodata.json#/t/${token}/`,
    ]) {
      await expectNo(check(uri), 401, "token.missing");
    }

    const yes = await check(`/t/${token}/conda/noarch/repodata.json?x=/t/other/`);
    expect(yes.status).toBe(200);
    expect(yes.headers.get("x-tessera-organization")).toBe(orgId);
  });

  it("refuses garbage and a mistyped token as malformed without asking the database", async () => {
    const { token } = await withToken();
    const at = 10;
    const changed = token.slice(0, at) + (token[at] === "a" ? "b" : "a") + token.slice(at + 1);
    const query = vi.spyOn(server.tessera.ctx.db, "query");

    try {
      await expectNo(bearer("hello"), 401, "token.malformed");
      await expectNo(bearer(changed), 401, "token.malformed");
      await expectNo(server.client().get(`/auth/check/t/${changed}/conda`), 401, "token.malformed");
      await expectNo(
        server.client().get("/auth/check", { "x-original-uri": "/t/hello/conda/" }),
        401,
        "token.malformed",
      );
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
  });

  it("answers token.invalid for a well-formed token nobody has", async () => {
    await expectNo(bearer(generateToken()), 401, "token.invalid");
  });

  it("answers token.invalid for a revoked token", async () => {
    const { orgId, token } = await withToken();
    await server.tessera.ctx.db.query(`update tokens set status = 'revoked' where org_id = $1`, [
      orgId,
    ]);

    await expectNo(bearer(token), 401, "token.invalid");
  });

  it("answers token.inactive for good once the last seat is revoked; a new token works", async () => {
    const { member, orgId, token } = await withToken();
    const seats = `/api/v1/organizations/${orgId}/seats`;

    const revoked = await member.client.delete(`${seats}/conda/${member.userId}`);
    expect(revoked.status).toBe(204);
    await expectNo(bearer(token), 403, "token.inactive");

    const given = await member.client.post(seats, { product: "conda", userIds: [member.userId] });
    expect(given.body.results).toEqual([{ userId: member.userId, outcome: "assigned" }]);
    await expectNo(bearer(token), 403, "token.inactive");

    const fresh = await activate(member, orgId);
    expect(fresh).not.toBe(token);
    const yes = await bearer(fresh);
    expect([yes.status, yes.body]).toEqual([200, { organization: orgId, products: ["conda"] }]);
    await expectNo(bearer(token), 403, "token.inactive");
  });

  it("answers token.inactive while an active token's seats are gone, yes with one again", async () => {
    const { member, orgId, subscriptionId, token } = await withToken();
    // The coverage rule is read at every check, not only remembered in the token's status.
    await server.tessera.ctx.db.query(`delete from seats where org_id = $1`, [orgId]);

    await expectNo(bearer(token), 403, "token.inactive");

    await seat(server, orgId, subscriptionId, member);
    // The fixture wrote the seat behind the services' backs, so nothing told the cache.
    server.tessera.ctx.tokenChecks.forget({ orgId });
    expect((await bearer(token)).status).toBe(200);
  });

  it("answers token.inactive for a removed member", async () => {
    const { orgId, subscriptionId } = await seatedMember(server);
    const member = await person(server, "removed");
    await addMember(server, orgId, member);
    await seat(server, orgId, subscriptionId, member);
    const token = await activate(member, orgId);
    expect((await bearer(token)).status).toBe(200);

    await server.tessera.ctx.db.transaction(async (tx) => {
      await tx.query(
        `update tokens set status = 'ended', ended_at = $3
          where org_id = $1 and user_id = $2 and status = 'active'`,
        [orgId, member.userId, server.clock.now()],
      );
      await tx.query(`delete from members where org_id = $1 and user_id = $2`, [
        orgId,
        member.userId,
      ]);
    });
    server.tessera.ctx.tokenChecks.forget({ orgId });

    await expectNo(bearer(token), 403, "token.inactive");
  });

  it("answers token.inactive once a cancelled subscription's period has ended", async () => {
    const { orgId, token } = await withToken();
    const end = new Date(server.clock.now().getTime() + 86_400_000);
    await server.tessera.ctx.db.query(
      `update subscriptions set status = 'cancelled', cancelled_at = $2, current_period_end = $3
        where org_id = $1`,
      [orgId, server.clock.now(), end],
    );
    expect((await bearer(token)).status).toBe(200);

    server.clock.advance(86_400_000 + 1000);
    await expectNo(bearer(token), 403, "token.inactive");
  });

  it("keeps no-store on refusals too", async () => {
    const no = await bearer(generateToken());
    expect(no.status).toBe(401);
    expect(no.headers.get("cache-control")).toBe("no-store");
  });
});

describe("checkToken: secrecy", () => {
  it("never writes a token into the log", async () => {
    const { token } = await withToken();
    await bearer(token);
    await server.client().get(`/auth/check/t/${token}/conda/noarch/repodata.json`);
    await server.client().get("/auth/check", { "x-original-uri": `/t/${token}/conda/` });
    // Spellings the router decodes to the path form, or answers 404 or 400 to.
    for (const path of [
      `/auth/check/%74/${token}/conda/noarch/repodata.json`,
      `/%61uth/check/%74/${token}`,
      `/auth/check/t%2F${token}`,
      `/auth/check%2Ft%2F${token}`,
      `/auth/check/t/%74sr_${token.slice(4)}/conda`,
      `/auth/check/%74/${token}/%ff`,
    ]) {
      await fetch(server.url + path);
    }

    expect(logLines.some((line) => line.includes("/auth/check"))).toBe(true);
    expect(logLines.filter((line) => line.includes(token.slice(4)))).toEqual([]);
  });
});
