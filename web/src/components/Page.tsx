import { useEffect, type ReactNode } from "react";

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

/** A page: its <main>, its one <h1>, and its document title. */
export function Page({ title, narrow, children }: PageProps) {
  useDocumentTitle(title);

  return (
    <main id="main" className={narrow ? "page page-narrow" : "page"}>
      <h1>{title}</h1>
      {children}
    </main>
  );
}
