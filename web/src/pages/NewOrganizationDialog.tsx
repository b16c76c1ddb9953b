import { useEffect, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { Field } from "../components/Field.tsx";
import { describeError, errorCode } from "../errors.ts";
import { useAction } from "../useAction.ts";

interface IdCheck {
  orgId: string;
  available: boolean;
  reason?: string;
}

/** The ID rules, each broken one in plain words, before the server is even asked. */
export function idRuleProblems(id: string): string[] {
  const problems: string[] = [];
  if (id.length < 2) problems.push("It needs at least 2 characters.");
  if (id.length > 39) problems.push("It can have at most 39 characters.");
  if (/[^a-z0-9-]/.test(id)) {
    problems.push("Use only lowercase letters a to z, digits and hyphens.");
  }
  if (/^-|-$/.test(id)) problems.push("It must start and end with a letter or digit.");
  if (id.includes("--")) problems.push("Hyphens must stand alone, not two in a row.");

  return problems;
}

/** An ID suggested from the display name: lowercase, hyphens for spaces. */
function suggestId(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 39)
    .replace(/-+$/, "");
}

/** Asks the server, a moment after typing stops, whether the ID can be taken. */
function useIdCheck(orgId: string): { check: IdCheck | null; checking: boolean; error: unknown } {
  const [check, setCheck] = useState<IdCheck | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    setCheck(null);
    setError(null);
    if (orgId === "" || orgId.length > 100) return;

    let current = true;
    setChecking(true);
    const timer = setTimeout(() => {
      api<IdCheck>("GET", `/organization-ids/${encodeURIComponent(orgId)}`)
        .then(
          (answer) => current && setCheck(answer),
          (failure: unknown) => current && setError(failure),
        )
        .finally(() => current && setChecking(false));
    }, 250);

    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [orgId]);

  return { check, checking, error };
}

const WORDS_BY_REASON: Record<string, string> = {
  "organization.id_invalid": "This ID does not follow the rules.",
  "organization.id_reserved": "This ID is reserved. Choose another.",
  "organization.id_taken": "This ID is already taken. Choose another.",
};

function IdStatus({ orgId, problems }: { orgId: string; problems: string[] }) {
  const { check, checking, error } = useIdCheck(orgId);
  if (orgId === "") return null;

  if (problems.length > 0) {
    return (
      <ul className="id-problems">
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    );
  }
  if (error) return <span className="field-error">{describeError(error)}</span>;
  if (checking || !check || check.orgId !== orgId) return <span>Checking {orgId}…</span>;
  if (check.available) return <span className="ok">✓ {orgId} is available.</span>;

  return (
    <span className="field-error">
      {WORDS_BY_REASON[check.reason ?? ""] ?? "This ID cannot be used."}
    </span>
  );
}

export interface NewOrganizationDialogProps {
  open: boolean;
  onClose: () => void;
}

/** "Form New Organization": display name and a checked, permanent ID; opens the new one. */
export function NewOrganizationDialog({ open, onClose }: NewOrganizationDialogProps) {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [orgId, setOrgId] = useState("");
  const [idEdited, setIdEdited] = useState(false);
  const { busy, error, run } = useAction();
  const problems = orgId === "" ? [] : idRuleProblems(orgId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await api("POST", "/organizations", { orgId, name });
      onClose();
      void navigate(`/orgs/${orgId}`);
    });
  };

  const code = errorCode(error) ?? "";
  const idError = code.startsWith("organization.id_") ? describeError(error) : undefined;
  const url = `${window.location.origin}/orgs/${orgId || "your-id"}`;

  return (
    <Dialog open={open} title="Form New Organization" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <Field
          label="Display name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            if (!idEdited) setOrgId(suggestId(event.target.value));
          }}
          hint="The name people see. You can change it later."
        />
        <Field
          label="Organization ID"
          required
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          value={orgId}
          onChange={(event) => {
            setOrgId(event.target.value.trim());
            setIdEdited(true);
          }}
          error={idError}
          hint={
            <>
              <div aria-live="polite">
                <IdStatus orgId={orgId} problems={problems} />
              </div>
              <div>
                Its address will be <code>{url}</code>
              </div>
              <div className="warning">
                The organization ID can never be changed once the organization exists.
              </div>
            </>
          }
        />
        {error !== null && !idError && <Alert>{describeError(error)}</Alert>}
        <div className="actions">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="primary"
            busy={busy}
            disabled={name.trim() === "" || orgId === "" || problems.length > 0}
          >
            Create organization
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
