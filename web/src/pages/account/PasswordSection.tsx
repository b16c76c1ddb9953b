import { useState, type FormEvent } from "react";
import { api } from "../../api.ts";
import { Alert } from "../../components/Alert.tsx";
import { Button } from "../../components/Button.tsx";
import { Field } from "../../components/Field.tsx";
import { describeError, errorCode } from "../../errors.ts";
import { useAction } from "../../useAction.ts";

/** Change the password, knowing the current one (changePassword). */
export function PasswordSection({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [endOthers, setEndOthers] = useState(true);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      const body = { currentPassword: current, newPassword: next, endOtherSessions: endOthers };
      await api("POST", "/auth/change-password", body);
      setCurrent("");
      setNext("");
      setSaved(true);
      onChanged();
    });
  };

  const code = errorCode(error);
  const currentError =
    code === "auth.invalid_credentials" ? "This is not your current password." : undefined;
  const nextError = code === "auth.weak_password" ? describeError(error) : undefined;

  return (
    <section className="panel" aria-labelledby="account-password">
      <h2 id="account-password">Password</h2>
      <form onSubmit={(event) => void submit(event)}>
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={currentError}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={next}
          onChange={(event) => setNext(event.target.value)}
          hint="8 to 128 characters."
          error={nextError}
        />
        <div className="checkbox">
          <input
            id="end-other-sessions"
            type="checkbox"
            checked={endOthers}
            onChange={(event) => setEndOthers(event.target.checked)}
          />
          <label htmlFor="end-other-sessions">Sign out everywhere else</label>
        </div>
        {error !== null && !currentError && !nextError && <Alert>{describeError(error)}</Alert>}
        {saved && <Alert kind="success">Your password has been changed.</Alert>}
        <Button type="submit" variant="primary" busy={busy}>
          Change password
        </Button>
      </form>
    </section>
  );
}
