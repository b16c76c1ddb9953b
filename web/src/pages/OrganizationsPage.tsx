import { useState } from "react";
import { Link } from "react-router-dom";
import { Alert } from "../components/Alert.tsx";
import { Button } from "../components/Button.tsx";
import { EmptyState } from "../components/EmptyState.tsx";
import { Loading } from "../components/Loading.tsx";
import { Page } from "../components/Page.tsx";
import { describeError } from "../errors.ts";
import { NewOrganizationDialog } from "./NewOrganizationDialog.tsx";
import { dateWords, roleWords } from "./roles.ts";
import { useOrganizations } from "./useOrganizations.ts";

/** Every organization of the signed-in person with their roles, and forming a new one. */
export function OrganizationsPage() {
  const { organizations, error } = useOrganizations();
  const [forming, setForming] = useState(false);

  return (
    <Page title="Organizations">
      <div className="toolbar">
        <Button variant="primary" onClick={() => setForming(true)}>
          Form New Organization
        </Button>
      </div>
      {error !== null && <Alert>{describeError(error)}</Alert>}
      {organizations === null && error === null && <Loading />}
      {organizations?.length === 0 && (
        <EmptyState title="You belong to no organization yet.">
          <p>Form one to buy seats and invite your team, or accept an invitation you were sent.</p>
        </EmptyState>
      )}
      {organizations && organizations.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Organization</th>
                <th scope="col">ID</th>
                <th scope="col">Your roles</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {organizations.map((org) => (
                <tr key={org.orgId}>
                  <td>
                    <Link to={`/orgs/${org.orgId}`}>{org.name}</Link>
                  </td>
                  <td>
                    <code>{org.orgId}</code>
                  </td>
                  <td>{roleWords(org.roles)}</td>
                  <td>{dateWords(org.joinedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <NewOrganizationDialog open={forming} onClose={() => setForming(false)} />
    </Page>
  );
}
