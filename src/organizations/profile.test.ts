import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "../../test/helpers/client.ts";
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

describe("updateOrganization", () => {
  it("renames and fills in the profile; getOrganization shows what is still missing", async () => {
    const ada = await person(server, "ada");
    const orgId = await create(ada);
    server.clock.advance(60_000);

    const first = await ada.client.patch(`/api/v1/organizations/${orgId}`, {
      name: "Acme Worldwide",
      billingEmail: "Billing <Accounts@Acme.example>",
      website: "https://acme.example/about",
    });
    expect(first.status).toBe(200);
    expect(first.body.organization).toMatchObject({
      orgId,
      name: "Acme Worldwide",
      billingEmail: "Accounts@Acme.example",
      website: "https://acme.example/about",
      address: null,
      description: null,
      missing: ["address", "description"],
      updatedAt: server.clock.now().toISOString(),
    });

    const second = await ada.client.patch(`/api/v1/organizations/${orgId}`, {
      address: "1 Main Street, Springfield",
      description: "Widgets",
      website: null,
    });
    expect(second.body.organization).toMatchObject({
      name: "Acme Worldwide",
      website: null,
      address: "1 Main Street, Springfield",
      description: "Widgets",
      missing: ["website"],
    });

    const got = await ada.client.get(`/api/v1/organizations/${orgId}`);
    expect(got.body.organization).toEqual(second.body.organization);

    const audit = await ada.client.get(
      `/api/v1/organizations/${orgId}/audit-events?action=organization.updated`,
    );
    expect(audit.body.events.map((e: any) => e.details)).toEqual([
      { changed: ["website", "address", "description"] },
      { changed: ["name", "billingEmail", "website"] },
    ]);
  });

  it("refuses a change of ID with organization.id_immutable, accepts the same ID", async () => {
    const ada = await person(server, "ada");
    const orgId = await create(ada);

    const changed = await ada.client.patch(`/api/v1/organizations/${orgId}`, {
      orgId: freshId(),
      name: "New name",
    });
    expect(changed.status).toBe(400);
    expect(changed.body.error.code).toBe("organization.id_immutable");

    const same = await ada.client.patch(`/api/v1/organizations/${orgId}`, {
      orgId,
      name: "New name",
    });
    expect(same.status).toBe(200);
    expect(same.body.organization).toMatchObject({ orgId, name: "New name" });
  });

  it.each([
    [{ billingEmail: "not an address" }, "/body/billingEmail"],
    [{ billingEmail: "ada@localhost" }, "/body/billingEmail"],
    [{ website: "acme.example" }, "/body/website"],
    [{ website: "ftp://acme.example" }, "/body/website"],
    [{ website: "javascript:alert(1)" }, "/body/website"],
    [{ website: "https://user:pass@acme.example" }, "/body/website"],
    [{ name: "   " }, "/body/name"],
  ])("refuses %j as request.invalid at %s", async (body, path) => {
    const ada = await person(server, "ada");
    const orgId = await create(ada);

    const answer = await ada.client.patch(`/api/v1/organizations/${orgId}`, body);

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe("request.invalid");
    expect(answer.body.error.details.fields[0].path).toBe(path);
  });

  it("refuses wrong types and unknown fields as request.invalid", async () => {
    const ada = await person(server, "ada");
    const orgId = await create(ada);

    for (const body of [{ name: 5 }, { website: true }, { description: ["x"] }, { color: "red" }]) {
      const answer = await ada.client.patch(`/api/v1/organizations/${orgId}`, body);
      expect(answer.body.error.code).toBe("request.invalid");
      expect(answer.status).toBe(400);
    }
  });
});

