import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  organization,
  person,
  unique,
  type Person,
} from "../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";
import { recordAudit } from "./record.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

/** An organization made over HTTP, renamed `renames` times, with a member made billing admin. */
async function busyOrganization(renames: number) {
  const owner = await person(server, "owner");
  const bo = await person(server, "bo");
  const orgId = `audit-${unique()}`;
  const created = await owner.client.post("/api/v1/organizations", { orgId, name: "Name 0" });
  expect(created.status).toBe(201);
  for (let i = 1; i <= renames; i++) {
    const renamed = await owner.client.patch(`/api/v1/organizations/${orgId}`, {
      name: `Name ${i}`,
    });
    expect(renamed.status).toBe(200);
  }
  await addMember(server, orgId, bo);
  const made = await owner.client.patch(`/api/v1/organizations/${orgId}/members/${bo.userId}`, {
    billingAdmin: true,
  });
  expect(made.status).toBe(200);

  return { owner, bo, orgId };
}

async function events(who: Person, orgId: string, query = "") {
  const answer = await who.client.get(`/api/v1/organizations/${orgId}/audit-events${query}`);
  expect(answer.status).toBe(200);

  return answer.body;
}

describe("listAuditEvents", () => {
  it("lists the admin actions newest first with actor, target and details", async () => {
    const { owner, bo, orgId } = await busyOrganization(1);

    const page = await events(bo, orgId);

    expect(page.nextCursor).toBeNull();
    expect(page.events).toEqual([
      {
        eventId: expect.stringMatching(/^\d+$/),
        actorId: owner.userId,
        actorName: "owner",
        action: "member.roles_changed",
        targetType: "member",
        targetId: bo.userId,
        details: {
          before: { owner: false, accountAdmin: false, billingAdmin: false },
          after: { owner: false, accountAdmin: false, billingAdmin: true },
        },
        createdAt: expect.any(String),
      },
      expect.objectContaining({ action: "organization.updated", details: { changed: ["name"] } }),
      expect.objectContaining({ action: "organization.created", details: { name: "Name 0" } }),
    ]);
    const times = page.events.map((e: any) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("filters by action and actor, and leaves out the name of an actor who is gone", async () => {
    const { owner, orgId } = await busyOrganization(2);
    await server.tessera.ctx.db.transaction((tx) =>
      recordAudit(tx, [{ orgId, actorId: "gone-account", action: "seat.assigned" }]),
    );

    const renames = await events(owner, orgId, "?action=organization.updated");
    expect(renames.events.map((e: any) => e.action)).toEqual([
      "organization.updated",
      "organization.updated",
    ]);

    const byGhost = await events(owner, orgId, "?actorId=gone-account");
    expect(byGhost.events).toEqual([
      {
        eventId: expect.any(String),
        actorId: "gone-account",
        action: "seat.assigned",
        targetType: null,
        targetId: null,
        details: {},
        createdAt: expect.any(String),
      },
    ]);

    const byOwner = await events(owner, orgId, `?actorId=${owner.userId}`);
    expect(byOwner.events).toHaveLength(4);
    const none = await events(owner, orgId, `?actorId=${owner.userId}&action=member.removed`);
    expect(none.events).toEqual([]);
  });

  it("pages with an opaque cursor, and refuses bad paging input", async () => {
    const { owner, orgId } = await busyOrganization(5);
    const all = (await events(owner, orgId)).events.map((e: any) => e.eventId);
    expect(all).toHaveLength(7);

    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: any = await events(owner, orgId, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.events.map((e: any) => e.eventId));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all);

    for (const query of ["?cursor=abc", "?limit=0", "?limit=500", "?limit=x", "?sort=asc"]) {
      const answer = await owner.client.get(`/api/v1/organizations/${orgId}/audit-events${query}`);
      expect({ query, code: answer.body.error?.code }).toEqual({ query, code: "request.invalid" });
      expect(answer.status).toBe(400);
    }
  });

  it("answers 401 signed out, 404 to non-members, 403 to members without audit.read", async () => {
    const [owner, outsider, plain, admin, billing] = await Promise.all(
      ["owner", "out", "plain", "admin", "billing"].map((label) => person(server, label)),
    );
    const orgId = await organization(server, owner as Person);
    await addMember(server, orgId, plain as Person);
    await addMember(server, orgId, admin as Person, { accountAdmin: true });
    await addMember(server, orgId, billing as Person, { billingAdmin: true });
    const url = `/api/v1/organizations/${orgId}/audit-events`;

    const anonymous = await server.client().get(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("auth.required");

    const stranger = await (outsider as Person).client.get(url);
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe("organization.not_found");

    const refused = await (plain as Person).client.get(url);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("organization.forbidden");

    for (const allowed of [owner, admin, billing] as Person[]) {
      expect((await allowed.client.get(url)).status).toBe(200);
    }
  });
});
