import { startTransition, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, ApiError } from "../../api.ts";
import { Alert } from "../../components/Alert.tsx";
import { Button } from "../../components/Button.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { Field } from "../../components/Field.tsx";
import type { NoticeState } from "../../components/Page.tsx";
import { describeError } from "../../errors.ts";
import { useSession } from "../../session.tsx";
import { useAction } from "../../useAction.ts";

function LastOwner({ error }: { error: ApiError }) {
  const organizations = Array.isArray(error.details?.organizations)
    ? (error.details.organizations as string[])
    : [];

  return (
    <Alert>
      {describeError(error)}
      {organizations.length > 0 && (
        <ul>
          {organizations.map((orgId) => (
            <li key={orgId}>
              <Link to={`/orgs/${orgId}/settings`}>{orgId}</Link>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** Delete the account after the password, refused with the reason while a last owner. */
export function DeleteSection() {
  const { forget } = useSession();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const { busy, error, run, reset } = useAction();

  const remove = async () => {
    await run(async () => {
      await api("DELETE", "/auth/me", { password });
      // One transition for both: signed out alone, this page would first send the person to
      // sign in and back to it.
      const state: NoticeState = { notice: "Your account has been deleted." };
      startTransition(() => {
        forget();
        void navigate("/signup", { state });
      });
    });
  };

  const close = () => {
    setOpen(false);
    setPassword("");
    reset();
  };
  const lastOwner = error instanceof ApiError && error.code === "account.last_owner";
  const wrongPassword = error instanceof ApiError && error.code === "auth.invalid_credentials";

  return (
    <section className="panel danger-zone" aria-labelledby="account-delete">
      <h2 id="account-delete">Delete account</h2>
      <p>
        Deleting your account ends your membership in every organization, frees your seats and stops
        your tokens. It cannot be undone.
      </p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete account
      </Button>
      <Dialog open={open} title="Delete your account?" onClose={close}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void remove();
          }}
        >
          <p>Enter your password to confirm. This cannot be undone.</p>
          <Field
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={wrongPassword ? "This is not your password." : undefined}
          />
          {lastOwner && <LastOwner error={error} />}
          {error !== null && !lastOwner && !wrongPassword && <Alert>{describeError(error)}</Alert>}
          <div className="actions">
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="danger" busy={busy} disabled={password === ""}>
              Delete my account
            </Button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