describe("deleteOrganization", () => {
  it("removes all its data and never gives the ID out again", async () => {
    const [ada, bo] = await Promise.all([person(server, "ada"), person(server, "bo")]);
    const orgId = await create(ada);
    await addMember(server, orgId, bo);
    const db = server.tessera.ctx.db;
    const subscriptionId = await subscription(server, orgId, 3);
    await seat(server, orgId, subscriptionId, bo);
    await db.query(
      `insert into invoices (org_id, subscription_id, kind, description, seats, unit_price,
                             amount, currency, period_start, period_end, issued_at)
       values ($1, $2, 'purchase', 'Conda team', 3, 1500, 4500, 'USD', now(), now(), now())`,
      [orgId, subscriptionId],
    );
    const token = await db.query<{ id: string }>(
      `insert into tokens (org_id, user_id, hint) values ($1, $2, 'abcd') returning token_id as id`,
      [orgId, bo.userId],
    );
    await db.query(`insert into token_hashes (token_hash, org_id, token_id) values ($1, $2, $3)`, [
      Buffer.from(unique()),
      orgId,
      token.rows[0]?.id,
    ]);
    const invitation = await db.query<{ id: string }>(
      `insert into invitations (org_id, email, email_key, expires_at)
       values ($1, 'cy@example.com', 'cy@example.com', now() + interval '1 day')
       returning invitation_id as id`,
      [orgId],
    );
    await db.query(
      `insert into invitation_secrets (secret_hash, org_id, invitation_id) values ($1, $2, $3)`,
      [Buffer.from(unique()), orgId, invitation.rows[0]?.id],
    );

    const deleted = await ada.client.delete(`/api/v1/organizations/${orgId}`);
    expect(deleted.status).toBe(204);

    const tables = [
      "organizations",
      "members",
      "audit_events",
      "subscriptions",
      "invoices",
      "seats",
      "tokens",
      "token_hashes",
      "invitations",
      "invitation_secrets",
    ];
    for (const table of tables)
      expect({ table, rows: await rowsOf(server, table, orgId) }).toEqual({
        table,
        rows: 0,
      });
    expect(await rowsOf(server, "retired_organization_ids", orgId)).toBe(1);

    const gone = await ada.client.get(`/api/v1/organizations/${orgId}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("organization.not_found");
    expect((await bo.client.get("/api/v1/organizations")).body.organizations).toEqual([]);

    const again = await bo.client.post("/api/v1/organizations", { orgId, name: "Reborn" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("organization.id_taken");
    const check = await bo.client.get(`/api/v1/organization-ids/${orgId}`);
    expect(check.body).toEqual({ orgId, available: false, reason: "organization.id_taken" });
  });
});

describe("authorization of organization routes", () => {
  const routes = [
    { name: "getOrganization", method: "GET", body: undefined, forbidden: [] as Roles[] },
    {
      name: "updateOrganization",
      method: "PATCH",
      body: { name: "Renamed" },
      forbidden: [{ accountAdmin: true, billingAdmin: true }, {}],
    },
    {
      name: "deleteOrganization",
      method: "DELETE",
      body: undefined,
      forbidden: [{ accountAdmin: true, billingAdmin: true }, {}],
    },
  ];

  it.each(routes)(
    "$name: 401 signed out, 404 for non-members, 403 without the role",
    async (route) => {
      const [owner, outsider] = await Promise.all([person(server, "own"), person(server, "out")]);
      const orgId = await organization(server, owner);
      const url = `/api/v1/organizations/${orgId}`;
      const send = (who: Client) => who.request<any>(route.method, url, route.body);

      const anonymous = await send(server.client());
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe("auth.required");

      const stranger = await send(outsider.client);
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.code).toBe("organization.not_found");

      for (const roles of route.forbidden) {
        const member = await person(server, "mem");
        await addMember(server, orgId, member, roles);
        const refused = await send(member.client);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe("organization.forbidden");
      }
      expect(await rowsOf(server, "organizations", orgId)).toBe(1);
    },
  );

  it("answers 404 for a missing organization as for one the caller is not in", async () => {
    const ada = await person(server, "ada");
    const answer = await ada.client.get(`/api/v1/organizations/${freshId()}`);

    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe("organization.not_found");
  });
});
