import type { Queryable } from "../db/database.ts";
import { exactTimestamp } from "../http/cursor.ts";

/** One audit record with its actor's current name, if the account still exists. */
export interface AuditRow {
  eventId: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
  /** created_at to the microsecond, for the page cursor. */
  createdKey: string;
}

export interface AuditQuery {
  orgId: string;
  limit: number;
  action?: string | undefined;
  actorId?: string | undefined;
  before?: { createdKey: string; eventId: string } | undefined;
}

/**
 * A page of the organization's audit log, newest first, before the cursor's position, in one
 * query along the audit_events_by_time index.
 */
export async function selectAuditEvents(q: Queryable, query: AuditQuery): Promise<AuditRow[]> {
  const params: unknown[] = [query.orgId];
  const where = ["e.org_id = $1"];
  const param = (value: unknown) => `$${params.push(value)}`;

  if (query.action !== undefined) where.push(`e.action = ${param(query.action)}`);
  if (query.actorId !== undefined) where.push(`e.actor_id = ${param(query.actorId)}`);
  if (query.before !== undefined) {
    const created = param(query.before.createdKey);
    const event = param(query.before.eventId);
    where.push(`(e.created_at, e.event_id) < (${created}::timestamptz, ${event}::bigint)`);
  }

  const result = await q.query<AuditRow>(
    `select e.event_id::text as "eventId", e.actor_id as "actorId", u.name as "actorName",
            e.action, e.target_type as "targetType", e.target_id as "targetId", e.details,
            e.created_at as "createdAt", ${exactTimestamp("e.created_at")} as "createdKey"
       from audit_events e
       left join "user" u on u.id = e.actor_id
      where ${where.join(" and ")}
      order by e.created_at desc, e.event_id desc
      limit ${param(query.limit)}`,
    params,
  );

  return result.rows;
}
