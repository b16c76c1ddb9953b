import { Link, useNavigate } from "react-router-dom";
import { useSession } from "../session.tsx";
import { Menu } from "./Menu.tsx";

/** The bar on every page: the name home, and for a signed-in person the profile menu. */
export function Header() {
  const { user, loading, signOut } = useSession();
  const navigate = useNavigate();

  const leave = () => {
    signOut().then(
      () => navigate("/signin"),
      () => navigate("/signin"),
    );
  };

  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to={user ? "/orgs" : "/"} className="brand">
        Tessera
      </Link>
      {!loading && user && (
        <Menu
          label={user.name}
          ariaLabel={`Profile menu for ${user.name}`}
          align="right"
          className="profile-menu"
          items={[
            { label: "Organizations", to: "/orgs" },
            { label: "Subscriptions", to: "/subscriptions" },
            { label: "Token Access", to: "/token-access" },
            { label: "Account", to: "/account" },
            { label: "Sign out", onSelect: leave },
          ]}
        />
      )}
    </header>
  );
}
