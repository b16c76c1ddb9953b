import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { useDocumentTitle } from "../components/Page.tsx";
import { describeRoles } from "./access.ts";
import { useOrg } from "./context.tsx";

interface Props {
  title: string;
  allowed: boolean;
  /** Who may see the page, e.g. "owners and billing admins". */
  who: string;
  children: ReactNode;
}

/**
 * Shows the page when the caller's roles allow it; otherwise a plain refusal that names who
 * may see it and the caller's own roles, so a typed or bookmarked address never looks broken.
 */
export function Restricted({ title, allowed, who, children }: Props) {
  const { organization, roles } = useOrg();
  useDocumentTitle(allowed ? title : `${title}: not allowed`);
  if (allowed) return <>{children}</>;

  return (
    <section>
      <h1>Not allowed</h1>
      <p>
        Only {who} of {organization.name} can see this page, {title}. Your roles here:{" "}
        {describeRoles(roles)}.
      </p>
      <p>
        <Link to={`/orgs/${encodeURIComponent(organization.orgId)}`}>Go to the overview</Link>
      </p>
    </section>
  );
}
