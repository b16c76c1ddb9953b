import { Button } from "../../components/Button.tsx";
import { useEffect, useId, useState, type FormEvent } from "react";
import { api } from "../../api.ts";
import { Dialog } from "../../components/Dialog.tsx";
import { ErrorText } from "../components/Status.tsx";
import { useOrg } from "../context.tsx";
import type { SeatProduct } from "../seatProducts.ts";
import type { InviteResult, InviteRole } from "../types.ts";
import { describeInviteResult } from "./inviteWords.ts";
import { useAction } from "../../useAction.ts";

interface Props {
  open: boolean;
  products: SeatProduct[];
  onClose: () => void;
  onSent: () => void;
}

interface Answer {
  results: InviteResult[];
  counts: Record<"invited" | "alreadyMember" | "alreadyInvited" | "duplicate" | "invalid", number>;
}

/** Invites several addresses at once and shows what happened to each. */
export function InviteDialog({ open, products, onClose, onSent }: Props) {
  const { organization, abilities } = useOrg();
  const [emails, setEmails] = useState("");
  const [role, setRole] = useState<InviteRole>("member");
  const [seatProduct, setSeatProduct] = useState("");
  const { busy, error, run, reset } = useAction();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    setEmails("");
    setRole("member");
    setSeatProduct("");
    reset();
    setAnswer(null);
  }, [open, reset]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const path = `/organizations/${encodeURIComponent(organization.orgId)}/invitations`;
      const sent = await api<Answer>("POST", path, {
        emails,
        role,
        ...(seatProduct ? { seatProduct } : {}),
      });
      setAnswer(sent);
      onSent();
    });
  }

  return (
    <Dialog title="Invite Members" open={open} onClose={onClose}>
      {answer ? (
        <InviteOutcome answer={answer} onMore={() => setAnswer(null)} onClose={onClose} />
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <div className="field org-field">
            <label htmlFor={`${id}-emails`}>Emails</label>
            <textarea
              id={`${id}-emails`}
              rows={6}
              required
              value={emails}
              aria-describedby={`${id}-emails-hint`}
              onChange={(event) => setEmails(event.target.value)}
            />
            <p id={`${id}-emails-hint`} className="org-hint">
              Separate addresses with commas, semicolons, spaces or new lines, or paste a list such
              as “Ada Lovelace &lt;ada@example.com&gt;”.
            </p>
          </div>
          <div className="field org-field">
            <label htmlFor={`${id}-role`}>Role</label>
            <select
              id={`${id}-role`}
              value={role}
              onChange={(event) => setRole(event.target.value as InviteRole)}
            >
              <option value="member">Member</option>
              {abilities.grantAccountAdmin && <option value="account_admin">Account admin</option>}
              {abilities.grantBillingAdmin && <option value="billing_admin">Billing admin</option>}
            </select>
          </div>
          <div className="field org-field">
            <label htmlFor={`${id}-seat`}>Seat product</label>
            <select
              id={`${id}-seat`}
              value={seatProduct}
              onChange={(event) => setSeatProduct(event.target.value)}
            >
              <option value="">No seat</option>
              {products.map((p) => (
                <option key={p.product} value={p.product}>
                  {p.product}
                </option>
              ))}
            </select>
            <p className="org-hint">A seat is assigned when the invitation is accepted.</p>
          </div>
          <ErrorText error={error} />
          <div className="org-actions">
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? "Sending…" : "Send invitations"}
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

interface OutcomeProps {
  answer: Answer;
  onMore: () => void;
  onClose: () => void;
}

function InviteOutcome({ answer, onMore, onClose }: OutcomeProps) {
  const { counts, results } = answer;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const summary = [
    `${counts.invited} invited`,
    counts.alreadyMember && plural(counts.alreadyMember, "already a member", "already members"),
    counts.alreadyInvited && `${counts.alreadyInvited} already invited`,
    counts.duplicate && plural(counts.duplicate, "duplicate", "duplicates"),
    counts.invalid && `${counts.invalid} invalid`,
  ].filter(Boolean);

  return (
    <div>
      <p role="status">{summary.join(", ")}.</p>
      {/* A long list scrolls inside the dialog, so it takes the focus to scroll by keyboard. */}
      <ul className="org-results" tabIndex={0} aria-label="Result for each address">
        {results.map((result, index) => (
          <li key={index} className={result.outcome === "invited" ? "ok" : "not-ok"}>
            <strong>{result.email ?? result.input}</strong>: {describeInviteResult(result, results)}
          </li>
        ))}
      </ul>
      <div className="org-actions">
        <Button onClick={onMore}>Invite more</Button>
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </div>
    </div>
  );
}
