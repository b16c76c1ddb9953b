import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api, ApiError } from "../api.ts";
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

/** Who is signed in now, or null. */
async function signedInUser(): Promise<User | null> {
  try {
    return (await api<{ user: User }>("GET", "/auth/me")).user;
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) return null;
    throw failure;
  }
}

interface Changed {
  email: string;
  signedIn: boolean;
}

function AddressChanged({ changed }: { changed: Changed }) {
  return (
    <Page title="Email address changed" narrow>
      <Alert kind="success">
        Your account's address is now <strong>{changed.email}</strong>.
      </Alert>
      <p>
        {changed.signedIn ? (
          <Link to="/account">Back to your account</Link>
        ) : (
          <>
            <Link to="/signin">Sign in</Link> with it.
          </>
        )}
      </p>
    </Page>
  );
}

/**
 * The page a verification mail links to. A first verification signs in and goes to /orgs; a
 * new address (changeEmail) says it now counts, and signs nobody in.
 */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const { user, loading, signedIn } = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(token ? null : new Error("missing"));
  const [changed, setChanged] = useState<Changed | null>(null);
  const started = useRef("");

  useEffect(() => {
    // A token works once; rendering twice must not spend it twice. Who was signed in before
    // tells a change of address from a first verification, so wait for the session.
    if (loading || !token || started.current === token) return;
    started.current = token;
    const before = user;

    const verify = async () => {
      const answer = await api<{ user: User }>("POST", "/auth/verify-email", { token });
      const now = await signedInUser();
      if (now) signedIn(now);

      // A first verification signs in; a change of address does not, or was already signed in.
      if (!now || before?.id === answer.user.id) {
        setChanged({ email: answer.user.email, signedIn: now !== null });
        return;
      }
      void navigate("/orgs", { replace: true });
    };
    verify().catch(setError);
  }, [token, loading, user, signedIn, navigate]);

  if (changed) return <AddressChanged changed={changed} />;

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
