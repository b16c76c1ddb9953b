import { createContext, useContext } from "react";
import type { OrgAbilities } from "./access.ts";
import type { Organization, Roles } from "./types.ts";

/** The organization the pages are inside, as OrgLayout loaded it. */
export interface OrgState {
  organization: Organization;
  roles: Roles;
  abilities: OrgAbilities;
  /** Replaces the organization after an update answered it. */
  setOrganization: (organization: Organization) => void;
  /** Loads the organization and the caller's roles again. */
  reload: () => Promise<void>;
}

export const OrgContext = createContext<OrgState | null>(null);

/** The current organization; only inside OrgLayout. */
export function useOrg(): OrgState {
  const state = useContext(OrgContext);
  if (!state) throw new Error("useOrg is used outside OrgLayout");

  return state;
}
