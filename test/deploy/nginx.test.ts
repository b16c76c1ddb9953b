import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateToken } from "../../src/tokens/format.ts";
import { type Person, seatedMember } from "../helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { type Package, writeChannel } from "./channel.ts";
import { curl, streamCondaIndex } from "./clients.ts";
import { freePort } from "../helpers/ports.ts";
import { type Nginx, startNginx } from "./nginx.ts";

/** What this suite runs for real; .ci/run installs the Debian packages when they are missing. */
function missingTools(): string[] {
  const missing = ["/usr/sbin/nginx", "/usr/bin/cph", "/usr/bin/curl", "/usr/bin/python3"].filter(
    (file) => !existsSync(file),
  );
  const streaming = spawnSync("/usr/bin/python3", ["-I", "-c", "import conda_package_streaming"]);
  if (streaming.status !== 0) missing.push("python3-conda-package-streaming");

  return missing;
}

const missing = missingTools();
const title = missing.length
  ? `nginx in front of a conda channel (skipped: ${missing.join(", ")} not installed)`
  : "nginx in front of a conda channel";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe.skipIf(missing.length > 0)(title, () => {
  let server: TestServer;
  let nginx: Nginx;
  let root: string;
  let packages: Package[];
  let repodata: unknown;
  const issued = new Set<string>();

  beforeAll(async () => {
    server = await startTestServer();
    root = await mkdtemp(path.join(tmpdir(), "tessera-channel-"));
    ({ packages, repodata } = await writeChannel(root, "conda", [
      { name: "tessera-demo", version: "1.0", payloadBytes: 200_000 },
      { name: "tessera-tools", version: "2.1", payloadBytes: 1_000 },
    ]));
    await writeChannel(root, "conda-pro", [
      { name: "tessera-pro", version: "1.0", payloadBytes: 1_000 },
    ]);
    nginx = await startNginx({ tessera: new URL(server.url).host, channelRoot: root });
  });

  afterAll(async () => {
    await nginx?.stop();
    await server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function activate(member: Person, orgId: string): Promise<string> {
    const answer = await member.client.post(`/api/v1/organizations/${orgId}/token`);
    expect(answer.status).toBe(201);
    issued.add(answer.body.token as string);

    return answer.body.token as string;
  }

  async function withToken(product = "conda") {
    const seated = await seatedMember(server, product);

    return { ...seated, token: await activate(seated.member, seated.orgId) };
  }

  const inPath = (token: string, file: string) => curl(`${nginx.url}/t/${token}/${file}`);
  const asBearer = (token: string, file: string) =>
    curl(`${nginx.url}/${file}`, { authorization: `Bearer ${token}` });

  async function statuses(token: string, file = "conda/noarch/repodata.json") {
    return [(await inPath(token, file)).status, (await asBearer(token, file)).status];
  }

  it("serves repodata.json and the package bytes to a good token, in the path and as Bearer", async () => {
    const { token } = await withToken();

    for (const get of [inPath, asBearer]) {
      const listing = await get(token, "conda/noarch/repodata.json");
      expect(listing.status).toBe(200);
      expect(JSON.parse(listing.body.toString())).toEqual(repodata);

      for (const p of packages) {
        const file = await get(token, `conda/noarch/${p.fileName}`);
        expect(file.status).toBe(200);
        expect(sha256(file.body)).toBe(p.sha256);
        expect(file.cacheControl).toBe("private");
      }
    }
  });

  it("asks Tessera over a few reused connections, not one per download", async () => {
    const { token } = await withToken();
    let opened = 0;
    const count = () => (opened += 1);
    server.tessera.app.server.on("connection", count);

    try {
      for (let i = 0; i < 20; i++) {
        expect((await inPath(token, "conda/noarch/repodata.json")).status).toBe(200);
      }
    } finally {
      server.tessera.app.server.off("connection", count);
    }

    // One worker asking one at a time reuses the connection it keeps; a GET would not.
    expect(opened).toBeLessThanOrEqual(1);
  });

  it("lets conda_package_streaming read a package's index.json over range requests", async () => {
    const { token } = await withToken();
    const big = packages[0] as Package;

    const index = await streamCondaIndex(`${nginx.url}/t/${token}/conda/noarch/${big.fileName}`);
    expect(index).toEqual(big.index);

    const log = await readFile(nginx.accessLog, "utf8");
    const reads = log.split("\n").filter((line) => line.includes('"conda-package-streaming/'));
    const sent = reads.map((line) => Number(/" 206 (\d+) /.exec(line)?.[1]));
    expect(reads.length).toBeGreaterThan(0);
    expect(sent.every((bytes) => bytes > 0)).toBe(true);
    expect(sent.reduce((a, b) => a + b, 0)).toBeLessThan(big.bytes.length / 2);
  });

  it("refuses no token, garbage, an unknown token and a reissued-away token with 401", async () => {
    const { member, orgId, token } = await withToken();
    const reissued = await member.client.post(`/api/v1/organizations/${orgId}/token/reissue`);
    expect(reissued.status).toBe(201);
    issued.add(reissued.body.token as string);

    const none = await curl(`${nginx.url}/conda/noarch/repodata.json`);
    expect({ status: none.status, scheme: none.wwwAuthenticate }).toEqual({
      status: 401,
      scheme: 'Bearer realm="tessera"',
    });
    expect(await statuses("garbage")).toEqual([401, 401]);
    expect(await statuses(generateToken())).toEqual([401, 401]);
    expect(await statuses(token)).toEqual([401, 401]);
    expect(await statuses(reissued.body.token as string)).toEqual([200, 200]);
  });

  it("refuses the token with 403 within one second of the admin revoking the seat", async () => {
    const { member, orgId, token } = await withToken();
    expect(await statuses(token)).toEqual([200, 200]);

    const revoked = await member.client.delete(
      `/api/v1/organizations/${orgId}/seats/conda/${member.userId}`,
    );
    expect(revoked.status).toBe(204);

    const since = performance.now();
    let answer = await inPath(token, "conda/noarch/repodata.json");
    while (answer.status === 200 && performance.now() - since < 1000) {
      answer = await inPath(token, "conda/noarch/repodata.json");
    }
    expect({ status: answer.status, withinOneSecond: performance.now() - since < 1000 }).toEqual({
      status: 403,
      withinOneSecond: true,
    });
    expect(await statuses(token)).toEqual([403, 403]);
  });

  it("limits a product channel to tokens that cover its product", async () => {
    const conda = await withToken("conda");
    const pro = await withToken("pro");

    expect(await statuses(conda.token, "conda-pro/noarch/repodata.json")).toEqual([403, 403]);
    expect(await statuses(pro.token, "conda-pro/noarch/repodata.json")).toEqual([200, 200]);
    expect(await statuses(conda.token, "conda/noarch/repodata.json")).toEqual([200, 200]);
  });

  it("reaches no internal check location from outside, with or without a token", async () => {
    const { token } = await withToken();

    expect((await curl(`${nginx.url}/_tessera/check`)).status).toBe(404);
    expect(await statuses(token, "_tessera/check")).toEqual([404, 404]);
    expect(await statuses(token, "_tessera/check/pro")).toEqual([404, 404]);
  });

  it("writes the organization and products to the access log, and never a token", async () => {
    const { orgId, token } = await withToken();
    expect(await statuses(token)).toEqual([200, 200]);
    expect(await statuses(`${token}x`)).toEqual([401, 401]);
    // Escaped spellings of the token, refused, must not reach the log either.
    const escaped = `%74sr_${token.slice(4)}`;
    for (const path of [`/%74/${escaped}/conda/`, `/t/x/t/${escaped}/conda/`, `/t/${escaped}/x`]) {
      expect((await curl(nginx.url + path)).status).toBeGreaterThanOrEqual(400);
    }

    const log = await readFile(nginx.accessLog, "utf8");
    const mine = log.split("\n").filter((line) => line.includes(`org=${orgId} products=conda`));
    expect(mine).toHaveLength(2);
    expect(mine[0]).toContain('"GET /t/[token]/conda/noarch/repodata.json HTTP/1.1" 200');
    expect(mine[1]).toContain('"GET /conda/noarch/repodata.json HTTP/1.1" 200');
    expect(log).toContain('"GET /t/[token]/conda/noarch/repodata.json HTTP/1.1" 401');

    expect(issued.size).toBeGreaterThan(0);
    for (const secret of issued) expect(log).not.toContain(secret.slice(4));
  });
});

/** A stand-in for a Tessera instance that gives every check the same answer. */
async function answering(status: number, headers: Record<string, string> = {}): Promise<Server> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return server;
}

const hostOf = (server: Server) => `127.0.0.1:${(server.address() as AddressInfo).port}`;

describe.skipIf(missing.length > 0)(`${title}: Tessera unavailable`, () => {
  let busy: Server;
  let failing: Server;
  let good: Server;
  let root: string;
  const started: Nginx[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "tessera-channel-"));
    await writeChannel(root, "conda", []);

    // Tessera shedding load: 503 with its own Retry-After.
    busy = await answering(503, { "retry-after": "7" });
    failing = await answering(500);
    good = await answering(200, {
      "x-tessera-organization": "acme",
      "x-tessera-products": "conda",
    });
  });

  afterAll(async () => {
    for (const nginx of started) await nginx.stop();
    for (const server of [busy, failing, good]) await new Promise((r) => server?.close(r));
    if (root) await rm(root, { recursive: true, force: true });
  });

  async function nginxBefore(tessera: string | string[]) {
    const nginx = await startNginx({ tessera, channelRoot: root });
    started.push(nginx);

    return nginx;
  }

  it("answers 503 with Tessera's Retry-After when the check sheds load", async () => {
    const nginx = await nginxBefore(hostOf(busy));

    const answer = await curl(`${nginx.url}/t/${generateToken()}/conda/noarch/repodata.json`);
    expect({ status: answer.status, retryAfter: answer.retryAfter }).toEqual({
      status: 503,
      retryAfter: "7",
    });
  });

  it("asks the next instance when one fails with 500, and passes one's 503 on", async () => {
    const file = `/t/${generateToken()}/conda/noarch/repodata.json`;
    const past = await nginxBefore([hostOf(failing), hostOf(good)]);
    const shed = await nginxBefore([hostOf(busy), hostOf(good)]);

    const served = [];
    const shedOrServed = [];
    for (let i = 0; i < 4; i++) {
      served.push((await curl(past.url + file)).status);
      shedOrServed.push((await curl(shed.url + file)).status);
    }

    expect(served).toEqual([200, 200, 200, 200]);
    expect([...new Set(shedOrServed)].sort()).toEqual([200, 503]);
  });

  it("answers 503 with Retry-After 1 when Tessera is down", async () => {
    const nginx = await nginxBefore(`127.0.0.1:${await freePort()}`);

    for (const answer of [
      await curl(`${nginx.url}/t/${generateToken()}/conda/noarch/repodata.json`),
      await curl(`${nginx.url}/conda/noarch/repodata.json`, {
        authorization: `Bearer ${generateToken()}`,
      }),
    ]) {
      expect(answer).toMatchObject({
        status: 503,
        retryAfter: "1",
        contentType: "text/plain",
        cacheControl: "no-store",
      });
    }
  });
});
