import { useId, type FormEvent, type ReactNode } from "react";
import { Button } from "../../components/Button.tsx";
import { useOrg } from "../context.tsx";
import type { SeatProduct } from "../seatProducts.ts";
import type { InviteRole } from "../types.ts";
import { FileChooser } from "./FileChooser.tsx";

/** What the person chose before sending the file. */
export interface FileChoices {
  file: File | null;
  role: InviteRole;
  seatProduct: string;
}

interface Props {
  choices: FileChoices;
  onChange: (choices: FileChoices) => void;
  products: SeatProduct[];
  busy: boolean;
  onUpload: () => void;
  onCancel: () => void;
  /** What went wrong with the last upload, shown above the buttons. */
  children: ReactNode;
}

/** The first step of a bulk upload: the file, and the role and seat its invitations give. */
export function ChooseFileForm(props: Props) {
  const { abilities } = useOrg();
  const { choices, onChange } = props;
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    props.onUpload();
  }

  return (
    <form className="upload-form" onSubmit={submit}>
      <FileChooser file={choices.file} onFile={(file) => onChange({ ...choices, file })} />
      <div className="field org-field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select
          id={`${id}-role`}
          value={choices.role}
          aria-describedby={`${id}-role-hint`}
          onChange={(event) => onChange({ ...choices, role: event.target.value as InviteRole })}
        >
          <option value="member">Member</option>
          {abilities.grantAccountAdmin && <option value="account_admin">Account admin</option>}
          {abilities.grantBillingAdmin && <option value="billing_admin">Billing admin</option>}
        </select>
        <p id={`${id}-role-hint`} className="org-hint">
          For each row, unless the file has a role column that says otherwise.
        </p>
      </div>
      <div className="field org-field">
        <label htmlFor={`${id}-seat`}>Seat product</label>
        <select
          id={`${id}-seat`}
          value={choices.seatProduct}
          aria-describedby={`${id}-seat-hint`}
          onChange={(event) => onChange({ ...choices, seatProduct: event.target.value })}
        >
          <option value="">No seat</option>
          {props.products.map((p) => (
            <option key={p.product} value={p.product}>
              {p.product}
            </option>
          ))}
        </select>
        <p id={`${id}-seat-hint`} className="org-hint">
          A seat is assigned when the invitation is accepted.
        </p>
      </div>
      {props.children}
      <p className="org-hint">Nothing is sent until you have seen the result and confirmed.</p>
      <div className="org-actions">
        <Button type="submit" variant="primary" busy={props.busy}>
          {props.busy ? "Checking…" : "Upload and check"}
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
