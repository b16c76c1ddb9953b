import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seatedMember } from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { generateToken } from "./format.ts";

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  const { member, orgId } = await seatedMember(server);
  const activated = await member.client.post(`/api/v1/organizations/${orgId}/token`);
  token = activated.body.token as string;
});

afterAll(async () => {
  await server.stop();
});

interface Request {
  url: string;
  headers?: Record<string, string>;
}

const ANSWER_HEADERS = [
  "content-type",
  "content-length",
  "cache-control",
  "retry-after",
  "x-tessera-organization",
  "x-tessera-products",
];

/** Over a socket: what the check lane ahead of Fastify answers. */
async function overSocket(request: Request, method = "GET") {
  const answer = await fetch(server.url + request.url, { method, headers: request.headers ?? {} });
  const headers = Object.fromEntries(
    ANSWER_HEADERS.flatMap((name) => {
      const value = answer.headers.get(name);
      return value === null ? [] : [[name, value]];
    }),
  );

  return { status: answer.status, headers, body: await answer.text() };
}

/** Through `inject`: what the Fastify routes answer. */
async function throughFastify(request: Request) {
  const answer = await server.tessera.app.inject({
    method: "GET",
    url: request.url,
    headers: request.headers ?? {},
  });
  const headers = Object.fromEntries(
    ANSWER_HEADERS.flatMap((name) => {
      const value = answer.headers[name];
      return value === undefined ? [] : [[name, String(value)]];
    }),
  );

  return { status: answer.statusCode, headers, body: answer.body };
}

const cases: Array<[string, () => Request]> = [
  [
    "a good Bearer token",
    () => ({ url: "/auth/check", headers: { authorization: `Bearer ${token}` } }),
  ],
  [
    "a good token in X-Original-URI",
    () => ({ url: "/auth/check", headers: { "x-original-uri": `/t/${token}/conda/noarch/x` } }),
  ],
  ["the path form", () => ({ url: `/auth/check/t/${token}/conda/noarch/repodata.json` })],
  ["a covered product", () => ({ url: `/auth/check/t/${token}/c?product=conda` })],
  ["a product not covered", () => ({ url: `/auth/check/t/${token}/c?product=other` })],
  ["no token", () => ({ url: "/auth/check" })],
  ["an empty path token", () => ({ url: "/auth/check/t//conda" })],
  ["garbage", () => ({ url: "/auth/check", headers: { authorization: "Bearer tsr_nope" } })],
  ["an unknown token", () => ({ url: `/auth/check/t/${generateToken()}/conda` })],
  [
    "a repeated product (400, not one of them)",
    () => ({ url: `/auth/check/t/${token}/c?product=a&product=b` }),
  ],
  ["a NUL in the product", () => ({ url: `/auth/check/t/${token}/c?product=%00` })],
  ["a NUL in another query field", () => ({ url: `/auth/check?other=%00&product=conda` })],
  ["a NUL in the path token", () => ({ url: "/auth/check/t/tsr_%00/conda" })],
  ["a product that is not UTF-8", () => ({ url: `/auth/check/t/${token}/c?product=%ED%A0%80` })],
  ["a URL that does not decode", () => ({ url: `/auth/check/t/${token}/conda/%ff` })],
];

describe("the check lane ahead of Fastify", () => {
  it.each(cases)("answers %s exactly as the checkToken route does", async (_name, build) => {
    const request = build();

    const lane = await overSocket(request);
    const route = await throughFastify(request);

    expect(lane).toEqual(route);
    expect(lane.headers["cache-control"]).toBe("no-store");
  });

  it("answers HEAD with the same status and headers and no body", async () => {
    const request = { url: `/auth/check/t/${token}/conda/noarch/repodata.json` };

    const head = await overSocket(request, "HEAD");
    const get = await overSocket(request);

    expect(head).toEqual({ ...get, body: "" });
    expect(head.headers["x-tessera-organization"]).toBeTruthy();
  });

  it("leaves every other path and method to Fastify", async () => {
    const post = await fetch(`${server.url}/auth/check`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    const near = await fetch(`${server.url}/auth/checkout`);

    expect(post.status).toBe(404);
    expect(post.headers.get("x-tessera-organization")).toBeNull();
    expect(near.status).toBe(404);
  });

  it("answers 500 without caching when the database fails, and works again after", async () => {
    const unknown = generateToken();
    const query = vi.spyOn(server.tessera.ctx.db, "query").mockRejectedValueOnce(new Error("down"));

    const failed = await overSocket({ url: `/auth/check/t/${unknown}/conda` });
    query.mockRestore();
    const again = await overSocket({ url: `/auth/check/t/${unknown}/conda` });

    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body).error.code).toBe("request.internal");
    expect(failed.headers["cache-control"]).toBe("no-store");
    expect(again.status).toBe(401);
  });
});
