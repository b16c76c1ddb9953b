import { Type } from "typebox";
import { requireUser } from "../accounts/session.ts";
import type { Context } from "../context.ts";
import { errors, Nullable, OrgIdParam, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { assertThat } from "../errors.ts";
import { authorize, mayGrant } from "../members/access.ts";
import { acceptInvitation, getInvitation } from "./acceptance.ts";
import { listInvitations, resendInvitation, revokeInvitation } from "./manage.ts";
import { createInvitations, MAX_ENTRIES_PER_REQUEST } from "./service.ts";

const Role = Type.Union([
  Type.Literal("member"),
  Type.Literal("account_admin"),
  Type.Literal("billing_admin"),
]);
const Status = Type.Union([
  Type.Literal("pending"),
  Type.Literal("accepted"),
  Type.Literal("revoked"),
  Type.Literal("expired"),
]);
const Product = Type.String({ minLength: 1, maxLength: 63 });

const Result = Type.Object({
  input: Type.String(),
  email: Type.Optional(Type.String({ description: "The address as typed, for display" })),
  key: Type.Optional(Type.String({ description: "The key addresses compare by" })),
  name: Type.Optional(Type.String()),
  outcome: Type.Union([
    Type.Literal("invited"),
    Type.Literal("already_member"),
    Type.Literal("already_invited"),
    Type.Literal("duplicate"),
    Type.Literal("invalid"),
  ]),
  reason: Type.Optional(
    Type.Union([
      Type.Literal("invalid_email"),
      Type.Literal("missing_email"),
      Type.Literal("unsupported_local_part"),
    ]),
  ),
  duplicateOf: Type.Optional(
    Type.Integer({ description: "Index of the first entry with the same address" }),
  ),
  invitationId: Type.Optional(Type.String()),
});

const Counts = Type.Object({
  invited: Type.Integer(),
  alreadyMember: Type.Integer(),
  alreadyInvited: Type.Integer(),
  duplicate: Type.Integer(),
  invalid: Type.Integer(),
});

const Invitation = Type.Object({
  invitationId: Type.String(),
  email: Type.String(),
  name: Nullable(Type.String()),
  role: Role,
  seatProduct: Nullable(Type.String()),
  status: Status,
  expiresAt: Timestamp,
  invitedBy: Nullable(Type.Object({ userId: Type.String(), name: Type.String() })),
  createdAt: Timestamp,
  sentAt: Timestamp,
});
const InvitationBody = Type.Object({ invitation: Invitation });

const InvitationParams = Type.Object({
  ...OrgIdParam.properties,
  invitationId: Type.String({ format: "uuid" }),
});
const SecretParams = Type.Object({ secret: Type.String({ minLength: 1, maxLength: 200 }) });
const SeatOutcome = Type.Union([
  Type.Literal("assigned"),
  Type.Literal("already_assigned"),
  Type.Literal("limit_reached"),
  Type.Literal("no_subscription"),
  Type.Literal("not_member"),
]);
const Organization = Type.Object({ orgId: Type.String(), name: Type.String() });

/** Inviting, listing, resending and revoking as an admin; viewing and accepting by link. */
export async function invitationRoutes(app: App, ctx: Context): Promise<void> {
  app.post(
    "/organizations/:orgId/invitations",
    {
      schema: {
        operationId: "createInvitations",
        tags: ["invitations"],
        summary: "Invite several addresses at once",
        description:
          "`emails` is pasted text (split at commas, semicolons, newlines, tabs, and spaces " +
          "between bare addresses) or a list of such texts. Answers one result per address in " +
          "input order, and counts; invalid addresses do not stop the others. At most " +
          `${MAX_ENTRIES_PER_REQUEST} addresses per request, and a limit per hour per ` +
          "organization. Needs invitation.manage; inviting as billing_admin also needs a " +
          "billing admin or owner (invitation.role_not_allowed).",
        params: OrgIdParam,
        body: Type.Object({
          emails: Type.Union([Type.String(), Type.Array(Type.String())]),
          role: Type.Optional(Role),
          seatProduct: Type.Optional(Product),
        }),
        response: {
          200: Type.Object({ results: Type.Array(Result), counts: Counts }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      const caller = await authorize(ctx, request, orgId, "invitation.manage");
      const role = request.body.role ?? "member";
      const granted = role !== "billing_admin" || mayGrant(caller.membership, "isBillingAdmin");
      assertThat(granted, "invitation.role_not_allowed", { role });

      return createInvitations(ctx, {
        caller,
        emails: request.body.emails,
        role,
        seatProduct: request.body.seatProduct ?? null,
      });
    },
  );

  app.get(
    "/organizations/:orgId/invitations",
    {
      schema: {
        operationId: "listInvitations",
        tags: ["invitations"],
        summary: "The organization's invitations, newest first",
        description:
          "Pending ones by default. A pending invitation past its expiry is listed as " +
          "expired. Needs invitation.manage.",
        params: OrgIdParam,
        querystring: Type.Object({
          status: Type.Optional(Type.Union([Status, Type.Literal("all")])),
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: {
          200: Type.Object({
            invitations: Type.Array(Invitation),
            nextCursor: Nullable(Type.String()),
          }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      await authorize(ctx, request, orgId, "invitation.manage");

      return listInvitations(ctx, {
        orgId,
        status: request.query.status ?? "pending",
        cursor: request.query.cursor,
        limit: request.query.limit ?? 50,
      });
    },
  );

  app.post(
    "/organizations/:orgId/invitations/:invitationId/resend",
    {
      schema: {
        operationId: "resendInvitation",
        tags: ["invitations"],
        summary: "Mail a pending or expired invitation again, with a new link and expiry",
        description: "The old link stops working. Needs invitation.manage.",
        params: InvitationParams,
        response: { 200: InvitationBody, ...errors(401, 404, 409) },
      },
    },
    async (request) => {
      const { orgId, invitationId } = request.params;
      const { user } = await authorize(ctx, request, orgId, "invitation.manage");
      const actor = { userId: user.id, name: user.name };

      return { invitation: await resendInvitation(ctx, { orgId, invitationId, actor }) };
    },
  );

  app.delete(
    "/organizations/:orgId/invitations/:invitationId",
    {
      schema: {
        operationId: "revokeInvitation",
        tags: ["invitations"],
        summary: "Revoke a pending invitation",
        description: "Its link then says it was revoked. Needs invitation.manage.",
        params: InvitationParams,
        response: { 200: InvitationBody, ...errors(401, 404, 409) },
      },
    },
    async (request) => {
      const { orgId, invitationId } = request.params;
      const { user } = await authorize(ctx, request, orgId, "invitation.manage");
      const actor = { userId: user.id, name: user.name };

      return { invitation: await revokeInvitation(ctx, { orgId, invitationId, actor }) };
    },
  );

  app.get(
    "/invitation-links/:secret",
    {
      schema: {
        operationId: "getInvitation",
        tags: ["invitations"],
        summary: "What an invitation link's page shows",
        description: "No sign-in needed: the secret from the mailed link is the proof.",
        params: SecretParams,
        response: {
          200: Type.Object({
            organization: Organization,
            inviter: Nullable(Type.Object({ name: Type.String() })),
            email: Type.String({ description: "The invited address" }),
            expiresAt: Timestamp,
            status: Status,
          }),
          ...errors(404),
        },
      },
    },
    async (request) => getInvitation(ctx, request.params.secret),
  );

  app.post(
    "/invitation-links/:secret/accept",
    {
      schema: {
        operationId: "acceptInvitation",
        tags: ["invitations"],
        summary: "Join the organization as the invited, signed-in account",
        description:
          "The signed-in account's address must be the invited one. With a seat product on " +
          "the invitation, a seat is given when one is free.",
        params: SecretParams,
        response: {
          200: Type.Object({
            organization: Organization,
            roles: Type.Object({
              owner: Type.Boolean(),
              accountAdmin: Type.Boolean(),
              billingAdmin: Type.Boolean(),
            }),
            seat: Nullable(Type.Object({ product: Type.String(), outcome: SeatOutcome })),
          }),
          ...errors(401, 404, 409, 410),
        },
      },
    },
    async (request) => {
      const user = await requireUser(ctx, request);

      return acceptInvitation(ctx, user, request.params.secret);
    },
  );
}
