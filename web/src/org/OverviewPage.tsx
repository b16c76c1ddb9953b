import { Button } from "../components/Button.tsx";
import { useId, useState, type FormEvent } from "react";
import { api } from "../api.ts";
import { ErrorText } from "./components/Status.tsx";
import { useOrg } from "./context.tsx";
import { useDocumentTitle } from "../components/Page.tsx";
import { formatDate } from "./hooks.ts";
import type { Organization, ProfileField } from "./types.ts";
import { useAction } from "../useAction.ts";

/** How each profile field is labelled and typed. */
const FIELDS: Record<ProfileField, { label: string; type: string; multiline?: boolean }> = {
  billingEmail: { label: "Billing email", type: "email" },
  website: { label: "Website", type: "url" },
  address: { label: "Address", type: "text", multiline: true },
  description: { label: "Description", type: "text", multiline: true },
};

const ORDER: ProfileField[] = ["billingEmail", "website", "address", "description"];

/** The organization's name, ID and profile, with what is missing one click from filled in. */
export function OverviewPage() {
  const { organization, abilities } = useOrg();
  useDocumentTitle(`Overview · ${organization.name}`);

  const filled = ORDER.filter((field) => organization[field] !== null);

  return (
    <section>
      <h1>Overview</h1>
      <dl className="org-facts">
        <dt>Display name</dt>
        <dd>{organization.name}</dd>
        <dt>Organization ID</dt>
        <dd>
          <code>{organization.orgId}</code>
        </dd>
        <dt>Formed</dt>
        <dd>{formatDate(organization.createdAt)}</dd>
        {filled.map((field) => (
          <ProfileFact key={field} field={field} value={organization[field] ?? ""} />
        ))}
      </dl>
      {organization.missing.length > 0 && (
        <section aria-labelledby="org-missing">
          <h2 id="org-missing">Still missing</h2>
          {!abilities.updateOrganization && <p>An owner of the organization can fill these in.</p>}
          <ul className="org-missing">
            {organization.missing.map((field) => (
              <li key={field}>
                {abilities.updateOrganization ? (
                  <MissingField field={field} />
                ) : (
                  FIELDS[field].label
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}

function ProfileFact({ field, value }: { field: ProfileField; value: string }) {
  return (
    <>
      <dt>{FIELDS[field].label}</dt>
      <dd className="org-pre">{value}</dd>
    </>
  );
}

/** A button that opens an inline form for one missing field and saves it. */
function MissingField({ field }: { field: ProfileField }) {
  const { organization, setOrganization } = useOrg();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState("");
  const { busy, error, run } = useAction();
  const inputId = useId();
  const errorId = useId();
  const { label, type, multiline } = FIELDS[field];

  async function save(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const path = `/organizations/${encodeURIComponent(organization.orgId)}`;
      const answer = await api<{ organization: Organization }>("PATCH", path, {
        [field]: value.trim(),
      });
      setOrganization(answer.organization);
    });
  }

  if (!editing) {
    return <Button onClick={() => setEditing(true)}>Add {label.toLowerCase()}</Button>;
  }

  const common = {
    id: inputId,
    value,
    required: true,
    autoFocus: true,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? errorId : undefined,
  };

  return (
    <form className="org-inline-form" onSubmit={(event) => void save(event)}>
      <label htmlFor={inputId}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => setValue(e.target.value)} />
      ) : (
        <input {...common} type={type} onChange={(e) => setValue(e.target.value)} />
      )}
      <div id={errorId}>
        <ErrorText error={error} />
      </div>
      <div className="org-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </Button>
        <Button onClick={() => setEditing(false)}>Cancel</Button>
      </div>
    </form>
  );
}
