import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { Navigate, useLocation } from "react-router-dom";
import { api, ApiError } from "./api.ts";
import { Loading } from "./components/Loading.tsx";

/** The signed-in account, as GET /api/v1/auth/me answers it. */
export interface User {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  createdAt: string;
}

export interface Session {
  user: User | null;
  loading: boolean;
  /** Asks the server who is signed in now. */
  refresh: () => Promise<void>;
  /** Ends the session on the server and forgets the user here. */
  signOut: () => Promise<void>;
  /** Records the user a sign-in, sign-up or verification answered with. */
  signedIn: (user: User) => void;
  /** Forgets the user here at once, for a session the server has already ended. */
  forget: () => void;
}

const SessionContext = createContext<Session | null>(null);

/** Holds who is signed in, for every page below it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  // Counts sign-ins and sign-outs: a /auth/me answer that left before one of them is stale.
  const changes = useRef(0);

  const refresh = useCallback(async () => {
    const asked = changes.current;
    try {
      const answer = await api<{ user: User }>("GET", "/auth/me");
      if (asked === changes.current) setUser(answer.user);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      if (asked === changes.current) setUser(null);
    } finally {
      setLoading(false);
    }
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api("POST", "/auth/sign-out");
    } catch (error) {
      // Already signed out on the server: the outcome the person asked for.
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    changes.current += 1;
    setUser(null);
  }, []);

  const signedIn = useCallback((next: User) => {
    changes.current += 1;
    setUser(next);
  }, []);

  const forget = useCallback(() => {
    changes.current += 1;
    setUser(null);
  }, []);

  useEffect(() => {
    refresh().catch(() => setLoading(false));
  }, [refresh]);

  const value = useMemo(
    () => ({ user, loading, refresh, signOut, signedIn, forget }),
    [user, loading, refresh, signOut, signedIn, forget],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session: who is signed in, and sign-out. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession needs a SessionProvider above it");

  return session;
}

/** A path inside this site to go to after signing in; anything else becomes /orgs. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) {
    return "/orgs";
  }

  return next;
}

/** Renders its children for a signed-in person; sends anyone else to sign in and back. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const { user, loading } = useSession();
  const location = useLocation();

  if (loading) return <Loading />;
  if (!user) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/signin?next=${next}`} replace />;
  }

  return <>{children}</>;
}
