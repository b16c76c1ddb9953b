import type { Context } from "../context.ts";
import { decodeCursor, encodeCursor, NUMBER_PART, TIMESTAMP_PART } from "../http/cursor.ts";
import type { Caller } from "../members/access.ts";
import { selectAuditEvents, type AuditRow } from "./queries.ts";

export interface AuditListInput {
  action?: string | undefined;
  actorId?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * A page of the caller's organization's audit log, newest first, with the cursor of the next
 * page (null on the last one). A cursor not from this list is refused as request.invalid.
 */
export async function listAuditEvents(
  ctx: Context,
  caller: Caller,
  input: AuditListInput,
): Promise<{ events: AuditRow[]; nextCursor: string | null }> {
  const before =
    input.cursor === undefined
      ? undefined
      : decodeCursor(input.cursor, [TIMESTAMP_PART, NUMBER_PART]);

  const rows = await selectAuditEvents(ctx.db, {
    orgId: caller.membership.orgId,
    limit: input.limit + 1,
    action: input.action,
    actorId: input.actorId,
    before: before && { createdKey: before[0] ?? "", eventId: before[1] ?? "" },
  });

  const events = rows.slice(0, input.limit);
  const last = events[events.length - 1];
  const more = rows.length > input.limit && last !== undefined;

  return { events, nextCursor: more ? encodeCursor([last.createdKey, last.eventId]) : null };
}
