import { useState, type FormEvent } from "react";
import { api } from "../../api.ts";
import { Alert } from "../../components/Alert.tsx";
import { Button } from "../../components/Button.tsx";
import { Field } from "../../components/Field.tsx";
import { describeError, fieldProblem } from "../../errors.ts";
import { useSession, type User } from "../../session.tsx";
import { useAction } from "../../useAction.ts";

/** Change the account's name (updateMe). */
export function NameSection({ user }: { user: User }) {
  const { signedIn } = useSession();
  const [name, setName] = useState(user.name);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    await run(async () => {
      const answer = await api<{ user: User }>("PATCH", "/auth/me", { name });
      signedIn(answer.user);
      setSaved(true);
    });
  };

  const nameError = fieldProblem(error, "name");

  return (
    <section className="panel" aria-labelledby="account-name">
      <h2 id="account-name">Name</h2>
      <form onSubmit={(event) => void submit(event)}>
        <Field
          label="Name"
          autoComplete="name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={nameError}
        />
        {error !== null && !nameError && <Alert>{describeError(error)}</Alert>}
        {saved && <Alert kind="success">Your name is saved.</Alert>}
        <Button type="submit" variant="primary" busy={busy} disabled={name.trim() === ""}>
          Save name
        </Button>
      </form>
    </section>
  );
}
