import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { Field } from "../components/Field.tsx";
import { Loading } from "../components/Loading.tsx";
import { MailboxLink } from "../components/MailboxLink.tsx";
import { Page } from "../components/Page.tsx";
import { describeError } from "../errors.ts";
import { useSession, type User } from "../session.tsx";
import { useAction } from "../useAction.ts";

function SendAgain() {
  const [email, setEmail] = useState("");
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await api("POST", "/auth/send-verification-email", { email });
      setSent(true);
    });
  };

  if (sent) {
    return (
      <>
        <Alert kind="success">
          If <strong>{email}</strong> has an account waiting for verification, a new link is on its
          way.
        </Alert>
        <MailboxLink email={email} />
      </>
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <h2>Send a new link</h2>
      <Field
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      {error !== null && <Alert>{describeError(error)}</Alert>}
      <Button type="submit" variant="primary" busy={busy}>
        Send a new link
      </Button>
    </form>
  );
}

/** The page the verification mail links to: verifies the address, signs in, goes to /orgs. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(token ? null : new Error("missing"));
  const started = useRef("");

  useEffect(() => {
    // A token works once; rendering twice must not spend it twice.
    if (!token || started.current === token) return;
    started.current = token;

    api<{ user: User }>("POST", "/auth/verify-email", { token }).then(
      (answer) => {
        signedIn(answer.user);
        void navigate("/orgs", { replace: true });
      },
      (failure: unknown) => setError(failure),
    );
  }, [token, signedIn, navigate]);

  if (error === null) {
    return (
      <Page title="Verifying your email" narrow>
        <Loading label="Verifying your email address…" />
      </Page>
    );
  }

  const words = token
    ? describeError(error)
    : "This link is incomplete. Open the link from the mail again, all of it.";

  return (
    <Page title="Email not verified" narrow>
      <Alert>{words}</Alert>
      <SendAgain />
    </Page>
  );
}
