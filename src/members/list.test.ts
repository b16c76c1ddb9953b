import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  organization,
  person,
  seat,
  subscription,
  unique,
  type Person,
  type Roles,
} from "../../test/helpers/fixtures.ts";
import { tokenRow } from "../../test/helpers/members.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const DAY = 86_400_000;

/** Sets when members joined, one minute apart in the order given, from `base`. */
async function joinedInOrder(orgId: string, people: Person[], base: Date): Promise<string[]> {
  const ids = people.map((p) => p.userId);
  await server.tessera.ctx.db.query(
    `update members m set joined_at = $2::timestamptz + (o.n * interval '1 minute')
       from unnest($3::text[]) with ordinality as o(user_id, n)
      where m.org_id = $1 and m.user_id = o.user_id`,
    [orgId, base, ids],
  );

  return people.map((_, i) => new Date(base.getTime() + (i + 1) * 60_000).toISOString());
}

async function team(roles: Roles[] = []) {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);
  const others: Person[] = [];
  for (const r of roles) {
    const someone = await person(server, "member");
    await addMember(server, orgId, someone, r);
    others.push(someone);
  }

  return { owner, orgId, others };
}

async function list(who: Person, orgId: string, query = "") {
  const answer = await who.client.get(`/api/v1/organizations/${orgId}/members${query}`);
  expect(answer.status).toBe(200);

  return answer.body;
}

