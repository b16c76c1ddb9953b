import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  addMember,
  person,
  seat,
  seatedMember,
  subscription,
  type Person,
} from "../../test/helpers/fixtures.ts";
import { PASSWORD } from "../../test/helpers/people.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { processDueSubscriptions } from "../billing/renewals.ts";
import type * as format from "./format.ts";
import { generateToken } from "./format.ts";

// The issue test needs to know a token before it is issued; every other call is the real one.
vi.mock("./format.ts", async (original) => {
  const actual = await original<typeof format>();

  return { ...actual, generateToken: vi.fn(actual.generateToken) };
});

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const DAY = 86_400_000;
const org = (orgId: string) => `/api/v1/organizations/${orgId}`;

type Answer = [number, unknown];

async function answer(token: string, query = ""): Promise<Answer> {
  const got = await server.client().get(`/auth/check${query}`, {
    authorization: `Bearer ${token}`,
  });

  return [got.status, got.body.error?.code ?? got.body.products];
}

/** The answer, and how many token lookups the database saw while giving it. */
async function counted(token: string, query = ""): Promise<{ answer: Answer; lookups: number }> {
  const spy = vi.spyOn(server.tessera.ctx.db, "query");
  try {
    const got = await answer(token, query);
    const lookups = spy.mock.calls.filter(([text]) => text.includes("from token_hashes")).length;

    return { answer: got, lookups };
  } finally {
    spy.mockRestore();
  }
}

/** Checks twice: the second answer must be the first, served without a lookup. */
async function cached(token: string, query = ""): Promise<Answer> {
  const first = await answer(token, query);
  expect(await counted(token, query)).toEqual({ answer: first, lookups: 0 });

  return first;
}

async function activate(member: Person, orgId: string): Promise<string> {
  const activated = await member.client.post(`${org(orgId)}/token`);
  expect(activated.status).toBe(201);

  return activated.body.token as string;
}

/** An owner's organization with a second, seated member holding a token. */
async function team() {
  const { member: owner, orgId, subscriptionId } = await seatedMember(server);
  const member = await person(server, "member");
  await addMember(server, orgId, member);
  await seat(server, orgId, subscriptionId, member);

  return { owner, member, orgId, subscriptionId, token: await activate(member, orgId) };
}

describe("the token check cache", () => {
  it("serves a second check of a good token without asking the database", async () => {
    const { orgId, token } = await team();

    expect(await cached(token)).toEqual([200, ["conda"]]);
    expect(await cached(token, "?product=conda")).toEqual([200, ["conda"]]);
    expect(await cached(token, "?product=other")).toEqual([403, "token.product_not_covered"]);
    expect((await server.client().get(`/auth/check/t/${token}/conda/`)).body.organization).toBe(
      orgId,
    );
  });

  it("caches refusals too: unknown, reissued and inactive tokens", async () => {
    expect(await cached(generateToken())).toEqual([401, "token.invalid"]);

    const { member, orgId, token } = await team();
    const reissued = await member.client.post(`${org(orgId)}/token/reissue`);
    expect(reissued.status).toBe(201);
    expect(await cached(token)).toEqual([401, "token.invalid"]);

    const fresh = reissued.body.token as string;
    await server.tessera.ctx.db.query(`delete from seats where org_id = $1`, [orgId]);
    expect(await cached(fresh)).toEqual([403, "token.inactive"]);
  });

  it("asks again once TOKEN_CACHE_SECONDS have passed", async () => {
    const { token } = await team();
    await cached(token);

    server.clock.advance(4_900);
    expect((await counted(token)).lookups).toBe(0);
    server.clock.advance(200);
    expect(await counted(token)).toEqual({ answer: [200, ["conda"]], lookups: 1 });
  });

  it("keeps an answer no longer than a cancelled subscription's paid period", async () => {
    const { owner, orgId, subscriptionId, token } = await team();
    const cancelled = await owner.client.patch(`${org(orgId)}/subscriptions/${subscriptionId}`, {
      cancel: true,
    });
    expect(cancelled.status).toBe(200);
    const end = new Date(cancelled.body.subscription.currentPeriodEnd as string).getTime();
    server.clock.set(new Date(end - 1000));
    expect(await cached(token)).toEqual([200, ["conda"]]);

    server.clock.set(new Date(end + 1));
    expect(await answer(token)).toEqual([403, "token.inactive"]);
  });
});

interface Case {
  name: string;
  /** The check's query, if the case is about a product. */
  query?: string;
  before: Answer;
  change(t: Awaited<ReturnType<typeof team>>): Promise<void>;
  after: Answer;
}

