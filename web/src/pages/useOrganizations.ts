import { useEffect, useState } from "react";
import { api } from "../api.ts";
import type { MyOrganization } from "./roles.ts";

export interface OrganizationsState {
  organizations: MyOrganization[] | null;
  error: unknown;
}

/** The signed-in person's organizations with their roles. */
export function useOrganizations(): OrganizationsState {
  const [state, setState] = useState<OrganizationsState>({ organizations: null, error: null });

  useEffect(() => {
    let current = true;
    api<{ organizations: MyOrganization[] }>("GET", "/organizations").then(
      (answer) => current && setState({ organizations: answer.organizations, error: null }),
      (error: unknown) => current && setState({ organizations: null, error }),
    );

    return () => {
      current = false;
    };
  }, []);

  return state;
}
