import { useId, useState } from "react";
import { api } from "../api.ts";
import { Button } from "../components/Button.tsx";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { EmptyState } from "../components/EmptyState.tsx";
import { Loading } from "../components/Loading.tsx";
import { Pager, useCursorStack } from "./components/Pager.tsx";
import { Done, ErrorText } from "./components/Status.tsx";
import { useOrg } from "./context.tsx";
import { formatDateTime, useLoad } from "./hooks.ts";
import { Restricted } from "./Restricted.tsx";
import type { Invitation } from "./types.ts";
import { useAction } from "../useAction.ts";

type StatusFilter = "pending" | "accepted" | "revoked" | "expired" | "all";

const ROLE_WORDS = {
  member: "Member",
  account_admin: "Account admin",
  billing_admin: "Billing admin",
} as const;

const STATUS_WORDS = {
  pending: "Pending",
  accepted: "Accepted",
  revoked: "Revoked",
  expired: "Expired",
} as const;

/** The organization's invitations, pending ones first, with Resend and Revoke. */
export function InvitationsPage() {
  const { abilities } = useOrg();

  return (
    <Restricted
      title="Invitations"
      allowed={abilities.manageInvitations}
      who="owners and account admins"
    >
      <InvitationList />
    </Restricted>
  );
}

function InvitationList() {
  const { organization } = useOrg();
  const [status, setStatus] = useState<StatusFilter>("pending");
  const pages = useCursorStack();
  const [outcome, setOutcome] = useState<string | null>(null);
  const sending = useAction();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [resending, setResending] = useState<string | null>(null);
  const id = useId();
  const base = `/organizations/${encodeURIComponent(organization.orgId)}/invitations`;

  const params = new URLSearchParams({ status, limit: "50" });
  if (pages.cursor) params.set("cursor", pages.cursor);
  const query = params.toString();
  const list = useLoad(
    () => api<{ invitations: Invitation[]; nextCursor: string | null }>("GET", `${base}?${query}`),
    [base, query],
  );

  async function resend(invitation: Invitation) {
    setResending(invitation.invitationId);
    setOutcome(null);
    await sending.run(async () => {
      await api("POST", `${base}/${encodeURIComponent(invitation.invitationId)}/resend`);
      setOutcome(`The invitation to ${invitation.email} was sent again.`);
      await list.reload();
    });
  }

  const invitations = list.data?.invitations ?? [];

  return (
    <section>
      <h1>Invitations</h1>
      <div className="org-filters">
        <div className="field">
          <label htmlFor={id}>Status</label>
          <select
            id={id}
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as StatusFilter);
              pages.reset();
            }}
          >
            <option value="pending">Pending</option>
            <option value="accepted">Accepted</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
            <option value="all">All</option>
          </select>
        </div>
      </div>
      <Done>{outcome}</Done>
      <ErrorText error={sending.error ?? list.error} />
      {list.loading && !list.data && <Loading label="Loading invitations…" />}
      {list.data && invitations.length === 0 && (
        <EmptyState title={status === "all" ? "No invitations yet." : `No ${status} invitations.`}>
          <p>Invite people from the Members page with “Invite Members”.</p>
        </EmptyState>
      )}
      {invitations.length > 0 && (
        <div className="org-table-scroll" tabIndex={0} role="region" aria-label="Invitations">
          <table className="org-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Seat</th>
                <th scope="col">Status</th>
                <th scope="col">Invited by</th>
                <th scope="col">Last sent</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="org-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.invitationId}>
                  <td>
                    {invitation.name
                      ? `${invitation.name} <${invitation.email}>`
                      : invitation.email}
                  </td>
                  <td>{ROLE_WORDS[invitation.role]}</td>
                  <td>{invitation.seatProduct ?? "—"}</td>
                  <td>{STATUS_WORDS[invitation.status]}</td>
                  <td>{invitation.invitedBy?.name ?? "—"}</td>
                  <td>{formatDateTime(invitation.sentAt)}</td>
                  <td>{formatDateTime(invitation.expiresAt)}</td>
                  <td className="org-row-actions">
                    {/* An expired invitation can be sent again too, with a new link. */}
                    {(invitation.status === "pending" || invitation.status === "expired") && (
                      <Button
                        busy={sending.busy && resending === invitation.invitationId}
                        aria-label={`Resend invitation to ${invitation.email}`}
                        onClick={() => void resend(invitation)}
                      >
                        Resend
                      </Button>
                    )}
                    {invitation.status === "pending" && (
                      <Button
                        variant="danger"
                        aria-label={`Revoke invitation to ${invitation.email}`}
                        onClick={() => setRevoking(invitation)}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.data && (
        <Pager
          page={pages.page}
          nextCursor={list.data.nextCursor}
          onNext={pages.next}
          onPrevious={pages.previous}
        />
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke invitation"
        confirmLabel="Revoke invitation"
        danger
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await api("DELETE", `${base}/${encodeURIComponent(revoking.invitationId)}`);
          sending.reset();
          setOutcome(`The invitation to ${revoking.email} was revoked.`);
          await list.reload();
        }}
      >
        <p>
          Revoke the invitation to {revoking?.email}? Its link stops working at once. You can invite
          the address again later.
        </p>
      </ConfirmDialog>
    </section>
  );
}
