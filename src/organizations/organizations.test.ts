import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, person, unique, type Person } from "../../test/helpers/fixtures.ts";
import { rowsOf } from "../../test/helpers/members.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const freshId = () => `acme-${unique()}`;

async function create(owner: Person, orgId = freshId(), name = "Acme Corp") {
  const answer = await owner.client.post("/api/v1/organizations", { orgId, name });
  expect(answer.status).toBe(201);

  return orgId;
}

describe("createOrganization", () => {
  it("makes the creator owner and account admin; the profile is still to fill in", async () => {
    const ada = await person(server, "ada");
    const orgId = freshId();
    const created = await ada.client.post("/api/v1/organizations", {
      orgId,
      name: "  Acme Corp  ",
    });

    expect(created.status).toBe(201);
    expect(created.body.organization).toEqual({
      orgId,
      name: "Acme Corp",
      billingEmail: null,
      website: null,
      address: null,
      description: null,
      missing: ["billingEmail", "website", "address", "description"],
      createdAt: server.clock.now().toISOString(),
      updatedAt: server.clock.now().toISOString(),
    });

    const got = await ada.client.get(`/api/v1/organizations/${orgId}`);
    expect(got.status).toBe(200);
    expect(got.body.organization).toEqual(created.body.organization);
    expect(got.body.roles).toEqual({ owner: true, accountAdmin: true, billingAdmin: false });

    const audit = await ada.client.get(`/api/v1/organizations/${orgId}/audit-events`);
    expect(audit.body.events).toEqual([
      expect.objectContaining({
        actorId: ada.userId,
        actorName: "ada",
        action: "organization.created",
        targetType: "organization",
        targetId: orgId,
        details: { name: "Acme Corp" },
      }),
    ]);
  });

  it.each([
    ["uppercase", "Acme", "organization.id_invalid"],
    ["too short", "a", "organization.id_invalid"],
    ["too long", "a".repeat(40), "organization.id_invalid"],
    ["a double hyphen", "acme--corp", "organization.id_invalid"],
    ["a leading hyphen", "-acme", "organization.id_invalid"],
    ["a trailing hyphen", "acme-", "organization.id_invalid"],
    ["an underscore", "acme_corp", "organization.id_invalid"],
    ["a space", "acme corp", "organization.id_invalid"],
    ["empty", "", "organization.id_invalid"],
    ["reserved: admin", "admin", "organization.id_reserved"],
    ["reserved: api", "api", "organization.id_reserved"],
    ["reserved: settings", "settings", "organization.id_reserved"],
    ["reserved: www", "www", "organization.id_reserved"],
  ])("refuses an ID with %s (%s) as %s", async (_what, orgId, code) => {
    const ada = await person(server, "ada");
    const answer = await ada.client.post("/api/v1/organizations", { orgId, name: "Acme" });

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe(code);
    expect(await rowsOf(server, "organizations", orgId)).toBe(0);
  });

  it("accepts IDs of 2 and 39 characters, digits and single hyphens", async () => {
    const ada = await person(server, "ada");
    const long = `a${unique()}-${"9".repeat(29)}`;
    expect(long).toHaveLength(39);

    for (const orgId of [long, `${unique()}-0-x`, "x" + unique().slice(0, 1)]) {
      const answer = await ada.client.post("/api/v1/organizations", { orgId, name: "Acme" });
      expect(answer.status).toBe(201);
      expect(answer.body.organization.orgId).toBe(orgId);
    }
  });

  it("refuses wrong types and blank names as request.invalid", async () => {
    const ada = await person(server, "ada");
    const bodies = [
      { orgId: 12345, name: "Acme" },
      { orgId: freshId(), name: 7 },
      { orgId: [freshId()], name: "Acme" },
      { orgId: freshId() },
      { name: "Acme" },
      { orgId: freshId(), name: "" },
      { orgId: freshId(), name: "   " },
      { orgId: freshId(), name: "x".repeat(101) },
    ];

    for (const body of bodies) {
      const answer = await ada.client.post("/api/v1/organizations", body);
      expect(answer.body.error.code).toBe("request.invalid");
      expect(answer.status).toBe(400);
    }
  });

  it("refuses a taken ID with organization.id_taken, also when two create it at once", async () => {
    const [ada, bo] = await Promise.all([person(server, "ada"), person(server, "bo")]);
    const orgId = await create(ada);

    const again = await bo.client.post("/api/v1/organizations", { orgId, name: "Other" });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "organization.id_taken", details: { orgId } });

    const raced = freshId();
    const answers = await Promise.all([
      ada.client.post("/api/v1/organizations", { orgId: raced, name: "A" }),
      bo.client.post("/api/v1/organizations", { orgId: raced, name: "B" }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(await rowsOf(server, "members", raced)).toBe(1);
  });

  it("answers 401 auth.required when signed out", async () => {
    const answer = await server.client().post("/api/v1/organizations", {
      orgId: freshId(),
      name: "Acme",
    });

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("auth.required");
  });
});

describe("checkOrganizationId", () => {
  it("says whether an ID is free and, if not, why", async () => {
    const ada = await person(server, "ada");
    const taken = await create(ada);
    const free = freshId();
    const check = async (orgId: string) => {
      const answer = await ada.client.get(`/api/v1/organization-ids/${orgId}`);
      expect(answer.status).toBe(200);
      return answer.body;
    };

    expect(await check(free)).toEqual({ orgId: free, available: true });
    expect(await check(taken)).toEqual({
      orgId: taken,
      available: false,
      reason: "organization.id_taken",
    });
    expect(await check("login")).toEqual({
      orgId: "login",
      available: false,
      reason: "organization.id_reserved",
    });
    expect(await check("Acme")).toEqual({
      orgId: "Acme",
      available: false,
      reason: "organization.id_invalid",
    });
    expect(await check("a--b")).toMatchObject({ reason: "organization.id_invalid" });
  });

  it("answers 401 auth.required when signed out", async () => {
    const answer = await server.client().get(`/api/v1/organization-ids/${freshId()}`);

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("auth.required");
  });
});

describe("listMyOrganizations", () => {
  it("lists every organization the user belongs to with their roles there", async () => {
    const [ada, bo] = await Promise.all([person(server, "ada"), person(server, "bo")]);
    const mine = await create(ada, `a-${unique()}`, "Alpha");
    const theirs = await create(bo, `b-${unique()}`, "Beta");
    await addMember(server, theirs, ada, { billingAdmin: true });
    await create(bo, `c-${unique()}`, "Gamma");

    const answer = await ada.client.get("/api/v1/organizations");

    expect(answer.status).toBe(200);
    expect(answer.body.organizations).toEqual([
      {
        orgId: mine,
        name: "Alpha",
        roles: { owner: true, accountAdmin: true, billingAdmin: false },
        joinedAt: expect.any(String),
      },
      {
        orgId: theirs,
        name: "Beta",
        roles: { owner: false, accountAdmin: false, billingAdmin: true },
        joinedAt: expect.any(String),
      },
    ]);
  });

  it("answers 401 auth.required when signed out", async () => {
    const answer = await server.client().get("/api/v1/organizations");

    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe("auth.required");
  });
});
