import { useState, type FormEvent } from "react";
import { Link, Navigate, useSearchParams } from "react-router-dom";
import { api } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { Field } from "../components/Field.tsx";
import { MailboxLink } from "../components/MailboxLink.tsx";
import { Page } from "../components/Page.tsx";
import { describeError, errorCode, fieldProblem } from "../errors.ts";
import { safeNext, useSession } from "../session.tsx";
import { useAction } from "../useAction.ts";

function CheckYourMail({ email }: { email: string }) {
  return (
    <Page title="Check your mail" narrow>
      <Alert kind="success">
        We have sent a message to <strong>{email}</strong>. Follow its link to verify your address
        and finish signing up.
      </Alert>
      <p>No message after a few minutes? Look in your spam folder, or sign up again.</p>
      <MailboxLink email={email} />
    </Page>
  );
}

/** Sign up with name, email and password; the account counts once its address is verified. */
export function SignUpPage() {
  const { user } = useSession();
  const [params] = useSearchParams();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const [sentTo, setSentTo] = useState<string | null>(null);

  if (user) return <Navigate to={safeNext(params.get("next"))} replace />;
  if (sentTo) return <CheckYourMail email={sentTo} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await api("POST", "/auth/sign-up", { name, email, password });
      setSentTo(email.trim());
    });
  };

  const code = errorCode(error);
  const passwordError =
    code === "auth.weak_password" ? describeError(error) : fieldProblem(error, "password");
  const emailError =
    code === "auth.email_taken" ? describeError(error) : fieldProblem(error, "email");
  const nameError = fieldProblem(error, "name");
  const formError = error !== null && !passwordError && !emailError && !nameError;
  const next = params.get("next");

  return (
    <Page title="Sign up" narrow>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Name"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={nameError}
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={emailError}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint="8 to 128 characters."
          error={passwordError}
        />
        {formError && <Alert>{describeError(error)}</Alert>}
        <Button type="submit" variant="primary" busy={busy}>
          Sign up
        </Button>
      </form>
      <p>
        Already have an account?{" "}
        <Link to={next ? `/signin?next=${encodeURIComponent(next)}` : "/signin"}>Sign in</Link>
      </p>
    </Page>
  );
}
