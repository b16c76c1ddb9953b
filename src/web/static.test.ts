import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import type { App } from "../http/types.ts";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";

const INDEX = "<!doctype html><title>Tessera</title><div id=root></div>";
const SCRIPT = "console.log('app');";

/** A HEAD request with no header but Host, as nginx's auth_request subrequest sends it. */
function bare(url: string): Promise<{ status: number; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const asked = request(url, { method: "HEAD" }, (answer) => {
      answer.resume();
      resolve({ status: answer.statusCode ?? 0, type: answer.headers["content-type"] });
    });
    asked.on("error", reject);
    asked.end();
  });
}

/** The error code of a JSON error answer. */
async function codeOf(answer: Response): Promise<string> {
  return ((await answer.json()) as { error: { code: string } }).error.code;
}

interface Served {
  app: App;
  url: string;
}

async function serve(database: TestDatabase, webRoot: string): Promise<Served> {
  const config = loadConfig({
    PORT: "0",
    SECRET: "static-test-secret-static-test-secret-0123",
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  });
  const { app } = await buildApp({
    config,
    db: database.db,
    strictResponses: true,
    logger: false,
    webRoot,
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });

  return { app, url: address };
}

let database: TestDatabase;
let built: string;
let empty: string;
let web: Served;
let none: Served;

beforeAll(async () => {
  database = await createTestDatabase();
  built = mkdtempSync(path.join(tmpdir(), "tessera-web-"));
  mkdirSync(path.join(built, "assets"));
  writeFileSync(path.join(built, "index.html"), INDEX);
  writeFileSync(path.join(built, "assets", "index-Ab12Cd34.js"), SCRIPT);
  empty = mkdtempSync(path.join(tmpdir(), "tessera-noweb-"));

  web = await serve(database, built);
  none = await serve(database, empty);
});

afterAll(async () => {
  await web?.app.close();
  await none?.app.close();
  await database?.drop();
  rmSync(built, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe("the web app from its build folder", () => {
  it("serves index.html at / to be revalidated on every load", async () => {
    const answer = await fetch(`${web.url}/`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
    expect(answer.headers.get("cache-control")).toBe("no-cache");
    expect(await answer.text()).toBe(INDEX);
  });

  it("serves hashed assets with a long, immutable cache", async () => {
    const answer = await fetch(`${web.url}/assets/index-Ab12Cd34.js`);

    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/javascript/);
    expect(answer.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await answer.text()).toBe(SCRIPT);
  });

  it("answers a client route with the app, so a reload keeps the page", async () => {
    const routes = [
      "/orgs",
      "/orgs/acme/members",
      "/orgs/acme/token",
      "/invite/abc?x=1",
      "/signin?next=/orgs",
      "/login",
      "/signup",
      "/register",
      "/verify-email?token=abc",
      "/reset-password?token=abc",
      "/forgot-password",
      "/account",
      "/subscriptions",
      "/token-access",
      "/no-such-page",
    ];
    for (const route of routes) {
      const answer = await fetch(`${web.url}${route}`);

      expect(answer.status, route).toBe(200);
      expect(answer.headers.get("content-type"), route).toMatch(/^text\/html/);
      expect(answer.headers.get("cache-control"), route).toBe("no-cache");
      expect(await answer.text(), route).toBe(INDEX);
    }
  });

  it("keeps the JSON 404 for unknown server paths, missing assets and non-GET requests", async () => {
    const paths = [
      "/api/v1/nothing-here",
      "/api/nothing",
      "/dev/nothing",
      "/auth/check-nothing",
      "/healthz/more",
      "/assets/index-Gone0000.js",
    ];
    for (const route of paths) {
      const answer = await fetch(`${web.url}${route}`);

      expect(answer.status, route).toBe(404);
      expect(await answer.json(), route).toEqual({
        error: { code: "request.not_found", message: "No such route." },
      });
    }

    const post = await fetch(`${web.url}/orgs`, { method: "POST" });
    expect(post.headers.get("cache-control")).toBe("no-store");
    expect(post.status).toBe(404);
    expect(await codeOf(post)).toBe("request.not_found");
  });

  it("answers the JSON 404, never the app, at a mistyped check URL or a channel path", async () => {
    // nginx's auth_request takes any 2xx as a yes: the app's page there would let downloads in.
    const paths = [
      "/_tessera/check",
      "/_tessera/check/pro",
      "/_anything",
      "/Auth/check",
      "/AUTH/CHECK",
      "/auth",
      "/auth/",
      "/auth/foo",
      "/auth/check/",
      "//auth/check",
      "/%2Fauth/check",
      "/API/v1/nothing",
      "/t/tsr_abc/conda/noarch/repodata.json",
      "/T/tsr_abc/conda/noarch/repodata.json",
      "/.env",
    ];
    for (const route of paths) {
      for (const method of ["GET", "HEAD"]) {
        const answer = await fetch(`${web.url}${route}`, { method });

        expect(answer.status, `${method} ${route}`).toBe(404);
        expect(answer.headers.get("content-type"), route).toMatch(/^application\/json/);
        expect(answer.headers.get("cache-control"), route).toBe("no-store");
        if (method === "GET") expect(await codeOf(answer), route).toBe("request.not_found");
      }
    }
  });

  it("answers the JSON 404 to a request that accepts no page, as nginx's check asks", async () => {
    for (const route of ["/check", "/tessera/check", "/orgs/acme/members"]) {
      const asked = await bare(`${web.url}${route}`);
      expect(asked, route).toEqual({ status: 404, type: "application/json; charset=utf-8" });

      const json = await fetch(`${web.url}${route}`, { headers: { accept: "application/json" } });
      expect(json.status, route).toBe(404);
    }
    const page = await fetch(`${web.url}/orgs/acme/members`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
  });

  it("keeps the token check and its path form answering as the check", async () => {
    const answers = {
      "/auth/check": "token.missing",
      "/auth/check/t/tsr_abc/conda/noarch/repodata.json": "token.malformed",
    };
    for (const [route, code] of Object.entries(answers)) {
      const answer = await fetch(`${web.url}${route}`);

      expect(answer.status, route).toBe(401);
      expect(answer.headers.get("cache-control"), route).toBe("no-store");
      expect(await codeOf(answer), route).toBe(code);
    }
  });

  it("leaves the API's own routes alone", async () => {
    const health = await fetch(`${web.url}/healthz`);
    const me = await fetch(`${web.url}/api/v1/auth/me`);

    expect(health.status).toBe(200);
    expect(health.headers.get("content-type")).toMatch(/^application\/json/);
    expect(me.status).toBe(401);
    expect(await codeOf(me)).toBe("auth.required");
  });
});

describe("without a web build", () => {
  it("serves no pages and answers every unknown path with the JSON 404", async () => {
    for (const route of ["/", "/orgs/acme"]) {
      const answer = await fetch(`${none.url}${route}`);

      expect(answer.status, route).toBe(404);
      expect(await codeOf(answer), route).toBe("request.not_found");
    }
  });
});
