import { useMemo } from "react";
import { Link, NavLink, Outlet, useParams } from "react-router-dom";
import "./org.css";
import { api, ApiError } from "../api.ts";
import { abilitiesOf, describeRoles, ORG_TABS } from "./access.ts";
import { Loading } from "../components/Loading.tsx";
import { ErrorText } from "./components/Status.tsx";
import { OrgContext, type OrgState } from "./context.tsx";
import { useDocumentTitle } from "../components/Page.tsx";
import { useLoad } from "./hooks.ts";
import type { Organization, Roles } from "./types.ts";

interface OrgAnswer {
  organization: Organization;
  roles: Roles;
}

/** The organization's heading and tabs, shown as the caller's roles allow, around its pages. */
export function OrgLayout() {
  const { orgId = "" } = useParams();
  const loaded = useLoad(
    () => api<OrgAnswer>("GET", `/organizations/${encodeURIComponent(orgId)}`),
    [orgId],
  );
  const { data, error, loading, reload, setData } = loaded;

  const state = useMemo<OrgState | null>(() => {
    if (!data) return null;
    return {
      organization: data.organization,
      roles: data.roles,
      abilities: abilitiesOf(data.roles),
      setOrganization: (organization) => setData({ ...data, organization }),
      reload,
    };
  }, [data, reload, setData]);

  if (!state) {
    return <OrgPending orgId={orgId} error={loading ? null : error} />;
  }

  const { organization, roles, abilities } = state;
  const tabs = ORG_TABS.filter((tab) => tab.visible(abilities));
  const base = `/orgs/${encodeURIComponent(organization.orgId)}`;

  return (
    <OrgContext.Provider value={state}>
      <main id="main" className="page org-page">
        <header className="org-header">
          <p className="org-name">{organization.name}</p>
          <p className="org-meta">
            Organization ID <code>{organization.orgId}</code> · Your roles: {describeRoles(roles)}
          </p>
          <nav aria-label="Organization" className="org-tabs">
            <ul>
              {tabs.map((tab) => (
                <li key={tab.label}>
                  <NavLink to={tab.path ? `${base}/${tab.path}` : base} end>
                    {tab.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <Outlet />
      </main>
    </OrgContext.Provider>
  );
}

function OrgPending({ orgId, error }: { orgId: string; error: unknown }) {
  const notFound = error instanceof ApiError && error.status === 404;
  useDocumentTitle(notFound ? "Organization not found" : "Organization");

  if (!error) return <Loading label="Loading the organization…" />;

  return (
    <main id="main" className="page org-page">
      <h1>{notFound ? "Organization not found" : "Could not load the organization"}</h1>
      {notFound ? (
        <p>
          There is no organization <code>{orgId}</code> that you are a member of.
        </p>
      ) : (
        <ErrorText error={error} />
      )}
      <p>
        <Link to="/orgs">Back to your organizations</Link>
      </p>
    </main>
  );
}
