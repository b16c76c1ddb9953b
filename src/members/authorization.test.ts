import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person, type Person, type Roles } from "../../test/helpers/fixtures.ts";
import { memberOf, membersOf } from "../../test/helpers/members.ts";
import { startTestServer, type TestServer } from "../../test/helpers/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

const membersUrl = (orgId: string, userId = "") =>
  `/api/v1/organizations/${orgId}/members${userId ? `/${userId}` : ""}`;

describe("authorization of member routes", () => {
  const routes = [
    {
      name: "listMembers",
      send: (c: Person["client"], orgId: string, target: string) => {
        void target;
        return c.get(membersUrl(orgId));
      },
      forbidden: [{}] as Roles[],
      code: "organization.forbidden",
    },
    {
      name: "updateMemberRoles",
      send: (c: Person["client"], orgId: string, target: string) =>
        c.patch(membersUrl(orgId, target), { billingAdmin: true }),
      forbidden: [{}, { billingAdmin: true }],
      code: "organization.forbidden",
    },
    {
      name: "removeMember",
      send: (c: Person["client"], orgId: string, target: string) =>
        c.delete(membersUrl(orgId, target)),
      forbidden: [{}, { billingAdmin: true }],
      code: "organization.forbidden",
    },
    {
      name: "transferOwnership",
      send: (c: Person["client"], orgId: string, target: string) =>
        c.post(`/api/v1/organizations/${orgId}/transfer-ownership`, { userId: target }),
      forbidden: [{}, { accountAdmin: true, billingAdmin: true }],
      code: "member.owner_required",
    },
    {
      name: "leaveOrganization",
      send: (c: Person["client"], orgId: string, target: string) => {
        void target;
        return c.post(`/api/v1/organizations/${orgId}/leave`);
      },
      forbidden: [] as Roles[],
      code: "",
    },
  ];

  it.each(routes)(
    "$name: 401 signed out, 404 for non-members, 403 without the role",
    async (route) => {
      const [owner, outsider] = await Promise.all([person(server, "own"), person(server, "out")]);
      const orgId = await organization(server, owner);
      const target = await memberOf(server, orgId, {}, "target");

      const anonymous = await route.send(server.client(), orgId, target.userId);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe("auth.required");

      const stranger = await route.send(outsider.client, orgId, target.userId);
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.code).toBe("organization.not_found");

      for (const roles of route.forbidden) {
        const someone = await memberOf(server, orgId, roles, "someone");
        const refused = await route.send(someone.client, orgId, target.userId);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe(route.code);
      }
      expect((await membersOf(server, orgId)).all).toContain(target.userId);
      expect((await membersOf(server, orgId)).owners).toEqual([owner.userId]);
    },
  );
});
