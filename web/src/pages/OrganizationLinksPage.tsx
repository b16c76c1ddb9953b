import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { Alert } from "../components/Alert.tsx";
import { EmptyState } from "../components/EmptyState.tsx";
import { Loading } from "../components/Loading.tsx";
import { Page } from "../components/Page.tsx";
import { describeError } from "../errors.ts";
import type { MyOrganization } from "./roles.ts";
import { roleWords } from "./roles.ts";
import { useOrganizations } from "./useOrganizations.ts";

export interface OrganizationLinksProps {
  title: string;
  intro: ReactNode;
  /** The organization page each row links to, under /orgs/:orgId/. */
  tab: string;
  linkText: string;
  /** Whether this person's roles reach the page in that organization. */
  reaches?: (org: MyOrganization) => boolean;
  /** Said when no organization qualifies. */
  empty: string;
}

/** A list across the person's organizations, each row linking to one organization's page. */
export function OrganizationLinksPage(props: OrganizationLinksProps) {
  const { title, intro, tab, linkText, reaches = () => true, empty } = props;
  const { organizations, error } = useOrganizations();
  const shown = organizations?.filter(reaches) ?? null;

  return (
    <Page title={title}>
      <p>{intro}</p>
      {error !== null && <Alert>{describeError(error)}</Alert>}
      {shown === null && error === null && <Loading />}
      {shown?.length === 0 && (
        <EmptyState title={empty}>
          <p>
            <Link to="/orgs">Your organizations</Link>
          </p>
        </EmptyState>
      )}
      {shown && shown.length > 0 && (
        <ul className="card-list">
          {shown.map((org) => (
            <li key={org.orgId} className="card">
              <div>
                <strong>{org.name}</strong> <code>{org.orgId}</code>
                <div className="muted">{roleWords(org.roles)}</div>
              </div>
              <Link to={`/orgs/${org.orgId}/${tab}`} aria-label={`${linkText}: ${org.name}`}>
                {linkText}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
