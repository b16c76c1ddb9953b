import { useId, useState, type FormEvent } from "react";
import { api } from "../../api.ts";
import { Button } from "../../components/Button.tsx";
import { Done, ErrorText } from "../components/Status.tsx";
import { useOrg } from "../context.tsx";
import { formatMoney } from "../hooks.ts";
import type { Plan } from "../types.ts";
import { useAction } from "../../useAction.ts";

interface Props {
  /** Plans whose product has no live subscription yet. */
  plans: Plan[];
  allPlans: Plan[];
  onBought: () => Promise<void>;
}

const PER = { month: "month", year: "year" } as const;

/** Describes a plan's price, e.g. "Team, monthly — $15.00 per seat per month". */
export function describePlan(plan: Plan): string {
  return `${plan.name} — ${formatMoney(plan.pricePerSeat, plan.currency)} per seat per ${PER[plan.period]}`;
}

/** Buys a subscription: a plan and a number of seats. */
export function BuySeats({ plans, allPlans, onBought }: Props) {
  const { organization } = useOrg();
  const [planId, setPlanId] = useState("");
  const [seats, setSeats] = useState("5");
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string | null>(null);
  const id = useId();

  const plan = plans.find((p) => p.id === planId) ?? plans[0];
  const count = Number.parseInt(seats, 10);

  async function buy(event: FormEvent) {
    event.preventDefault();
    if (!plan) return;
    setDone(null);
    await run(async () => {
      const path = `/organizations/${encodeURIComponent(organization.orgId)}/subscriptions`;
      await api("POST", path, { planId: plan.id, seats: count });
      setDone(`Bought ${count} ${plan.product} seat${count === 1 ? "" : "s"} (${plan.name}).`);
      await onBought();
    });
  }

  return (
    <section aria-labelledby={`${id}-title`} className="org-card">
      <h2 id={`${id}-title`}>Buy seats</h2>
      <Done>{done}</Done>
      {plans.length === 0 ? (
        <p>
          {allPlans.length === 0
            ? "No plans are offered."
            : "Every product already has a subscription; change its seat count above."}
        </p>
      ) : (
        <form onSubmit={(event) => void buy(event)}>
          <div className="field">
            <label htmlFor={`${id}-plan`}>Plan</label>
            <select
              id={`${id}-plan`}
              value={plan?.id ?? ""}
              onChange={(event) => setPlanId(event.target.value)}
            >
              {plans.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.product}: {describePlan(p)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-seats`}>Seats</label>
            <input
              id={`${id}-seats`}
              type="number"
              min={1}
              step={1}
              required
              inputMode="numeric"
              value={seats}
              onChange={(event) => setSeats(event.target.value)}
            />
          </div>
          {plan && Number.isInteger(count) && count > 0 && (
            <p>
              Costs {formatMoney(plan.pricePerSeat * count, plan.currency)} per {PER[plan.period]},
              invoiced now for the first {PER[plan.period]}.
            </p>
          )}
          <ErrorText error={error} />
          <Button type="submit" variant="primary" busy={busy}>
            Buy seats
          </Button>
        </form>
      )}
    </section>
  );
}
