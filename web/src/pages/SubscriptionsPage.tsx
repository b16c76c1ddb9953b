import { OrganizationLinksPage } from "./OrganizationLinksPage.tsx";

/** The organizations whose subscriptions this person manages (owners and billing admins). */
export function SubscriptionsPage() {
  return (
    <OrganizationLinksPage
      title="Subscriptions"
      intro="Subscriptions, seats and invoices are kept per organization. Owners and billing admins manage them."
      tab="subscriptions"
      linkText="Manage subscriptions"
      reaches={(org) => org.roles.owner || org.roles.billingAdmin}
      empty="You manage the subscriptions of no organization."
    />
  );
}
