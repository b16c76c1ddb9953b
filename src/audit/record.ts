import type { Queryable } from "../db/database.ts";

/** The admin actions the audit log records. */
export type AuditAction =
  | "organization.created"
  | "organization.updated"
  | "organization.ownership_transferred"
  | "member.roles_changed"
  | "member.removed"
  | "member.left"
  | "invitation.created"
  | "invitation.uploaded"
  | "invitation.resent"
  | "invitation.revoked"
  | "invitation.accepted"
  | "subscription.created"
  | "subscription.updated"
  | "subscription.renewed"
  | "subscription.lapsed"
  | "seat.assigned"
  | "seat.revoked"
  | "token.activated"
  | "token.reissued";

export interface AuditEvent {
  orgId: string;
  actorId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Records admin actions in the caller's transaction, so the log and the change agree. */
export async function recordAudit(tx: Queryable, events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;

  await tx.query(
    `insert into audit_events (org_id, actor_id, action, target_type, target_id, details)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])`,
    [
      events.map((e) => e.orgId),
      events.map((e) => e.actorId),
      events.map((e) => e.action),
      events.map((e) => e.targetType ?? null),
      events.map((e) => e.targetId ?? null),
      events.map((e) => JSON.stringify(e.details ?? {})),
    ],
  );
}
