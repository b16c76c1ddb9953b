import { Link } from "react-router-dom";
import { Page } from "../components/Page.tsx";
import { useSession } from "../session.tsx";

/** Any path the app does not know. */
export function NotFoundPage() {
  const { user } = useSession();

  return (
    <Page title="Page not found">
      <p>There is no page at this address.</p>
      <p>{user ? <Link to="/orgs">Your organizations</Link> : <Link to="/signin">Sign in</Link>}</p>
    </Page>
  );
}
