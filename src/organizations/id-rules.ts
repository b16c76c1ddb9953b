import type { ErrorCode } from "../errors.ts";

/**
 * Organization IDs are the URL identifier of an organization: lowercase letters, digits and
 * single hyphens, 2 to 39 characters, starting and ending with a letter or digit. Words that
 * name the site's own pages or would mislead people are reserved.
 */
const FORMAT = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const MIN_LENGTH = 2;
const MAX_LENGTH = 39;

/** IDs no organization may take: the site's own paths and words that would mislead. */
export const RESERVED_ORGANIZATION_IDS: ReadonlySet<string> = new Set([
  "about",
  "account",
  "accounts",
  "admin",
  "administrator",
  "api",
  "app",
  "assets",
  "audit",
  "auth",
  "billing",
  "blog",
  "conda",
  "contact",
  "dashboard",
  "dev",
  "docs",
  "download",
  "downloads",
  "healthz",
  "help",
  "invitation",
  "invitations",
  "invite",
  "invoices",
  "login",
  "logout",
  "mail",
  "mailbox",
  "me",
  "members",
  "new",
  "null",
  "organization",
  "organizations",
  "orgs",
  "plans",
  "pricing",
  "privacy",
  "readyz",
  "register",
  "root",
  "seats",
  "security",
  "settings",
  "signin",
  "signout",
  "signup",
  "static",
  "status",
  "support",
  "system",
  "t",
  "tessera",
  "terms",
  "token",
  "tokens",
  "undefined",
  "user",
  "users",
  "www",
]);

/** Why an ID cannot be given out on its form alone, or undefined when its form is fine. */
export function organizationIdProblem(
  orgId: string,
): Extract<ErrorCode, "organization.id_invalid" | "organization.id_reserved"> | undefined {
  const fits = orgId.length >= MIN_LENGTH && orgId.length <= MAX_LENGTH && FORMAT.test(orgId);
  if (!fits) return "organization.id_invalid";
  if (RESERVED_ORGANIZATION_IDS.has(orgId)) return "organization.id_reserved";

  return undefined;
}
