import { useState, type FormEvent } from "react";
import { api } from "../../api.ts";
import { Alert } from "../../components/Alert.tsx";
import { Button } from "../../components/Button.tsx";
import { Field } from "../../components/Field.tsx";
import { MailboxLink } from "../../components/MailboxLink.tsx";
import { describeError, errorCode, fieldProblem } from "../../errors.ts";
import type { User } from "../../session.tsx";
import { useAction } from "../../useAction.ts";

/** Change the address: it counts only once the link mailed to it is followed (changeEmail). */
export function EmailSection({ user }: { user: User }) {
  const [email, setEmail] = useState("");
  const { busy, error, run } = useAction();
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSentTo(null);
    await run(async () => {
      await api("POST", "/auth/change-email", { email });
      setSentTo(email.trim());
      setEmail("");
    });
  };

  const emailError =
    errorCode(error) === "auth.same_email" ? describeError(error) : fieldProblem(error, "email");

  return (
    <section className="panel" aria-labelledby="account-email">
      <h2 id="account-email">Email address</h2>
      <p>
        Your address is <strong>{user.email}</strong>. A new address counts once you follow the link
        we mail to it; until then you keep this one.
      </p>
      <form onSubmit={(event) => void submit(event)}>
        <Field
          label="New email address"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={emailError}
        />
        {error !== null && !emailError && <Alert>{describeError(error)}</Alert>}
        {sentTo && (
          <>
            <Alert kind="success">
              If <strong>{sentTo}</strong> can receive mail, a message with a link is on its way.
              Follow it to switch to that address.
            </Alert>
            <MailboxLink email={sentTo} />
          </>
        )}
        <Button type="submit" variant="primary" busy={busy}>
          Change email
        </Button>
      </form>
    </section>
  );
}
