/** A member's role flags, as the API answers them. */
export interface Roles {
  owner: boolean;
  accountAdmin: boolean;
  billingAdmin: boolean;
}

/** One organization of the signed-in person, as listMyOrganizations answers it. */
export interface MyOrganization {
  orgId: string;
  name: string;
  roles: Roles;
  joinedAt: string;
}

/** The roles in words: "Owner, Account admin", or "Member" for none. */
export function roleWords(roles: Roles): string {
  const words = [
    roles.owner ? "Owner" : "",
    roles.accountAdmin ? "Account admin" : "",
    roles.billingAdmin ? "Billing admin" : "",
  ].filter(Boolean);

  return words.length > 0 ? words.join(", ") : "Member";
}

/** A date in the reader's own words, e.g. "4 Dec 2025". */
export function dateWords(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
}