describe("listMembers", () => {
  it("shows each member's roles, seats, token standing and join time", async () => {
    const { owner, orgId, others } = await team([{}, { billingAdmin: true }, {}, {}, {}]);
    const [ana, ben, cal, dee, eve] = others as [Person, Person, Person, Person, Person];
    const now = server.clock.now();
    const db = server.tessera.ctx.db;

    const conda = await subscription(server, orgId, 5, "conda");
    const lapsing = await subscription(server, orgId, 5, "pypi");
    const running = await subscription(server, orgId, 5, "cran");
    await db.query(
      `update subscriptions set status = 'cancelled', current_period_end = $3
        where org_id = $1 and subscription_id = $2`,
      [orgId, lapsing, new Date(now.getTime() - DAY)],
    );
    await db.query(
      `update subscriptions set status = 'cancelled' where org_id = $1 and subscription_id = $2`,
      [orgId, running],
    );
    await seat(server, orgId, conda, ana, "conda");
    await seat(server, orgId, lapsing, ana, "pypi");
    await seat(server, orgId, lapsing, ben, "pypi");
    await seat(server, orgId, running, cal, "cran");
    await db.query(`update seats set assigned_at = $2 where org_id = $1`, [orgId, now]);
    const used = new Date(now.getTime() - 3_600_000);
    await tokenRow(server, orgId, ana, "active", used);
    await tokenRow(server, orgId, ben, "active");
    await tokenRow(server, orgId, cal, "reissued", used);
    await tokenRow(server, orgId, cal, "active");
    await tokenRow(server, orgId, dee, "active");
    await tokenRow(server, orgId, eve, "ended", used);
    const joined = await joinedInOrder(orgId, [owner, ...others], new Date(now.getTime() - DAY));

    const page = await list(ben, orgId);

    const at = now.toISOString();
    const none = { status: "none", lastUsedAt: null, usesToday: 0 };
    const plain = { owner: false, accountAdmin: false, billingAdmin: false };
    const row = (p: Person, i: number, extra: object) => ({
      userId: p.userId,
      name: p === owner ? "owner" : "member",
      email: p.email,
      roles: plain,
      seats: [],
      token: none,
      joinedAt: joined[i],
      ...extra,
    });
    expect(page).toEqual({
      members: [
        row(owner, 0, { roles: { ...plain, owner: true, accountAdmin: true } }),
        row(ana, 1, {
          seats: [
            { product: "conda", assignedAt: at },
            { product: "pypi", assignedAt: at },
          ],
          token: { status: "active", lastUsedAt: used.toISOString(), usesToday: 0 },
        }),
        row(ben, 2, {
          roles: { ...plain, billingAdmin: true },
          seats: [{ product: "pypi", assignedAt: at }],
          token: { status: "inactive", lastUsedAt: null, usesToday: 0 },
        }),
        row(cal, 3, {
          seats: [{ product: "cran", assignedAt: at }],
          token: { status: "active", lastUsedAt: null, usesToday: 0 },
        }),
        row(dee, 4, { token: { status: "inactive", lastUsedAt: null, usesToday: 0 } }),
        row(eve, 5, {}),
      ],
      nextCursor: null,
    });
  });

  it("searches names and addresses case-insensitively, with no wildcards", async () => {
    const { owner, orgId, others } = await team([{}, {}]);
    const [grace, alan] = others as [Person, Person];
    const db = server.tessera.ctx.db;
    await db.query(`update "user" set name = 'Grace Hopper' where id = $1`, [grace.userId]);
    await db.query(`update "user" set name = 'Alan Turing_' where id = $1`, [alan.userId]);
    const ids = async (q: string) =>
      (await list(owner, orgId, `?q=${encodeURIComponent(q)}`)).members.map((m: any) => m.userId);

    expect(await ids("hOPPER")).toEqual([grace.userId]);
    expect(await ids(alan.email.slice(3, 14).toUpperCase())).toEqual([alan.userId]);
    expect(await ids("_")).toEqual([alan.userId]);
    expect(await ids("%")).toEqual([]);
    expect(await ids("nobody-at-all")).toEqual([]);
    expect(await ids("  ")).toHaveLength(3);
  });

  it("filters by role, seat and token standing", async () => {
    const roles: Roles[] = [{ accountAdmin: true }, { billingAdmin: true }, {}, {}];
    const { owner, orgId, others } = await team(roles);
    const [admin, billing, seated, plain] = others as [Person, Person, Person, Person];
    await joinedInOrder(orgId, [owner, ...others], new Date(server.clock.now().getTime() - DAY));
    await seat(server, orgId, await subscription(server, orgId, 5), seated);
    await tokenRow(server, orgId, seated);
    await tokenRow(server, orgId, plain);
    const ids = async (query: string) =>
      (await list(owner, orgId, query)).members.map((m: any) => m.userId);

    expect(await ids("?role=owner")).toEqual([owner.userId]);
    expect(await ids("?role=account_admin")).toEqual([owner.userId, admin.userId]);
    expect(await ids("?role=billing_admin")).toEqual([billing.userId]);
    expect(await ids("?role=member")).toEqual([seated.userId, plain.userId]);
    expect(await ids("?hasSeat=true")).toEqual([seated.userId]);
    expect(await ids("?hasSeat=false")).toEqual([
      owner.userId,
      admin.userId,
      billing.userId,
      plain.userId,
    ]);
    expect(await ids("?tokenActive=true")).toEqual([seated.userId]);
    expect(await ids("?tokenActive=false&role=member")).toEqual([plain.userId]);
    expect(await ids("?hasSeat=false&tokenActive=true")).toEqual([]);
  });

  it("pages with an opaque cursor and refuses bad paging input", async () => {
    const { owner, orgId, others } = await team([{}, {}, {}, {}]);
    const everyone = [owner, ...others].map((p) => p.userId);
    await joinedInOrder(orgId, [owner, ...others], new Date(server.clock.now().getTime() - DAY));

    const first = await list(owner, orgId, "?limit=2");
    const second = await list(owner, orgId, `?limit=2&cursor=${first.nextCursor}`);
    const third = await list(owner, orgId, `?limit=2&cursor=${second.nextCursor}`);
    const pages = [first, second, third].map((p) => p.members.map((m: any) => m.userId));
    expect(pages).toEqual([everyone.slice(0, 2), everyone.slice(2, 4), everyone.slice(4)]);
    expect(third.nextCursor).toBeNull();

    const bad = [
      "?cursor=not-a-cursor",
      `?cursor=${Buffer.from('["2024-01-01", "x"]').toString("base64url")}`,
      "?limit=0",
      "?limit=201",
      "?limit=ten",
      "?role=boss",
      "?hasSeat=maybe",
      "?colour=red",
    ];
    for (const query of bad) {
      const answer = await owner.client.get(`/api/v1/organizations/${orgId}/members${query}`);
      expect({ query, code: answer.body.error?.code }).toEqual({ query, code: "request.invalid" });
      expect(answer.status).toBe(400);
    }
  });

  it("is for admins: a plain member gets organization.forbidden, yet sees the organization", async () => {
    const { owner, orgId, others } = await team([
      {},
      { accountAdmin: true },
      { billingAdmin: true },
    ]);
    const [plain, accountAdmin, billingAdmin] = others as [Person, Person, Person];
    const everyone = [owner, plain, accountAdmin, billingAdmin].map((p) => p.userId).sort();

    const refused = await plain.client.get(`/api/v1/organizations/${orgId}/members`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: "organization.forbidden",
      message: "Your role in this organization does not allow this.",
      details: { permission: "member.list" },
    });
    expect(JSON.stringify(refused.body)).not.toContain(accountAdmin.email);

    for (const admin of [owner, accountAdmin, billingAdmin]) {
      const page = await list(admin, orgId);
      expect(page.members.map((m: any) => m.userId).sort()).toEqual(everyone);
    }

    const organization = await plain.client.get(`/api/v1/organizations/${orgId}`);
    expect(organization.status).toBe(200);
    expect(organization.body.organization.orgId).toBe(orgId);
  });

  it("pages through 10,000 members in order, one query per page, with no duplicates", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const db = server.tessera.ctx.db;
    const tag = unique();
    const bulk = `'bulk-' || $2 || '-' || i`;
    await db.query(
      `insert into "user" (id, name, email, "emailVerified")
       select ${bulk}, 'Bulk member ' || i, 'bulk' || i || '-' || $2 || '@example.com', true
         from generate_series(1, 10000) as i where $1::text is not null`,
      [orgId, tag],
    );
    // Ties of three on joined_at, and sub-millisecond steps, so the cursor must be exact.
    await db.query(
      `insert into members (org_id, user_id, joined_at)
       select $1, ${bulk}, $3::timestamptz + ((i * 7919) % 10000 / 3) * interval '1 millisecond'
                           + (i % 2) * interval '1 microsecond'
         from generate_series(1, 10000) as i`,
      [orgId, tag, new Date(server.clock.now().getTime() - DAY)],
    );
    // Every second member holds a seat, every fourth two; every third has an active token.
    const conda = await subscription(server, orgId, 10_000, "conda");
    const pypi = await subscription(server, orgId, 10_000, "pypi");
    await db.query(
      `insert into seats (org_id, product, user_id, subscription_id)
       select $1, 'conda', ${bulk}, $3::uuid from generate_series(2, 10000, 2) as i
       union all
       select $1, 'pypi', ${bulk}, $4::uuid from generate_series(4, 10000, 4) as i`,
      [orgId, tag, conda, pypi],
    );
    await db.query(
      `insert into tokens (org_id, user_id, hint)
       select $1, ${bulk}, 'abcd' from generate_series(3, 10000, 3) as i`,
      [orgId, tag],
    );
    const expected = await db.query<{ userId: string }>(
      `select user_id as "userId" from members where org_id = $1 order by joined_at, user_id`,
      [orgId],
    );

    const first = await list(owner, orgId);
    expect(first.members).toHaveLength(50);

    const original = db.query.bind(db);
    let queries = 0;
    db.query = (text: string, params?: readonly unknown[]) => {
      queries += 1;
      return original(text, params);
    };
    const pageAll = async (filter: string) => {
      const members: any[] = [];
      let cursor: string | null = "";
      let pages = 0;
      while (cursor !== null) {
        const after = cursor ? `&cursor=${cursor}` : "";
        const page: any = await list(owner, orgId, `?limit=200${filter}${after}`);
        members.push(...page.members);
        cursor = page.nextCursor;
        pages += 1;
      }
      return { members, ids: members.map((m) => m.userId as string), pages };
    };

    const started = Date.now();
    let everyone: Awaited<ReturnType<typeof pageAll>>;
    let active: Awaited<ReturnType<typeof pageAll>>;
    try {
      everyone = await pageAll("");
      active = await pageAll("&tokenActive=true");
    } finally {
      db.query = original;
    }

    expect(everyone.pages).toBe(51);
    expect(everyone.ids).toHaveLength(10_001);
    expect(new Set(everyone.ids).size).toBe(10_001);
    expect(everyone.ids).toEqual(expected.rows.map((row) => row.userId));
    const seats = everyone.members.reduce((n, m) => n + m.seats.length, 0);
    expect(seats).toBe(5000 + 2500);

    const expectedActive = expected.rows
      .map((row) => row.userId)
      .filter((id) => Number(id.split("-").at(-1)) % 6 === 0);
    expect(active.ids).toEqual(expectedActive);
    expect(active.members.every((m) => m.token.status === "active")).toBe(true);

    // Per page: the caller's membership and the page itself.
    expect(queries).toBe((everyone.pages + active.pages) * 2);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
