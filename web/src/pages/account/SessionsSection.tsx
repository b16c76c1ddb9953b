import { useCallback, useEffect, useState } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../../api.ts";
import { Alert } from "../../components/Alert.tsx";
import { Button } from "../../components/Button.tsx";
import { Loading } from "../../components/Loading.tsx";
import { describeError } from "../../errors.ts";
import { useSession } from "../../session.tsx";

interface SessionRow {
  id: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  ipAddress: string | null;
  userAgent: string | null;
  current: boolean;
}

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** The account's sessions, each one endable (listSessions, revokeSession). */
export function SessionsSection({ version }: { version: number }) {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [sessions, setSessions] = useState<SessionRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [ending, setEnding] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const answer = await api<{ sessions: SessionRow[] }>("GET", "/auth/sessions");
      setSessions(answer.sessions);
      setError(null);
    } catch (failure) {
      setError(failure);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, version]);

  const end = async (session: SessionRow) => {
    setEnding(session.id);
    setError(null);
    try {
      await api("DELETE", `/auth/sessions/${encodeURIComponent(session.id)}`);
      if (session.current) {
        await refresh();
        void navigate("/signin");
        return;
      }
      await load();
    } catch (failure) {
      setError(failure);
    } finally {
      setEnding(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="account-sessions">
      <h2 id="account-sessions">Sessions</h2>
      <p>Where your account is signed in. End any session you do not recognise.</p>
      {error !== null && <Alert>{describeError(error)}</Alert>}
      {sessions === null && error === null && <Loading />}
      {sessions && (
        <ul className="card-list">
          {sessions.map((session) => (
            <li key={session.id} className="card">
              <div>
                <strong>{session.userAgent ?? "Unknown browser or script"}</strong>
                {session.current && <span className="badge">This browser</span>}
                <div className="muted">
                  {session.ipAddress ?? "unknown address"} · signed in {when(session.createdAt)} ·
                  last active {when(session.updatedAt)}
                </div>
              </div>
              <Button
                busy={ending === session.id}
                onClick={() => void end(session)}
                aria-label={
                  session.current
                    ? "End session (this browser, signs you out)"
                    : `End session from ${session.ipAddress ?? "unknown address"}, signed in ${when(session.createdAt)}`
                }
              >
                End session
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
