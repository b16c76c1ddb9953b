import { useEffect, type ReactNode } from "react";
import { useLocation } from "react-router-dom";
import { Alert } from "./Alert.tsx";

/** Sets the document title to "<page> · Tessera". */
export function useDocumentTitle(page: string): void {
  useEffect(() => {
    document.title = `${page} · Tessera`;
  }, [page]);
}

export interface PageProps {
  /** The page's one heading and the first part of its document title. */
  title: string;
  /** A narrow column, for forms. */
  narrow?: boolean;
  children: ReactNode;
}

/** What a page that sent the person here said of the outcome: navigate(path, { state }). */
export interface NoticeState {
  notice: string;
}

function useNotice(): string | null {
  const state = useLocation().state as Partial<NoticeState> | null;

  return typeof state?.notice === "string" ? state.notice : null;
}

/**
 * A page: its <main>, its one <h1>, its document title, and the notice of the action that led
 * here (an organization left or deleted, an account deleted), if any.
 */
export function Page({ title, narrow, children }: PageProps) {
  useDocumentTitle(title);
  const notice = useNotice();

  return (
    <main id="main" className={narrow ? "page page-narrow" : "page"}>
      <h1>{title}</h1>
      {notice && <Alert kind="success">{notice}</Alert>}
      {children}
    </main>
  );
}
