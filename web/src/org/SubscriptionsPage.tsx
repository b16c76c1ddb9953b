import { api } from "../api.ts";
import { EmptyState } from "../components/EmptyState.tsx";
import { Loading } from "../components/Loading.tsx";
import { ErrorText } from "./components/Status.tsx";
import { useOrg } from "./context.tsx";
import { formatDate, formatMoney, useLoad } from "./hooks.ts";
import { Restricted } from "./Restricted.tsx";
import { isLive } from "./seatProducts.ts";
import { BuySeats } from "./subscriptions/BuySeats.tsx";
import { SubscriptionCard } from "./subscriptions/SubscriptionCard.tsx";
import type { Invoice, Plan, Subscription } from "./types.ts";

interface Billing {
  plans: Plan[];
  subscriptions: Subscription[];
  invoices: Invoice[];
}

const KIND_WORDS = { purchase: "Purchase", renewal: "Renewal", seats_added: "Seats added" };

/** Plans to buy, the organization's subscriptions with their seat use, and its invoices. */
export function SubscriptionsPage() {
  const { abilities } = useOrg();

  return (
    <Restricted title="Subscriptions" allowed={abilities.billing} who="owners and billing admins">
      <Subscriptions />
    </Restricted>
  );
}

function Subscriptions() {
  const { organization } = useOrg();
  const base = `/organizations/${encodeURIComponent(organization.orgId)}`;
  const billing = useLoad(async (): Promise<Billing> => {
    const [plans, subscriptions, invoices] = await Promise.all([
      api<{ plans: Plan[] }>("GET", "/plans"),
      api<{ subscriptions: Subscription[] }>("GET", `${base}/subscriptions`),
      api<{ invoices: Invoice[] }>("GET", `${base}/invoices`),
    ]);
    return { ...plans, ...subscriptions, ...invoices };
  }, [base]);

  const data = billing.data;
  const reload = billing.reload;
  const live = data?.subscriptions.filter((s) => isLive(s)) ?? [];
  const ended = data?.subscriptions.filter((s) => !isLive(s)) ?? [];
  const buyable = data?.plans.filter((p) => !live.some((s) => s.product === p.product)) ?? [];

  return (
    <section>
      <h1>Subscriptions</h1>
      <ErrorText error={billing.error} />
      {billing.loading && !data && <Loading label="Loading subscriptions…" />}
      {data && (
        <>
          {live.length === 0 && (
            <EmptyState title="No subscription yet.">
              <p>Buy seats below; then assign them to members on the Members page.</p>
            </EmptyState>
          )}
          {live.map((subscription) => (
            <SubscriptionCard
              key={subscription.subscriptionId}
              subscription={subscription}
              plan={data.plans.find((p) => p.id === subscription.planId)}
              onChanged={reload}
            />
          ))}
          <BuySeats plans={buyable} allPlans={data.plans} onBought={reload} />
          {ended.length > 0 && <EndedSubscriptions subscriptions={ended} />}
          <Invoices invoices={data.invoices} />
        </>
      )}
    </section>
  );
}

function EndedSubscriptions({ subscriptions }: { subscriptions: Subscription[] }) {
  return (
    <section aria-labelledby="org-ended">
      <h2 id="org-ended">Ended subscriptions</h2>
      <ul>
        {subscriptions.map((s) => (
          <li key={s.subscriptionId}>
            {s.product}: {s.seats} seats, ended {formatDate(s.currentPeriodEnd)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Invoices({ invoices }: { invoices: Invoice[] }) {
  return (
    <section aria-labelledby="org-invoices">
      <h2 id="org-invoices">Invoices</h2>
      {invoices.length === 0 ? (
        <EmptyState title="No invoices yet." />
      ) : (
        <div className="org-table-scroll" tabIndex={0} role="region" aria-label="Invoices table">
          <table className="org-table">
            <thead>
              <tr>
                <th scope="col">Issued</th>
                <th scope="col">Description</th>
                <th scope="col">Kind</th>
                <th scope="col">Seats</th>
                <th scope="col">Period</th>
                <th scope="col" className="org-number">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((invoice) => (
                <tr key={invoice.invoiceId}>
                  <td>{formatDate(invoice.issuedAt)}</td>
                  <td>{invoice.description}</td>
                  <td>{KIND_WORDS[invoice.kind]}</td>
                  <td>{invoice.seats}</td>
                  <td>
                    {formatDate(invoice.periodStart)} – {formatDate(invoice.periodEnd)}
                  </td>
                  <td className="org-number">{formatMoney(invoice.amount, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
