import { Type } from "typebox";
import { requireUser } from "../accounts/session.ts";
import type { Context } from "../context.ts";
import { errors, Nullable, OrgIdParam, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { authorize, rolesOf } from "../members/access.ts";
import { Roles } from "../members/schemas.ts";
import {
  checkOrganizationId,
  createOrganization,
  deleteOrganization,
  getOrganization,
  listMyOrganizations,
  updateOrganization,
  type Organization as OrganizationValue,
} from "./service.ts";

const Organization = Type.Object({
  orgId: Type.String(),
  name: Type.String(),
  billingEmail: Nullable(Type.String()),
  website: Nullable(Type.String()),
  address: Nullable(Type.String()),
  description: Nullable(Type.String()),
  missing: Type.Array(
    Type.Union([
      Type.Literal("billingEmail"),
      Type.Literal("website"),
      Type.Literal("address"),
      Type.Literal("description"),
    ]),
    { description: "Profile fields not filled in yet" },
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const OrganizationBody = Type.Object({ organization: Organization });

const MyOrganization = Type.Object({
  orgId: Type.String(),
  name: Type.String(),
  roles: Roles,
  joinedAt: Timestamp,
});

const IdReason = Type.Union([
  Type.Literal("organization.id_invalid"),
  Type.Literal("organization.id_reserved"),
  Type.Literal("organization.id_taken"),
]);

const Name = Type.String({ minLength: 1, maxLength: 100 });
const Field = (maxLength: number) => Type.Optional(Nullable(Type.String({ maxLength })));

const Patch = Type.Object(
  {
    orgId: Type.Optional(Type.String({ description: "Refused if it differs: IDs never change" })),
    name: Type.Optional(Name),
    billingEmail: Field(320),
    website: Field(2000),
    address: Field(500),
    description: Field(2000),
  },
  { additionalProperties: false },
);

function organizationOut(org: OrganizationValue) {
  return {
    orgId: org.orgId,
    name: org.name,
    billingEmail: org.billingEmail,
    website: org.website,
    address: org.address,
    description: org.description,
    missing: org.missing,
    createdAt: org.createdAt.toISOString(),
    updatedAt: org.updatedAt.toISOString(),
  };
}

const tags = ["organizations"];

/** Create, read, update and delete organizations, and check whether an ID is free. */
export async function organizationRoutes(app: App, ctx: Context): Promise<void> {
  app.post(
    "/organizations",
    {
      schema: {
        operationId: "createOrganization",
        tags,
        summary: "Create an organization; the caller becomes its owner and account admin",
        description:
          "The organization ID is 2 to 39 lowercase letters, digits and single hyphens, " +
          "starting and ending with a letter or digit. Reserved words and IDs in use or used " +
          "by a deleted organization are refused. It cannot be changed later.",
        body: Type.Object({ orgId: Type.String(), name: Name }),
        response: { 201: OrganizationBody, ...errors(401, 409) },
      },
    },
    async (request, reply) => {
      const user = await requireUser(ctx, request);
      const organization = await createOrganization(ctx, user, request.body);

      return reply.code(201).send({ organization: organizationOut(organization) });
    },
  );

  app.get(
    "/organizations",
    {
      schema: {
        operationId: "listMyOrganizations",
        tags,
        summary: "The organizations the caller belongs to, with their roles",
        response: {
          200: Type.Object({ organizations: Type.Array(MyOrganization) }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const user = await requireUser(ctx, request);
      const rows = await listMyOrganizations(ctx, user);

      return {
        organizations: rows.map((row) => ({
          orgId: row.orgId,
          name: row.name,
          roles: rolesOf(row),
          joinedAt: row.joinedAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    "/organizations/:orgId",
    {
      schema: {
        operationId: "getOrganization",
        tags,
        summary: "An organization's profile, what it still lacks, and the caller's roles",
        params: OrgIdParam,
        response: {
          200: Type.Object({ organization: Organization, roles: Roles }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const caller = await authorize(ctx, request, request.params.orgId, "organization.read");
      const organization = await getOrganization(ctx, caller);

      return { organization: organizationOut(organization), roles: rolesOf(caller.membership) };
    },
  );

  app.patch(
    "/organizations/:orgId",
    {
      schema: {
        operationId: "updateOrganization",
        tags,
        summary: "Change the display name and profile; owners only",
        description:
          "Fields left out stay as they are; null or blank clears a profile field. " +
          "billingEmail must be an email address, website an http or https URL.",
        params: OrgIdParam,
        body: Patch,
        response: { 200: OrganizationBody, ...errors(401, 404) },
      },
    },
    async (request) => {
      const caller = await authorize(ctx, request, request.params.orgId, "organization.update");
      const organization = await updateOrganization(ctx, caller, request.body);

      return { organization: organizationOut(organization) };
    },
  );

  app.delete(
    "/organizations/:orgId",
    {
      schema: {
        operationId: "deleteOrganization",
        tags,
        summary: "Delete an organization and everything in it; owners only",
        description:
          "Members, seats, tokens, subscriptions, invoices, invitations and the audit log go " +
          "with it. Its ID is retired and never given out again.",
        params: OrgIdParam,
        response: { 204: Type.Null(), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const caller = await authorize(ctx, request, request.params.orgId, "organization.delete");
      await deleteOrganization(ctx, caller);

      return reply.code(204).send(null);
    },
  );

  app.get(
    "/organization-ids/:orgId",
    {
      schema: {
        operationId: "checkOrganizationId",
        tags,
        summary: "Whether an organization ID can be taken, and if not, why",
        params: OrgIdParam,
        response: {
          200: Type.Object({
            orgId: Type.String(),
            available: Type.Boolean(),
            reason: Type.Optional(IdReason),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      await requireUser(ctx, request);

      return checkOrganizationId(ctx, request.params.orgId);
    },
  );
}
