import { OrganizationLinksPage } from "./OrganizationLinksPage.tsx";

/** Each organization's Token Access page, where a member with a seat gets their token. */
export function TokenAccessPage() {
  return (
    <OrganizationLinksPage
      title="Token Access"
      intro="Each organization gives its own access token to members who hold a seat there."
      tab="token"
      linkText="Open Token Access"
      empty="You belong to no organization yet."
    />
  );
}
