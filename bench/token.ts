/**
 * checkToken under load: autocannon over loopback, 100 connections for 10 seconds after a
 * warm-up, for a cached good token, an uncached good token (a second instance with the cache
 * off) and a garbage token, each beside a bare Fastify route answering 200 in the same run.
 * Then through nginx with the shipped configuration, beside nginx serving the same file with
 * no check at all.
 *
 * On a machine with two CPUs or more (and taskset), the servers measured here run on CPU 0 and
 * the load and nginx on CPU 1: left to the scheduler, the load generator and the server share
 * a CPU in some runs and not in others, and the same route measures twice as fast or slow.
 *
 *   npm run bench:token        (DATABASE_URL=postgres://... for the PostgreSQL server)
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { startNginx } from "../test/deploy/nginx.ts";
import { freePort } from "../test/helpers/ports.ts";
import { owner, seatedToken, startBenchServer, stopOnSignal } from "./common.ts";

const CONNECTIONS = 100;
const OVERLOAD = 1_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const NGINX = "/usr/sbin/nginx";
const TASKSET = "/usr/bin/taskset";
const PINNED = availableParallelism() >= 2 && existsSync(TASKSET);
/** Where autocannon and nginx run when pinned; this process (the servers) takes CPU 0. */
const LOAD_CPU = 1;

/** Keeps this process, every thread of it, on CPU 0. */
function pinServers(): void {
  if (PINNED) execFileSync(TASKSET, ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
}

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  total: number;
}

/** Runs autocannon in its own process, so the load does not share the server's event loop. */
function autocannon(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
): Promise<Load> {
  const cli = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
  const args = [cli, "-j", "-c", String(connections), "-d", String(seconds)];
  for (const [name, value] of Object.entries(headers)) args.push("-H", `${name}: ${value}`);
  args.push(url);

  return new Promise((resolve, reject) => {
    const command = PINNED
      ? [TASKSET, "-c", String(LOAD_CPU), process.execPath]
      : [process.execPath];
    const [program = process.execPath, ...before] = command;
    const child = spawn(program, [...before, ...args], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", () => {
      const result = JSON.parse(out) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        non2xx: number;
      };
      resolve({
        perSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        total: result.requests.total,
      });
    });
  });
}

async function measure(
  url: string,
  headers: Record<string, string> = {},
  connections = CONNECTIONS,
): Promise<Load> {
  await autocannon(url, headers, 2, connections);
  return autocannon(url, headers, SECONDS, connections);
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

function report(name: string, load: Load, baseline: Load): void {
  const ratio = (load.perSecond / baseline.perSecond).toFixed(2);
  console.log(
    `${name.padEnd(40)} ${load.perSecond.toFixed(0).padStart(7)} req/s  ratio ${ratio}  ` +
      `p50 ${load.p50} ms  p99 ${load.p99} ms` +
      (load.non2xx ? `  (${percent(load.non2xx, load.total)} of answers not 2xx)` : ""),
  );
}

async function bareRoute() {
  const app = Fastify({ logger: false });
  app.get("/", async () => "ok");
  const port = await freePort();
  await app.listen({ port, host: "127.0.0.1" });

  return { url: `http://127.0.0.1:${port}/`, stop: () => app.close() };
}

/** A channel folder with one repodata.json, as nginx would serve it. */
async function channel(): Promise<{ root: string; remove: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), "tessera-bench-channel-"));
  await mkdir(path.join(root, "conda", "noarch"), { recursive: true });
  await writeFile(
    path.join(root, "conda", "noarch", "repodata.json"),
    JSON.stringify({ info: { subdir: "noarch" }, packages: {}, "packages.conda": {} }),
  );

  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

async function throughNginx(tesseraUrl: string, token: string): Promise<void> {
  if (!existsSync(NGINX)) {
    console.log(`nginx: not installed at ${NGINX}, skipped`);
    return;
  }

  const folder = await channel();
  const tessera = new URL(tesseraUrl).host;
  const cpu = PINNED ? LOAD_CPU : undefined;
  const checked = await startNginx({ tessera, channelRoot: folder.root, cpu });
  const plain = await startNginx({ tessera, channelRoot: folder.root, plain: true, cpu });
  const stopAll = async () => {
    await checked.stop();
    await plain.stop();
    await folder.remove();
  };
  const release = stopOnSignal(stopAll);
  try {
    const file = "/conda/noarch/repodata.json";
    const baseline = await measure(plain.url + file);
    const viaToken = await measure(`${checked.url}/t/${token}${file}`);
    report("nginx, no check (baseline)", baseline, baseline);
    report("nginx + check, token URL", viaToken, baseline);
  } finally {
    release();
    await stopAll();
  }
}

async function main(): Promise<void> {
  pinServers();
  console.log(PINNED ? `servers on CPU 0, load and nginx on CPU ${LOAD_CPU}` : "not pinned");
  const bench = await startBenchServer();
  const { tessera } = bench;
  const uncached = await bench.another({ TOKEN_CACHE_SECONDS: "0" });
  const bare = await bareRoute();
  const stopAll = async () => {
    await bare.stop();
    await uncached.stop();
    await bench.stop();
  };
  const release = stopOnSignal(stopAll);

  try {
    const who = await owner(tessera);
    const token = await seatedToken(tessera, who.userId);
    const good = { authorization: `Bearer ${token}` };
    const garbage = { authorization: "Bearer tsr_this-is-not-a-real-token" };

    const baseline = await measure(bare.url);
    report("bare Fastify route (baseline)", baseline, baseline);
    report(
      "checkToken, cached good token",
      await measure(`${tessera.url}/auth/check`, good),
      baseline,
    );
    report(
      "checkToken, uncached good token",
      await measure(`${uncached.url}/auth/check`, good),
      baseline,
    );
    report(
      "checkToken, garbage token",
      await measure(`${tessera.url}/auth/check`, garbage),
      baseline,
    );
    // Overload: ten times the connections against lookups that all reach the database. Past
    // TOKEN_CHECK_MAX_IN_FLIGHT the surplus is answered 503 at once instead of queued.
    report(
      `checkToken, uncached, ${OVERLOAD} connections`,
      await measure(`${uncached.url}/auth/check`, good, OVERLOAD),
      baseline,
    );
    await throughNginx(tessera.url, token);
  } finally {
    release();
    await stopAll();
  }
}

await main();