const cases: Case[] = [
  {
    name: "a seat revoked",
    before: [200, ["conda"]],
    async change({ owner, member, orgId }) {
      const revoked = await owner.client.delete(`${org(orgId)}/seats/conda/${member.userId}`);
      expect(revoked.status).toBe(204);
    },
    after: [403, "token.inactive"],
  },
  {
    name: "a seat assigned",
    query: "?product=other",
    before: [403, "token.product_not_covered"],
    async change({ owner, member, orgId }) {
      await subscription(server, orgId, 2, "other");
      const assigned = await owner.client.post(`${org(orgId)}/seats`, {
        product: "other",
        userIds: [member.userId],
      });
      expect(assigned.body.results).toEqual([{ userId: member.userId, outcome: "assigned" }]);
    },
    after: [200, ["conda", "other"]],
  },
  {
    name: "the token reissued",
    before: [200, ["conda"]],
    async change({ member, orgId }) {
      expect((await member.client.post(`${org(orgId)}/token/reissue`)).status).toBe(201);
    },
    after: [401, "token.invalid"],
  },
  {
    name: "the member removed",
    before: [200, ["conda"]],
    async change({ owner, member, orgId }) {
      expect((await owner.client.delete(`${org(orgId)}/members/${member.userId}`)).status).toBe(
        204,
      );
    },
    after: [403, "token.inactive"],
  },
  {
    name: "the member leaving",
    before: [200, ["conda"]],
    async change({ member, orgId }) {
      expect((await member.client.post(`${org(orgId)}/leave`)).status).toBe(204);
    },
    after: [403, "token.inactive"],
  },
  {
    name: "the member's account deleted",
    before: [200, ["conda"]],
    async change({ member }) {
      const deleted = await member.client.delete("/api/v1/auth/me", { password: PASSWORD });
      expect(deleted.status).toBe(204);
    },
    after: [403, "token.inactive"],
  },
  {
    name: "the organization deleted",
    before: [200, ["conda"]],
    async change({ owner, orgId }) {
      expect((await owner.client.delete(org(orgId))).status).toBe(204);
    },
    after: [401, "token.invalid"],
  },
];

describe("the next check after a change gives the new answer at once", () => {
  for (const c of cases) {
    it(`after ${c.name}`, async () => {
      const t = await team();
      expect(await cached(t.token, c.query)).toEqual(c.before);

      await c.change(t);

      expect(await answer(t.token, c.query)).toEqual(c.after);
    });
  }

  it("after a token is issued whose hash was cached as unknown", async () => {
    const { member, orgId } = await seatedMember(server);
    const planned = generateToken();
    expect(await cached(planned)).toEqual([401, "token.invalid"]);

    vi.mocked(generateToken).mockReturnValueOnce(planned);
    expect(await activate(member, orgId)).toBe(planned);

    expect(await answer(planned)).toEqual([200, ["conda"]]);
  });
});

describe("billing changes drop the organization's answers", () => {
  it("after a subscription is bought", async () => {
    const { member: owner, orgId } = await seatedMember(server, "other");
    const token = await activate(owner, orgId);
    await cached(token);

    const bought = await owner.client.post(`${org(orgId)}/subscriptions`, {
      planId: "conda-team-monthly",
      seats: 1,
    });
    expect(bought.status).toBe(201);

    expect(await counted(token)).toEqual({ answer: [200, ["other"]], lookups: 1 });
  });

  it("after a subscription is changed", async () => {
    const { owner, orgId, subscriptionId, token } = await team();
    await cached(token);

    const changed = await owner.client.patch(`${org(orgId)}/subscriptions/${subscriptionId}`, {
      seats: 3,
    });
    expect(changed.status).toBe(200);

    expect(await counted(token)).toEqual({ answer: [200, ["conda"]], lookups: 1 });
  });

  it("after a subscription is renewed, and after one lapses", async () => {
    const renewing = await team();
    const lapsing = await team();
    await server.tessera.ctx.db.query(
      `update subscriptions set status = 'cancelled', cancelled_at = $2 where org_id = $1`,
      [lapsing.orgId, server.clock.now()],
    );
    server.clock.advance(31 * DAY);
    expect(await cached(renewing.token)).toEqual([200, ["conda"]]);
    expect(await cached(lapsing.token)).toEqual([403, "token.inactive"]);

    expect((await processDueSubscriptions(server.tessera.ctx)).lapsed).toBeGreaterThan(0);

    expect(await counted(renewing.token)).toEqual({ answer: [200, ["conda"]], lookups: 1 });
    expect(await counted(lapsing.token)).toEqual({ answer: [403, "token.inactive"], lookups: 1 });
  });
});
