import { Button } from "../../components/Button.tsx";
import { useState } from "react";
import { api } from "../../api.ts";
import { Pager, useCursorStack } from "../components/Pager.tsx";
import { Done, ErrorText } from "../components/Status.tsx";
import { EmptyState } from "../../components/EmptyState.tsx";
import { Loading } from "../../components/Loading.tsx";
import { useOrg } from "../context.tsx";
import { useLoad } from "../hooks.ts";
import { Restricted } from "../Restricted.tsx";
import { useSeatProducts } from "../seatProducts.ts";
import type { Member } from "../types.ts";
import { AssignSeatsDialog } from "./AssignSeatsDialog.tsx";
import { BulkUploadDialog } from "./BulkUploadDialog.tsx";
import { InviteDialog } from "./InviteDialog.tsx";
import { MemberFilters, queryOf, NO_FILTERS, type Filters } from "./MemberFilters.tsx";
import { MembersTable } from "./MembersTable.tsx";

const PAGE_SIZE = 25;

/** The members of the organization: search, filters, pages, actions per row and in bulk. */
export function MembersPage() {
  const { abilities } = useOrg();

  return (
    <Restricted
      title="Members"
      allowed={abilities.listMembers}
      who="owners, account admins and billing admins"
    >
      <MembersList />
    </Restricted>
  );
}

function MembersList() {
  const { organization, abilities } = useOrg();
  const orgId = organization.orgId;
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const pages = useCursorStack();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<"invite" | "upload" | "assign" | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const products = useSeatProducts(orgId, abilities.manageSeats);

  const query = queryOf(filters, pages.cursor, PAGE_SIZE);
  const list = useLoad(
    () =>
      api<{ members: Member[]; nextCursor: string | null }>(
        "GET",
        `/organizations/${encodeURIComponent(orgId)}/members?${query}`,
      ),
    [orgId, query],
  );

  function changeFilters(next: Filters) {
    setFilters(next);
    setSelected(new Set());
    pages.reset();
  }

  async function refresh(message?: string) {
    setFailure(null);
    if (message) setOutcome(message);
    await Promise.all([list.reload(), products.reload()]);
  }

  const members = list.data?.members ?? [];
  const chosen = members.filter((m) => selected.has(m.userId));

  return (
    <section>
      <div className="org-title-row">
        <h1>Members</h1>
        {abilities.manageInvitations && (
          <div className="org-title-actions">
            <Button onClick={() => setDialog("upload")}>Bulk Upload</Button>
            <Button variant="primary" onClick={() => setDialog("invite")}>
              Invite Members
            </Button>
          </div>
        )}
      </div>
      <MemberFilters filters={filters} onChange={changeFilters} />
      {abilities.manageSeats && (
        <div className="org-bulk">
          <Button disabled={chosen.length === 0} onClick={() => setDialog("assign")}>
            Assign seats
          </Button>
          <span className="org-hint">
            {chosen.length === 0
              ? "Select members to assign seats to several at once."
              : `${chosen.length} selected`}
          </span>
        </div>
      )}
      <Done>{outcome}</Done>
      <ErrorText error={failure ?? list.error} />
      {list.loading && !list.data && <Loading label="Loading members…" />}
      {list.data && members.length === 0 && (
        <EmptyState
          title={filters === NO_FILTERS ? "No members yet." : "No member matches these filters."}
        />
      )}
      {members.length > 0 && (
        <MembersTable
          members={members}
          selectable={abilities.manageSeats}
          selected={selected}
          onSelect={setSelected}
          products={products.data ?? []}
          onChanged={refresh}
          onFailed={(error) => {
            setOutcome(null);
            setFailure(error);
          }}
        />
      )}
      {list.data && (
        <Pager
          page={pages.page}
          nextCursor={list.data.nextCursor}
          onNext={(cursor) => {
            setSelected(new Set());
            pages.next(cursor);
          }}
          onPrevious={() => {
            setSelected(new Set());
            pages.previous();
          }}
        />
      )}
      <InviteDialog
        open={dialog === "invite"}
        products={products.data ?? []}
        onClose={() => setDialog(null)}
        onSent={() => void refresh()}
      />
      <BulkUploadDialog
        open={dialog === "upload"}
        products={products.data ?? []}
        onClose={() => setDialog(null)}
      />
      <AssignSeatsDialog
        open={dialog === "assign"}
        members={chosen}
        products={products.data ?? []}
        onClose={() => setDialog(null)}
        onAssigned={() => void refresh()}
      />
    </section>
  );
}
