/**
 * Benchmarks, each reported as a ratio against a baseline measured in the same run:
 *
 * - the set-based invitation pipeline, 5,000 addresses in one call, against parsing the same
 *   addresses alone, and its cost per address at 5,000 against 100;
 * - listMembers at 10,000 members, first and deep pages, against a bare route;
 * - checkToken for a good token, against a bare route.
 *
 * Runs on the embedded database, or on the server at DATABASE_URL (in a fresh database that it
 * drops afterwards):  npm run bench   or   DATABASE_URL=postgres://... npm run bench
 */
import { parseAddress, splitAddressList } from "../src/addresses/address.ts";
import { inviteAddresses } from "../src/invitations/service.ts";
import type { Tessera } from "../src/server.ts";
import { owner, seatedToken, startBenchServer, time } from "./common.ts";

/** Mean milliseconds per request for `count` requests, `concurrency` at a time. */
async function requests(count: number, concurrency: number, send: () => Promise<Response>) {
  let left = count;
  const worker = async () => {
    while (left-- > 0) {
      const answer = await send();
      await answer.arrayBuffer();
      if (answer.status >= 400) throw new Error(`benchmark request answered ${answer.status}`);
    }
  };
  const elapsed = await time(() => Promise.all(Array.from({ length: concurrency }, worker)));

  return { perRequestMs: elapsed / count, perSecond: (count * 1000) / elapsed };
}

function report(name: string, measured: number, baseline: number, unit: string): void {
  const ratio = measured / baseline;
  console.log(
    `${name.padEnd(46)} ${measured.toFixed(3).padStart(10)} ${unit.padEnd(6)} ` +
      `baseline ${baseline.toFixed(3).padStart(9)}  ratio ${ratio.toFixed(2)}`,
  );
}

function addresses(count: number, prefix: string): string {
  return Array.from({ length: count }, (_, i) => `Person ${i} <${prefix}${i}@example.com>`).join(
    ", ",
  );
}

async function invitations(tessera: Tessera, userId: string): Promise<void> {
  const { ctx } = tessera;
  const parse = (text: string) =>
    splitAddressList(text).map((input) => ({ input, address: parseAddress(input) }));
  const invite = (text: string) =>
    ctx.db.transaction((tx) =>
      inviteAddresses(tx, ctx, {
        orgId: "bench",
        inviterId: userId,
        entries: parse(text),
        role: "member",
        seatProduct: null,
        rateLimited: false,
      }),
    );

  await invite(addresses(50, "warmup"));
  const small = addresses(100, "small");
  const large = addresses(5000, "large");
  const parseOnly = await time(async () => parse(large));
  const smallMs = await time(() => invite(small));
  const largeMs = await time(() => invite(large));

  report("invite 5,000 addresses vs parsing them", largeMs, parseOnly, "ms");
  report("invite: ms per address at 5,000 vs at 100", largeMs / 5000, smallMs / 100, "ms");
  await ctx.db.query(`delete from jobs`);
}

async function members(tessera: Tessera, cookie: string): Promise<void> {
  const { db } = tessera.ctx;
  await db.query(
    `insert into "user" (id, name, email, "emailVerified", "updatedAt")
     select 'bench-' || n, 'Member ' || n, 'member' || n || '@example.com', true, now()
       from generate_series(1, 10000) as n`,
  );
  await db.query(
    `insert into members (org_id, user_id, joined_at)
     select 'bench', 'bench-' || n, now() - n * interval '1 second'
       from generate_series(1, 10000) as n`,
  );
  await db.query("analyze");

  const get = (path: string) => () => fetch(tessera.url + path, { headers: { cookie } });
  const bare = await requests(300, 4, get("/healthz"));
  const first = await requests(300, 4, get("/api/v1/organizations/bench/members?limit=50"));
  const page = await fetch(tessera.url + "/api/v1/organizations/bench/members?limit=200", {
    headers: { cookie },
  });
  const cursor = ((await page.json()) as { nextCursor: string }).nextCursor;
  const deep = await requests(
    300,
    4,
    get(`/api/v1/organizations/bench/members?limit=50&cursor=${encodeURIComponent(cursor)}`),
  );
  const searched = await requests(300, 4, get("/api/v1/organizations/bench/members?q=member99"));

  report(
    "listMembers first page at 10,000 vs bare route",
    first.perRequestMs,
    bare.perRequestMs,
    "ms",
  );
  report(
    "listMembers later page at 10,000 vs bare route",
    deep.perRequestMs,
    bare.perRequestMs,
    "ms",
  );
  report(
    "listMembers search at 10,000 vs bare route",
    searched.perRequestMs,
    bare.perRequestMs,
    "ms",
  );
}

async function tokenCheck(tessera: Tessera, userId: string): Promise<void> {
  const token = await seatedToken(tessera, userId);

  const headers = { authorization: `Bearer ${token}` };
  const bare = await requests(2000, 20, () => fetch(tessera.url + "/healthz"));
  const check = await requests(2000, 20, () => fetch(tessera.url + "/auth/check", { headers }));
  report(
    "checkToken good token, requests/s vs bare route",
    check.perSecond,
    bare.perSecond,
    "req/s",
  );
}

async function main(): Promise<void> {
  const bench = await startBenchServer();
  const { tessera } = bench;
  try {
    const { cookie, userId } = await owner(tessera);
    await invitations(tessera, userId);
    await members(tessera, cookie);
    await tokenCheck(tessera, userId);
  } finally {
    await bench.stop();
  }
}

await main();
