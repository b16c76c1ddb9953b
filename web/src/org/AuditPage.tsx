import { useId, useState } from "react";
import { api } from "../api.ts";
import { EmptyState } from "../components/EmptyState.tsx";
import { Loading } from "../components/Loading.tsx";
import { Pager, useCursorStack } from "./components/Pager.tsx";
import { ErrorText } from "./components/Status.tsx";
import { useOrg } from "./context.tsx";
import { formatDateTime, useLoad } from "./hooks.ts";
import { Restricted } from "./Restricted.tsx";
import type { AuditEvent, Member } from "./types.ts";

/** Each recorded action in plain words. */
const ACTIONS: Record<string, string> = {
  "organization.created": "Formed the organization",
  "organization.updated": "Changed the organization",
  "organization.ownership_transferred": "Transferred ownership",
  "member.roles_changed": "Changed a member's roles",
  "member.removed": "Removed a member",
  "member.left": "Left the organization",
  "invitation.created": "Invited people",
  "invitation.uploaded": "Uploaded invitations",
  "invitation.resent": "Resent an invitation",
  "invitation.revoked": "Revoked an invitation",
  "invitation.accepted": "Accepted an invitation",
  "subscription.created": "Bought a subscription",
  "subscription.updated": "Changed a subscription",
  "subscription.renewed": "Subscription renewed",
  "subscription.lapsed": "Subscription ended",
  "seat.assigned": "Assigned a seat",
  "seat.revoked": "Revoked a seat",
  "token.activated": "Activated a token",
  "token.reissued": "Reissued a token",
};

/** The organization's audit log, newest first, by action and person. */
export function AuditPage() {
  const { abilities } = useOrg();

  return (
    <Restricted title="Audit log" allowed={abilities.audit} who="owners and admins">
      <AuditLog />
    </Restricted>
  );
}

function AuditLog() {
  const { organization } = useOrg();
  const base = `/organizations/${encodeURIComponent(organization.orgId)}`;
  const [action, setAction] = useState("");
  const [actorId, setActorId] = useState("");
  const pages = useCursorStack();
  const id = useId();

  const people = useLoad(
    () => api<{ members: Member[] }>("GET", `${base}/members?limit=200`),
    [base],
  );
  const params = new URLSearchParams({ limit: "50" });
  if (action) params.set("action", action);
  if (actorId) params.set("actorId", actorId);
  if (pages.cursor) params.set("cursor", pages.cursor);
  const query = params.toString();
  const log = useLoad(
    () =>
      api<{ events: AuditEvent[]; nextCursor: string | null }>(
        "GET",
        `${base}/audit-events?${query}`,
      ),
    [base, query],
  );

  const names = new Map<string, string>();
  for (const m of people.data?.members ?? []) names.set(m.userId, m.name);
  for (const e of log.data?.events ?? []) {
    if (e.actorId && e.actorName) names.set(e.actorId, e.actorName);
  }
  const events = log.data?.events ?? [];

  return (
    <section>
      <h1>Audit log</h1>
      <div className="org-filters">
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <select
            id={`${id}-action`}
            value={action}
            onChange={(event) => {
              setAction(event.target.value);
              pages.reset();
            }}
          >
            <option value="">Every action</option>
            {Object.entries(ACTIONS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-actor`}>Person</label>
          <select
            id={`${id}-actor`}
            value={actorId}
            onChange={(event) => {
              setActorId(event.target.value);
              pages.reset();
            }}
          >
            <option value="">Anyone</option>
            {[...names].map(([userId, name]) => (
              <option key={userId} value={userId}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorText error={log.error} />
      {log.loading && !log.data && <Loading label="Loading the audit log…" />}
      {log.data && events.length === 0 && <EmptyState title="No events match these filters." />}
      {events.length > 0 && (
        <div className="org-table-scroll" tabIndex={0} role="region" aria-label="Audit events">
          <table className="org-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">About</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.eventId}>
                  <td>{formatDateTime(event.createdAt)}</td>
                  <td>
                    {event.actorId
                      ? (event.actorName ?? names.get(event.actorId) ?? "A former member")
                      : "Tessera"}
                  </td>
                  <td>{ACTIONS[event.action] ?? event.action}</td>
                  <td>{describeTarget(event, names)}</td>
                  <td>
                    <Details details={event.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.data && (
        <Pager
          page={pages.page}
          nextCursor={log.data.nextCursor}
          onNext={pages.next}
          onPrevious={pages.previous}
        />
      )}
    </section>
  );
}

function describeTarget(event: AuditEvent, names: Map<string, string>): string {
  if (!event.targetId) return "—";
  if (event.targetType === "member" || event.targetType === "token") {
    return names.get(event.targetId) ?? event.targetId;
  }

  return `${event.targetType ?? "item"} ${event.targetId}`;
}

/** The event's recorded facts as short "key: value" lines. */
function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return <>—</>;

  return (
    <ul className="org-details">
      {entries.map(([key, value]) => (
        <li key={key}>
          {key}: {typeof value === "string" ? value : JSON.stringify(value)}
        </li>
      ))}
    </ul>
  );
}
