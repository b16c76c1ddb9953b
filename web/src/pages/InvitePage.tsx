import { useEffect, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, ApiError } from "../api.ts";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { Field } from "../components/Field.tsx";
import { Loading } from "../components/Loading.tsx";
import { Page } from "../components/Page.tsx";
import { describeError, errorCode, fieldProblem } from "../errors.ts";
import { useSession, type User } from "../session.tsx";
import { useAction } from "../useAction.ts";
import { dateWords } from "./roles.ts";

interface Invitation {
  organization: { orgId: string; name: string };
  inviter: { name: string } | null;
  email: string;
  expiresAt: string;
  status: "pending" | "accepted" | "revoked" | "expired";
}

const ENDED: Record<string, { title: string; words: string }> = {
  expired: {
    title: "Invitation expired",
    words: "This invitation has expired. Ask the person who invited you to send a new one.",
  },
  revoked: {
    title: "Invitation withdrawn",
    words:
      "This invitation was withdrawn by the organization. Ask them if you think it should not have been.",
  },
  accepted: {
    title: "Invitation already used",
    words:
      "This invitation has already been accepted. If it was you, the organization is in your list.",
  },
};

const ENDED_BY_CODE: Record<string, string> = {
  "invitation.expired": "expired",
  "invitation.revoked": "revoked",
  "invitation.already_accepted": "accepted",
};

function Who({ invitation }: { invitation: Invitation }) {
  const by = invitation.inviter ? <strong>{invitation.inviter.name}</strong> : "Someone";
  const { name, orgId } = invitation.organization;

  return (
    <p className="lead">
      {by} invited <strong>{invitation.email}</strong> to join <strong>{name}</strong>{" "}
      <code>{orgId}</code> on Tessera. The invitation is good until{" "}
      {dateWords(invitation.expiresAt)}.
    </p>
  );
}

function SignUpHere({ secret, invitation }: { secret: string; invitation: Invitation }) {
  const { signedIn } = useSession();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();
  const [mailed, setMailed] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const body = { name, email: invitation.email, password, invitationSecret: secret };
      const answer = await api<{ user?: User }>("POST", "/auth/sign-up", body);
      if (answer.user) signedIn(answer.user);
      else setMailed(true);
    });
  };

  if (mailed) {
    return (
      <Alert kind="info">
        This address may already have an account: we have sent a message to {invitation.email}. Sign
        in with that account to accept.
      </Alert>
    );
  }

  const passwordError =
    errorCode(error) === "auth.weak_password"
      ? describeError(error)
      : fieldProblem(error, "password");

  return (
    <form onSubmit={(event) => void submit(event)} className="panel">
      <h2>New to Tessera? Sign up</h2>
      <Field
        label="Name"
        autoComplete="name"
        required
        maxLength={100}
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={fieldProblem(error, "name")}
      />
      <Field
        label="Email"
        type="email"
        value={invitation.email}
        readOnly
        hint="The invited address. The invitation works only for it."
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
      {error !== null && !passwordError && <Alert>{describeError(error)}</Alert>}
      <Button type="submit" variant="primary" busy={busy}>
        Sign up
      </Button>
    </form>
  );
}

function WrongAccount({ error }: { error: ApiError }) {
  const { signOut } = useSession();
  const text = (value: unknown, fallback: string) => (typeof value === "string" ? value : fallback);
  const invited = text(error.details?.invitedEmail, "another address");
  const current = text(error.details?.signedInEmail, "another account");

  return (
    <Page title="Signed in as someone else" narrow>
      <Alert>
        This invitation was sent to <strong>{invited}</strong>, but you are signed in as{" "}
        <strong>{current}</strong>.
      </Alert>
      <p>Sign out, then sign in or sign up as {invited} to accept it.</p>
      <Button variant="primary" onClick={() => void signOut()}>
        Sign out
      </Button>
    </Page>
  );
}

function Accept({ secret, invitation }: { secret: string; invitation: Invitation }) {
  const { user } = useSession();
  const navigate = useNavigate();
  const { busy, error, run } = useAction();

  const accept = async () => {
    await run(async () => {
      await api("POST", `/invitation-links/${encodeURIComponent(secret)}/accept`);
      void navigate(`/orgs/${invitation.organization.orgId}`);
    });
  };

  if (error instanceof ApiError && error.code === "invitation.wrong_account") {
    return <WrongAccount error={error} />;
  }
  const ended = ENDED[ENDED_BY_CODE[errorCode(error) ?? ""] ?? ""];
  if (ended) return <Ended {...ended} />;

  return (
    <Page title={`Join ${invitation.organization.name}`} narrow>
      <Who invitation={invitation} />
      <p>You are signed in as {user?.email}.</p>
      {error !== null && <Alert>{describeError(error)}</Alert>}
      <Button variant="primary" busy={busy} onClick={() => void accept()}>
        Accept invitation
      </Button>
    </Page>
  );
}

function Ended({ title, words }: { title: string; words: string }) {
  const { user } = useSession();

  return (
    <Page title={title} narrow>
      <Alert>{words}</Alert>
      <p>
        {user ? (
          <Link to="/orgs">Your organizations</Link>
        ) : (
          <>
            <Link to="/signin">Sign in</Link> to see your organizations.
          </>
        )}
      </p>
    </Page>
  );
}

/** The page an invitation mail links to: who invited you where, and how to accept. */
export function InvitePage() {
  const { secret = "" } = useParams();
  const { user, loading } = useSession();
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<Invitation>("GET", `/invitation-links/${encodeURIComponent(secret)}`).then(
      setInvitation,
      setError,
    );
  }, [secret]);

  if (error !== null) {
    const unknown = errorCode(error) === "invitation.not_found";
    return (
      <Page title={unknown ? "Invitation not found" : "Invitation"} narrow>
        <Alert>{describeError(error)}</Alert>
      </Page>
    );
  }
  if (!invitation || loading) {
    return (
      <Page title="Invitation" narrow>
        <Loading />
      </Page>
    );
  }

  const ended = ENDED[invitation.status];
  if (ended) return <Ended {...ended} />;
  if (user) return <Accept secret={secret} invitation={invitation} />;

  const next = encodeURIComponent(`/invite/${secret}`);

  return (
    <Page title={`Join ${invitation.organization.name}`} narrow>
      <Who invitation={invitation} />
      <p>
        Have an account for {invitation.email}? <Link to={`/signin?next=${next}`}>Sign in</Link> to
        accept the invitation.
      </p>
      <SignUpHere secret={secret} invitation={invitation} />
    </Page>
  );
}
