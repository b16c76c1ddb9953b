import { useId, useState, type FormEvent } from "react";
import { api } from "../../api.ts";
import { Button } from "../../components/Button.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { Done, ErrorText } from "../components/Status.tsx";
import { useOrg } from "../context.tsx";
import { formatDate, formatMoney } from "../hooks.ts";
import type { Invoice, Plan, Subscription } from "../types.ts";
import { useAction } from "../../useAction.ts";

interface Props {
  subscription: Subscription;
  plan: Plan | undefined;
  onChanged: () => Promise<void>;
}

interface Update {
  subscription: Subscription;
  invoice: Invoice | null;
}

/** One live subscription: seat use, cost, seat count changes, cancel and resume. */
export function SubscriptionCard({ subscription: sub, plan, onChanged }: Props) {
  const { organization } = useOrg();
  const [seats, setSeats] = useState(String(sub.nextPeriodSeats ?? sub.seats));
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const id = useId();
  const path =
    `/organizations/${encodeURIComponent(organization.orgId)}` +
    `/subscriptions/${encodeURIComponent(sub.subscriptionId)}`;

  /** Sends a change and says what it did; throws what the API refused. */
  async function send(body: { seats?: number; cancel?: boolean }, words: (u: Update) => string) {
    setDone(null);
    const answer = await api<Update>("PATCH", path, body);
    setDone(words(answer));
    await onChanged();
  }

  function changeSeats(event: FormEvent) {
    event.preventDefault();
    const count = Number.parseInt(seats, 10);
    void run(() =>
      send({ seats: count }, ({ invoice }) =>
        count > sub.seats
          ? `Now ${count} seats.` +
            (invoice
              ? ` Invoiced ${formatMoney(invoice.amount, invoice.currency)} for the rest of this period.`
              : "")
          : `From ${formatDate(sub.currentPeriodEnd)} the subscription has ${count} seats.`,
      ),
    );
  }

  const cancelled = sub.status === "cancelled";
  const periodWord = sub.period === "month" ? "month" : "year";

  return (
    <section className="org-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {sub.product} {plan ? `— ${plan.name}` : ""}
      </h2>
      <SeatMeter used={sub.seatsInUse} total={sub.seats} />
      <dl className="org-facts">
        <dt>Status</dt>
        <dd>
          {cancelled
            ? `Cancelled: ends ${formatDate(sub.currentPeriodEnd)}`
            : `Active, renews ${formatDate(sub.currentPeriodEnd)}`}
        </dd>
        <dt>Cost per {periodWord}</dt>
        <dd>
          {formatMoney(sub.costPerPeriod, sub.currency)} ({sub.seats} ×{" "}
          {formatMoney(sub.pricePerSeat, sub.currency)})
        </dd>
        <dt>This period</dt>
        <dd>
          {formatDate(sub.currentPeriodStart)} – {formatDate(sub.currentPeriodEnd)}
        </dd>
        {sub.nextPeriodSeats !== null && (
          <>
            <dt>Next period</dt>
            <dd>
              {sub.nextPeriodSeats} seats from {formatDate(sub.currentPeriodEnd)}
            </dd>
          </>
        )}
      </dl>
      <Done>{done}</Done>
      {!cancelled && (
        <form className="org-inline-form" onSubmit={changeSeats}>
          <div className="field">
            <label htmlFor={`${id}-seats`}>New seat count for {sub.product}</label>
            <input
              id={`${id}-seats`}
              type="number"
              min={Math.max(1, sub.seatsInUse)}
              step={1}
              required
              value={seats}
              aria-describedby={`${id}-seats-hint`}
              onChange={(event) => setSeats(event.target.value)}
            />
            <p id={`${id}-seats-hint`} className="field-hint">
              Added seats count at once, invoiced for the rest of this period. Fewer seats apply
              from the next period, and never below the seats in use ({sub.seatsInUse}).
            </p>
          </div>
          <Button type="submit" busy={busy}>
            Change seats
          </Button>
        </form>
      )}
      <ErrorText error={error} />
      <div className="actions">
        {cancelled ? (
          <Button
            busy={busy}
            onClick={() =>
              void run(() => send({ cancel: false }, () => "The subscription renews again."))
            }
          >
            Resume subscription
          </Button>
        ) : (
          <Button variant="danger" onClick={() => setCancelling(true)}>
            Cancel subscription
          </Button>
        )}
      </div>
      <ConfirmDialog
        open={cancelling}
        title={`Cancel the ${sub.product} subscription`}
        confirmLabel="Cancel subscription"
        cancelLabel="Keep subscription"
        danger
        onClose={() => setCancelling(false)}
        // The dialog shows its own failure, so this runs outside the card's action.
        onConfirm={() =>
          send(
            { cancel: true },
            () => `Cancelled. Seats and tokens work until ${formatDate(sub.currentPeriodEnd)}.`,
          )
        }
      >
        <p>
          The subscription runs to the end of this period, {formatDate(sub.currentPeriodEnd)}, and
          then ends: its seats are freed and tokens covered only by it stop working. You can resume
          it until then.
        </p>
      </ConfirmDialog>
    </section>
  );
}

/** "N of M seats used" with a bar. */
export function SeatMeter({ used, total }: { used: number; total: number }) {
  const id = useId();

  return (
    <div className="org-meter">
      <span id={id}>
        {used} of {total} seats used
      </span>
      <meter aria-labelledby={id} min={0} max={Math.max(total, 1)} value={used} high={total}>
        {used} of {total}
      </meter>
    </div>
  );
}
