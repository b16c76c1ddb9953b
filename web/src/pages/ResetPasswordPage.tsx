import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { Field } from "../components/Field.tsx";
import { Page } from "../components/Page.tsx";
import { describeError, errorCode } from "../errors.ts";
import { useAction } from "../useAction.ts";

/** Sets a new password with the token from the mailed link (?token=). */
export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);

  if (!token) {
    return (
      <Page title="Reset password" narrow>
        <Alert>This link is incomplete. Open the link from the mail again, all of it.</Alert>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </Page>
    );
  }

  if (done) {
    return (
      <Page title="Password changed" narrow>
        <Alert kind="success">
          Your password has been changed, and every session of your account has ended.
        </Alert>
        <p>
          <Link to="/signin">Sign in</Link> with your new password.
        </p>
      </Page>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await api("POST", "/auth/reset-password", { token, password });
      setDone(true);
    });
  };

  const code = errorCode(error);
  const passwordError = code === "auth.weak_password" ? describeError(error) : undefined;

  return (
    <Page title="Reset password" narrow>
      <form onSubmit={(event) => void submit(event)}>
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint="8 to 128 characters."
          error={passwordError}
        />
        {error !== null && !passwordError && (
          <Alert>
            {describeError(error)}
            {code === "auth.invalid_link" && (
              <>
                {" "}
                <Link to="/forgot-password">Ask for a new link</Link>
              </>
            )}
          </Alert>
        )}
        <Button type="submit" variant="primary" busy={busy}>
          Set new password
        </Button>
      </form>
    </Page>
  );
}
