import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../api.ts";
import { Button } from "../components/Button.tsx";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { Field } from "../components/Field.tsx";
import { useDocumentTitle, type NoticeState } from "../components/Page.tsx";
import { Done, ErrorText } from "./components/Status.tsx";
import { useOrg } from "./context.tsx";
import { useLoad } from "./hooks.ts";
import type { Member, Organization } from "./types.ts";
import { useAction } from "../useAction.ts";

/** Rename, transfer ownership, delete (owners), and leave (everyone). */
export function SettingsPage() {
  const { abilities } = useOrg();
  useDocumentTitle("Settings");
  // Kept here: a transfer ends the caller's ownership, and with it the section that did it.
  const [transferred, setTransferred] = useState<string | null>(null);

  return (
    <section>
      <h1>Settings</h1>
      <Done>{transferred}</Done>
      {abilities.updateOrganization && <Rename />}
      {abilities.updateOrganization && <TransferOwnership onTransferred={setTransferred} />}
      <Leave />
      {abilities.deleteOrganization && <DeleteOrganization />}
    </section>
  );
}

function Rename() {
  const { organization, setOrganization } = useOrg();
  const [name, setName] = useState(organization.name);
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    await run(async () => {
      const path = `/organizations/${encodeURIComponent(organization.orgId)}`;
      const answer = await api<{ organization: Organization }>("PATCH", path, {
        name: name.trim(),
      });
      setOrganization(answer.organization);
      setDone(`Renamed to ${answer.organization.name}.`);
    });
  }

  return (
    <section className="org-card" aria-labelledby="org-rename">
      <h2 id="org-rename">Rename</h2>
      <form onSubmit={(event) => void save(event)}>
        <Field
          label="Display name"
          value={name}
          required
          maxLength={200}
          hint={`The organization ID, ${organization.orgId}, stays the same.`}
          onChange={(event) => setName(event.target.value)}
        />
        <ErrorText error={error} />
        <Done>{done}</Done>
        <Button type="submit" variant="primary" busy={busy}>
          Rename
        </Button>
      </form>
    </section>
  );
}

function TransferOwnership({ onTransferred }: { onTransferred: (words: string) => void }) {
  const { organization, reload } = useOrg();
  const base = `/organizations/${encodeURIComponent(organization.orgId)}`;
  const members = useLoad(
    () => api<{ members: Member[] }>("GET", `${base}/members?limit=200`),
    [base],
  );
  const [userId, setUserId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const id = useId();

  const candidates = (members.data?.members ?? []).filter((m) => !m.roles.owner);
  const chosen = candidates.find((m) => m.userId === userId);

  return (
    <section className="org-card" aria-labelledby="org-transfer">
      <h2 id="org-transfer">Transfer ownership</h2>
      <ErrorText error={members.error} />
      {members.data && candidates.length === 0 ? (
        <p>Every member is already an owner; invite someone first.</p>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen) setConfirming(true);
          }}
        >
          <div className="field">
            <label htmlFor={id}>New owner</label>
            <select id={id} value={userId} required onChange={(e) => setUserId(e.target.value)}>
              <option value="">Choose a member</option>
              {candidates.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.name} ({m.email})
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" disabled={!chosen}>
            Transfer ownership
          </Button>
        </form>
      )}
      <ConfirmDialog
        open={confirming}
        title="Transfer ownership"
        confirmLabel="Transfer ownership"
        danger
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          if (!chosen) return;
          await api("POST", `${base}/transfer-ownership`, { userId: chosen.userId });
          onTransferred(`${chosen.name} is now the owner of ${organization.name}.`);
          await reload();
        }}
      >
        <p>
          Make {chosen?.name} ({chosen?.email}) the owner of {organization.name}? You stop being an
          owner and can no longer rename or delete the organization.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function Leave() {
  const { organization } = useOrg();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);

  return (
    <section className="org-card" aria-labelledby="org-leave">
      <h2 id="org-leave">Leave</h2>
      <p>Leaving frees your seats and stops your token in this organization.</p>
      <Button onClick={() => setConfirming(true)}>Leave organization</Button>
      <ConfirmDialog
        open={confirming}
        title="Leave organization"
        confirmLabel="Leave organization"
        danger
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await api("POST", `/organizations/${encodeURIComponent(organization.orgId)}/leave`);
          const state: NoticeState = { notice: `You left ${organization.name}.` };
          void navigate("/orgs", { replace: true, state });
        }}
      >
        <p>
          Leave {organization.name}? Your seats are freed and your token stops working at once. To
          come back you need a new invitation.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function DeleteOrganization() {
  const { organization } = useOrg();
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  const { busy, error, run } = useAction();

  async function remove(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      await api("DELETE", `/organizations/${encodeURIComponent(organization.orgId)}`);
      const state: NoticeState = { notice: `${organization.name} was deleted.` };
      void navigate("/orgs", { replace: true, state });
    });
  }

  return (
    <section className="org-card org-danger-zone" aria-labelledby="org-delete">
      <h2 id="org-delete">Delete organization</h2>
      <p>
        Deleting ends every membership, seat and token of {organization.name} at once, and cannot be
        undone.
      </p>
      <form onSubmit={(event) => void remove(event)}>
        <Field
          label={`Type the organization ID, ${organization.orgId}, to confirm`}
          value={typed}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setTyped(event.target.value)}
        />
        <ErrorText error={error} />
        <Button type="submit" variant="danger" busy={busy} disabled={typed !== organization.orgId}>
          Delete organization
        </Button>
      </form>
    </section>
  );
}
