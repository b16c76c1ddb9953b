import { Type } from "typebox";
import type { Context } from "../context.ts";
import { errors, Nullable, OrgIdParam, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { authorize } from "../members/access.ts";
import type { AuditRow } from "./queries.ts";
import { listAuditEvents } from "./service.ts";

const AuditEvent = Type.Object({
  eventId: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Type.Optional(Type.String({ description: "Left out once the account is gone" })),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});

const ListQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    actorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

function eventOut(row: AuditRow) {
  return {
    eventId: row.eventId,
    actorId: row.actorId,
    ...(row.actorName !== null ? { actorName: row.actorName } : {}),
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The organization's audit log, for account admins, billing admins and owners. */
export async function auditRoutes(app: App, ctx: Context): Promise<void> {
  app.get(
    "/organizations/:orgId/audit-events",
    {
      schema: {
        operationId: "listAuditEvents",
        tags: ["audit"],
        summary: "What admins did in the organization, newest first",
        description:
          "Filter by `action` and `actorId`. Pass `nextCursor` back as `cursor` for the " +
          "next page; it is null on the last one.",
        params: OrgIdParam,
        querystring: ListQuery,
        response: {
          200: Type.Object({
            events: Type.Array(AuditEvent),
            nextCursor: Nullable(Type.String()),
          }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const caller = await authorize(ctx, request, request.params.orgId, "audit.read");
      const { limit, ...filters } = request.query;
      const page = await listAuditEvents(ctx, caller, { ...filters, limit: limit ?? 50 });

      return { events: page.events.map(eventOut), nextCursor: page.nextCursor };
    },
  );
}
