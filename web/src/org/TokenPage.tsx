import { useState, type ReactNode } from "react";
import { api } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { ConfirmDialog } from "../components/ConfirmDialog.tsx";
import { Loading } from "../components/Loading.tsx";
import { useDocumentTitle } from "../components/Page.tsx";
import { CopyButton } from "./components/CopyButton.tsx";
import { ErrorText } from "./components/Status.tsx";
import { useOrg } from "./context.tsx";
import { formatDateTime, useLoad } from "./hooks.ts";
import type { IssuedToken, MyToken } from "./types.ts";
import { useAction } from "../useAction.ts";

/** The caller's own access token in this organization: activate, status, reissue. */
export function TokenPage() {
  const { organization } = useOrg();
  useDocumentTitle("Token Access");
  const path = `/organizations/${encodeURIComponent(organization.orgId)}/token`;
  const mine = useLoad(() => api<MyToken>("GET", path), [path]);
  const [issued, setIssued] = useState<IssuedToken | null>(null);
  const { busy, error, run } = useAction();
  const [confirming, setConfirming] = useState(false);

  async function activate() {
    await run(async () => {
      setIssued(await api<IssuedToken>("POST", path));
      await mine.reload();
    });
  }

  async function reissue() {
    setIssued(await api<IssuedToken>("POST", `${path}/reissue`));
    await mine.reload();
  }

  const data = mine.data;

  return (
    <section>
      <h1>Token Access</h1>
      <p>
        Your personal access token lets conda install packages from {organization.name}'s channel.
        Keep it secret: anyone holding it can use your seat.
      </p>
      <ErrorText error={mine.error} />
      {mine.loading && !data && <Loading label="Loading your token…" />}
      {issued && <TokenReveal issued={issued} />}
      {data && (
        <TokenState data={data}>
          {data.hasSeat && !data.token && (
            <Button variant="primary" busy={busy} onClick={() => void activate()}>
              Activate token
            </Button>
          )}
          {data.hasSeat && data.token && (
            <Button onClick={() => setConfirming(true)}>Reissue token</Button>
          )}
        </TokenState>
      )}
      <ErrorText error={error} />
      <ConfirmDialog
        open={confirming}
        title="Reissue token"
        confirmLabel="Reissue token"
        danger
        onConfirm={reissue}
        onClose={() => setConfirming(false)}
      >
        <p>
          A new token is made and mailed to you. Your current token stops working at once: every
          machine using it must be given the new one.
        </p>
      </ConfirmDialog>
    </section>
  );
}

function TokenState({ data, children }: { data: MyToken; children: ReactNode }) {
  if (!data.hasSeat) {
    return (
      <>
        <h2>No seat</h2>
        <p>
          You hold no seat in this organization, so you have no working token here. An account admin
          or owner can assign you a seat on the Members page; you will get an email, and then you
          can activate your token on this page.
        </p>
        {data.token && <p>Your earlier token, ending in {data.token.hint}, no longer works.</p>}
      </>
    );
  }

  if (!data.token) {
    return (
      <>
        <h2>Your token</h2>
        <p>
          You hold a seat for {data.products.join(", ")}. Activate your token to start installing
          packages; it is shown once here and mailed to you.
        </p>
        {children}
      </>
    );
  }

  const { token } = data;
  return (
    <>
      <h2>Your token</h2>
      <dl className="org-facts">
        <dt>Status</dt>
        <dd>{token.status === "active" ? "Active" : "Inactive"}</dd>
        <dt>Token</dt>
        <dd>
          Ends in <code>{token.hint}</code>
        </dd>
        <dt>Covers</dt>
        <dd>{data.products.join(", ")}</dd>
        <dt>Issued</dt>
        <dd>{formatDateTime(token.createdAt)}</dd>
        <dt>Last used</dt>
        <dd>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "Not used yet"}</dd>
        <dt>Uses today</dt>
        <dd>{token.usesToday.toLocaleString()}</dd>
      </dl>
      {children}
    </>
  );
}

/** The token and its install instructions, shown once after it was issued. */
function TokenReveal({ issued }: { issued: IssuedToken }) {
  return (
    <section className="org-reveal" aria-labelledby="org-token-reveal">
      <h2 id="org-token-reveal">Your new token</h2>
      <Alert kind="success">
        This is the only time the token is shown here. It was also mailed to you with these
        instructions.
      </Alert>
      <Snippet label="Token" copyLabel="Copy token" text={issued.token} />
      <p>Install conda or Anaconda if you have not yet, then add the channel with this command:</p>
      <Snippet label="Command" copyLabel="Copy command" text={issued.instructions.condaConfig} />
      <p>
        Or add these lines to your <code>.condarc</code> file:
      </p>
      <Snippet
        label=".condarc"
        copyLabel="Copy .condarc lines"
        text={issued.instructions.condarc}
      />
    </section>
  );
}

function Snippet({ label, copyLabel, text }: { label: string; copyLabel: string; text: string }) {
  return (
    <figure className="org-snippet">
      <figcaption>{label}</figcaption>
      <pre tabIndex={0}>
        <code>{text}</code>
      </pre>
      <CopyButton text={text} label={copyLabel} />
    </figure>
  );
}
