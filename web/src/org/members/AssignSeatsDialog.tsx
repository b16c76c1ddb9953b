import { Button } from "../../components/Button.tsx";
import { useEffect, useId, useState, type FormEvent } from "react";
import { api } from "../../api.ts";
import { Dialog } from "../../components/Dialog.tsx";
import { ErrorText } from "../components/Status.tsx";
import { useOrg } from "../context.tsx";
import { describeProduct, type SeatProduct } from "../seatProducts.ts";
import type { Member, SeatResult } from "../types.ts";
import { describeSeatOutcome } from "./seatWords.ts";
import { useAction } from "../../useAction.ts";

interface Props {
  open: boolean;
  members: Member[];
  products: SeatProduct[];
  onClose: () => void;
  onAssigned: () => void;
}

/** Assigns seats of one product to the selected members and shows each member's result. */
export function AssignSeatsDialog({ open, members, products, onClose, onAssigned }: Props) {
  const { organization } = useOrg();
  const [product, setProduct] = useState("");
  const { busy, error, run, reset } = useAction();
  const [results, setResults] = useState<SeatResult[] | null>(null);
  const [asked, setAsked] = useState<{ product: string; members: Member[] } | null>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    setProduct(products[0]?.product ?? "");
    setResults(null);
    reset();
  }, [open]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const path = `/organizations/${encodeURIComponent(organization.orgId)}/seats`;
      const answer = await api<{ results: SeatResult[] }>("POST", path, {
        product,
        userIds: members.map((m) => m.userId),
      });
      setAsked({ product, members });
      setResults(answer.results);
      onAssigned();
    });
  }

  return (
    <Dialog title="Assign seats" open={open} onClose={onClose}>
      {results && asked ? (
        <SeatResults results={results} product={asked.product} members={asked.members} />
      ) : products.length === 0 ? (
        <p>
          There is no live subscription to assign seats from. A billing admin or owner can buy seats
          on the Subscriptions page.
        </p>
      ) : (
        <form id={`${id}-form`} onSubmit={(event) => void submit(event)}>
          <p>
            Assign a seat to {members.length} selected member{members.length === 1 ? "" : "s"}:{" "}
            {members.map((m) => m.name).join(", ")}.
          </p>
          <div className="field org-field">
            <label htmlFor={id}>Product</label>
            <select id={id} value={product} onChange={(e) => setProduct(e.target.value)}>
              {products.map((p) => (
                <option key={p.product} value={p.product}>
                  {describeProduct(p)}
                </option>
              ))}
            </select>
          </div>
          <ErrorText error={error} />
        </form>
      )}
      <div className="org-actions">
        {!results && products.length > 0 && (
          <Button type="submit" form={`${id}-form`} variant="primary" disabled={busy}>
            {busy ? "Assigning…" : "Assign seats"}
          </Button>
        )}
        <Button onClick={onClose}>{results ? "Close" : "Cancel"}</Button>
      </div>
    </Dialog>
  );
}

interface ResultProps {
  results: SeatResult[];
  product: string;
  members: Member[];
}

function SeatResults({ results, product, members }: ResultProps) {
  const names = new Map(members.map((m) => [m.userId, m.name]));
  const assigned = results.filter((r) => r.outcome === "assigned").length;

  return (
    <div role="status">
      <p>
        Assigned {assigned} of {results.length} {product} seat{results.length === 1 ? "" : "s"}.
      </p>
      {/* A long list scrolls inside the dialog, so it takes the focus to scroll by keyboard. */}
      <ul className="org-results" tabIndex={0} aria-label="Result for each member">
        {results.map((result) => (
          <li key={result.userId} className={result.outcome === "assigned" ? "ok" : "not-ok"}>
            <strong>{names.get(result.userId) ?? result.userId}</strong>:{" "}
            {describeSeatOutcome(result, product)}
          </li>
        ))}
      </ul>
    </div>
  );
}
