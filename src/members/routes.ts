import { Type } from "typebox";
import type { Context } from "../context.ts";
import { errors, Nullable, OrgIdParam, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { authorize, rolesOf } from "./access.ts";
import { Roles } from "./schemas.ts";
import {
  leaveOrganization,
  listMembers,
  removeMember,
  transferOwnership,
  updateMemberRoles,
  type MemberRow,
} from "./service.ts";

const Member = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  roles: Roles,
  seats: Type.Array(Type.Object({ product: Type.String(), assignedAt: Timestamp })),
  token: Type.Object({
    status: Type.Union([Type.Literal("active"), Type.Literal("inactive"), Type.Literal("none")], {
      description:
        "active: the token answers yes now; inactive: there is a token but it does not; " +
        "none: no token activated",
    }),
    lastUsedAt: Nullable(Timestamp),
    usesToday: Type.Integer({
      description: "Checks the token passed today (UTC); written every few seconds",
    }),
  }),
  joinedAt: Timestamp,
});

const MemberParams = Type.Object({
  orgId: OrgIdParam.properties.orgId,
  userId: Type.String({ minLength: 1, maxLength: 200 }),
});

const ListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({ maxLength: 200, description: "Part of a name or address, any case" }),
    ),
    role: Type.Optional(
      Type.Union([
        Type.Literal("owner"),
        Type.Literal("account_admin"),
        Type.Literal("billing_admin"),
        Type.Literal("member"),
      ]),
    ),
    hasSeat: Type.Optional(Type.Boolean()),
    tokenActive: Type.Optional(Type.Boolean()),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

function memberOut(member: MemberRow) {
  return {
    userId: member.userId,
    name: member.name,
    email: member.email,
    roles: rolesOf(member),
    seats: member.seats,
    token: {
      status: member.tokenStatus,
      lastUsedAt: member.lastUsedAt ? member.lastUsedAt.toISOString() : null,
      usesToday: member.usesToday,
    },
    joinedAt: member.joinedAt.toISOString(),
  };
}

const tags = ["members"];

/** The members list, role changes, removal, leaving and ownership transfer. */
export async function memberRoutes(app: App, ctx: Context): Promise<void> {
  app.get(
    "/organizations/:orgId/members",
    {
      schema: {
        operationId: "listMembers",
        tags,
        summary: "The organization's members with their roles, seats and token",
        description:
          "In the order they joined; `q` searches names and addresses. Pass `nextCursor` " +
          "back as `cursor` for the next page; it is null on the last one. Needs member.list " +
          "(account admins, billing admins and owners): it shows every member's address.",
        params: OrgIdParam,
        querystring: ListQuery,
        response: {
          200: Type.Object({ members: Type.Array(Member), nextCursor: Nullable(Type.String()) }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const caller = await authorize(ctx, request, request.params.orgId, "member.list");
      const { q, limit, ...filters } = request.query;
      const page = await listMembers(ctx, caller, {
        ...filters,
        q: q?.trim() || undefined,
        limit: limit ?? 50,
      });

      return { members: page.members.map(memberOut), nextCursor: page.nextCursor };
    },
  );

  app.patch(
    "/organizations/:orgId/members/:userId",
    {
      schema: {
        operationId: "updateMemberRoles",
        tags,
        summary: "Make a member an owner, account admin or billing admin, or not",
        description:
          "Flags left out stay. Only owners make or unmake owners or change an owner's " +
          "roles. The last owner cannot be demoted. Apart from owners, nobody gives " +
          "themselves a role they do not hold (member.self_promotion); dropping one's own " +
          "roles is allowed.",
        params: MemberParams,
        body: Type.Object(
          {
            owner: Type.Optional(Type.Boolean()),
            accountAdmin: Type.Optional(Type.Boolean()),
            billingAdmin: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ member: Member }), ...errors(401, 404, 409) },
      },
    },
    async (request) => {
      const { orgId, userId } = request.params;
      const caller = await authorize(ctx, request, orgId, "member.manage");
      const member = await updateMemberRoles(ctx, caller, userId, request.body);

      return { member: memberOut(member) };
    },
  );

  app.delete(
    "/organizations/:orgId/members/:userId",
    {
      schema: {
        operationId: "removeMember",
        tags,
        summary: "Remove a member; their seats and token end at once",
        description: "Removing an owner takes an owner. The last owner cannot be removed.",
        params: MemberParams,
        response: { 204: Type.Null(), ...errors(401, 404, 409) },
      },
    },
    async (request, reply) => {
      const { orgId, userId } = request.params;
      const caller = await authorize(ctx, request, orgId, "member.manage");
      await removeMember(ctx, caller, userId);

      return reply.code(204).send(null);
    },
  );

  app.post(
    "/organizations/:orgId/leave",
    {
      schema: {
        operationId: "leaveOrganization",
        tags,
        summary: "Leave the organization; your seats and token end at once",
        description: "The last owner cannot leave: transfer ownership first.",
        params: OrgIdParam,
        response: { 204: Type.Null(), ...errors(401, 404, 409) },
      },
    },
    async (request, reply) => {
      const caller = await authorize(ctx, request, request.params.orgId, "organization.read");
      await leaveOrganization(ctx, caller);

      return reply.code(204).send(null);
    },
  );

  app.post(
    "/organizations/:orgId/transfer-ownership",
    {
      schema: {
        operationId: "transferOwnership",
        tags,
        summary: "Make another member owner and stop being one yourself",
        description:
          "The new owner is also made account admin; you stay a member with your other roles.",
        params: OrgIdParam,
        body: Type.Object(
          { userId: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ from: Member, to: Member }),
          ...errors(401, 404, 409),
        },
      },
    },
    async (request) => {
      const caller = await authorize(ctx, request, request.params.orgId, "organization.read");
      const { from, to } = await transferOwnership(ctx, caller, request.body.userId);

      return { from: memberOut(from), to: memberOut(to) };
    },
  );
}
