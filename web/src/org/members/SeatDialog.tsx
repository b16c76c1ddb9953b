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
  mode: "assign" | "revoke";
  open: boolean;
  member: Member;
  products: SeatProduct[];
  onClose: () => void;
  onDone: (message: string) => void;
}

/** Picks a product and assigns a seat of it to one member, or revokes one they hold. */
export function SeatDialog({ mode, open, member, products, onClose, onDone }: Props) {
  const { organization } = useOrg();
  const held = member.seats.map((s) => s.product);
  const choices =
    mode === "assign"
      ? products
          .filter((p) => !held.includes(p.product))
          .map((p) => [p.product, describeProduct(p)])
      : held.map((product) => [product, product]);
  const [product, setProduct] = useState("");
  const { busy, error, run, reset } = useAction();
  const id = useId();

  useEffect(() => {
    if (open) {
      setProduct(choices[0]?.[0] ?? "");
      reset();
    }
  }, [open]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const base = `/organizations/${encodeURIComponent(organization.orgId)}/seats`;
      if (mode === "assign") {
        const { results } = await api<{ results: SeatResult[] }>("POST", base, {
          product,
          userIds: [member.userId],
        });
        const result = results[0];
        // A refusal comes as this member's outcome, not as an error answer.
        if (result && result.outcome !== "assigned") {
          throw new Error(describeSeatOutcome(result, product));
        }
        onDone(`${member.name} now holds a ${product} seat.`);
      } else {
        const path = `${base}/${encodeURIComponent(product)}/${encodeURIComponent(member.userId)}`;
        await api("DELETE", path);
        onDone(`${member.name}'s ${product} seat was revoked.`);
      }
      onClose();
    });
  }

  const title = mode === "assign" ? "Assign seat" : "Revoke seat";

  return (
    <Dialog title={`${title} — ${member.name}`} open={open} onClose={onClose}>
      {choices.length === 0 ? (
        <p>
          {mode === "assign"
            ? "There is no subscription with a product this member lacks. A billing admin or " +
              "owner can buy seats on the Subscriptions page."
            : "This member holds no seat."}
        </p>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <div className="field org-field">
            <label htmlFor={id}>Product</label>
            <select id={id} value={product} onChange={(e) => setProduct(e.target.value)}>
              {choices.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          {mode === "revoke" && (
            <p>If this is their last seat, their token stops working at once.</p>
          )}
          <ErrorText error={error} />
          <div className="org-actions">
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? "Working…" : title}
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
