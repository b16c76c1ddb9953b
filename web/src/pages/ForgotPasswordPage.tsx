import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { api } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { Field } from "../components/Field.tsx";
import { MailboxLink } from "../components/MailboxLink.tsx";
import { Page } from "../components/Page.tsx";
import { describeError, fieldProblem } from "../errors.ts";
import { useAction } from "../useAction.ts";

/** Asks for a password reset link by mail. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await api("POST", "/auth/request-password-reset", { email });
      setSent(true);
    });
  };

  if (sent) {
    return (
      <Page title="Check your mail" narrow>
        <Alert kind="success">
          If <strong>{email.trim()}</strong> has an account, a message with a link to choose a new
          password is on its way.
        </Alert>
        <MailboxLink email={email.trim()} />
        <p>
          <Link to="/signin">Back to sign in</Link>
        </p>
      </Page>
    );
  }

  const emailError = fieldProblem(error, "email");

  return (
    <Page title="Forgot password" narrow>
      <p>
        Enter the address you signed up with, and we will mail you a link to set a new password.
      </p>
      <form onSubmit={(event) => void submit(event)}>
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={emailError}
        />
        {error !== null && !emailError && <Alert>{describeError(error)}</Alert>}
        <Button type="submit" variant="primary" busy={busy}>
          Send reset link
        </Button>
      </form>
      <p>
        <Link to="/signin">Back to sign in</Link>
      </p>
    </Page>
  );
}
