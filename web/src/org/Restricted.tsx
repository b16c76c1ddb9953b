import type { ReactNode } from "react";
import { useDocumentTitle } from "../components/Page.tsx";

interface Props {
  title: string;
  allowed: boolean;
  /** Who may see the page, e.g. "owners and billing admins". */
  who: string;
  children: ReactNode;
}

/** Shows the page when the caller's roles allow it, otherwise says who may see it. */
export function Restricted({ title, allowed, who, children }: Props) {
  useDocumentTitle(title);
  if (allowed) return <>{children}</>;

  return (
    <section>
      <h1>{title}</h1>
      <p>Only {who} of this organization can see this page.</p>
    </section>
  );
}
