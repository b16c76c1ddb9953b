import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { Field } from "../components/Field.tsx";
import { Page } from "../components/Page.tsx";
import { describeError } from "../errors.ts";
import { safeNext, useSession, type User } from "../session.tsx";
import { useAction } from "../useAction.ts";

/** Sign in with email and password, then go where ?next= says (or to /orgs). */
export function SignInPage() {
  const { user, signedIn } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const next = safeNext(params.get("next"));

  if (user && !busy) return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const answer = await api<{ user: User }>("POST", "/auth/sign-in", { email, password });
      signedIn(answer.user);
      void navigate(next, { replace: true });
    });
  };

  const raw = params.get("next");
  const signUpLink = raw ? `/signup?next=${encodeURIComponent(raw)}` : "/signup";

  return (
    <Page title="Sign in" narrow>
      <form onSubmit={(event) => void submit(event)}>
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {error !== null && <Alert>{describeError(error)}</Alert>}
        <Button type="submit" variant="primary" busy={busy}>
          Sign in
        </Button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to={signUpLink}>Sign up</Link>
      </p>
    </Page>
  );
}
