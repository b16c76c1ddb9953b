import { Link } from "react-router-dom";
import { useOrg } from "./context.tsx";
import { useDocumentTitle } from "../components/Page.tsx";

/** An unknown path inside an organization. */
export function NotFoundTab() {
  const { organization } = useOrg();
  useDocumentTitle("Page not found");

  return (
    <section>
      <h1>Page not found</h1>
      <p>
        This organization has no such page.{" "}
        <Link to={`/orgs/${encodeURIComponent(organization.orgId)}`}>Go to its overview</Link>.
      </p>
    </section>
  );
}
