import type { Roles } from "./types.ts";

/** What the caller's roles let them see and do here; mirrors the server's permission matrix. */
export interface OrgAbilities {
  listMembers: boolean;
  manageMembers: boolean;
  manageInvitations: boolean;
  manageSeats: boolean;
  billing: boolean;
  audit: boolean;
  updateOrganization: boolean;
  deleteOrganization: boolean;
  grantAccountAdmin: boolean;
  grantBillingAdmin: boolean;
}

/** The abilities of a member with these roles (owners may do everything). */
export function abilitiesOf(roles: Roles): OrgAbilities {
  const { owner, accountAdmin, billingAdmin } = roles;
  const admin = owner || accountAdmin;

  return {
    listMembers: admin || billingAdmin,
    manageMembers: admin,
    manageInvitations: admin,
    manageSeats: admin,
    billing: owner || billingAdmin,
    audit: admin || billingAdmin,
    updateOrganization: owner,
    deleteOrganization: owner,
    grantAccountAdmin: owner || accountAdmin,
    grantBillingAdmin: owner || billingAdmin,
  };
}

/** One tab of the organization's navigation. */
export interface OrgTab {
  label: string;
  path: string;
  visible: (abilities: OrgAbilities) => boolean;
}

export const ORG_TABS: OrgTab[] = [
  { label: "Overview", path: "", visible: () => true },
  { label: "Members", path: "members", visible: (a) => a.listMembers },
  { label: "Invitations", path: "invitations", visible: (a) => a.manageInvitations },
  { label: "Subscriptions", path: "subscriptions", visible: (a) => a.billing },
  { label: "Token Access", path: "token", visible: () => true },
  { label: "Audit log", path: "audit", visible: (a) => a.audit },
  { label: "Settings", path: "settings", visible: () => true },
];

/** The roles as short words, e.g. "Owner, Account admin", or "Member" when none. */
export function describeRoles(roles: Roles): string {
  const names = [
    roles.owner ? "Owner" : null,
    roles.accountAdmin ? "Account admin" : null,
    roles.billingAdmin ? "Billing admin" : null,
  ].filter((name): name is string => name !== null);

  return names.length > 0 ? names.join(", ") : "Member";
}
