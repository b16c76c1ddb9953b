import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Button } from "../../components/Button.tsx";
import { StepHeading } from "./StepHeading.tsx";

interface Props {
  /** The columns that could each be the address column. */
  candidates: string[];
  /** Every column of the file, in order. */
  columns: string[];
  busy: boolean;
  onChoose: (column: string) => void;
  onBack: () => void;
  /** What went wrong with the last upload, shown above the buttons. */
  children: ReactNode;
}

/** Asks which of several columns holds the email addresses, when the file does not say. */
export function ColumnChoice(props: Props) {
  const { candidates, columns, busy, onChoose, onBack } = props;
  const [chosen, setChosen] = useState(candidates[0] ?? "");
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (chosen) onChoose(chosen);
  }

  return (
    <form onSubmit={submit}>
      <StepHeading>Which column holds the email addresses?</StepHeading>
      <p>
        More than one column of this file could be the address column. Choose the one to invite
        from; the others are not used.
      </p>
      <fieldset className="upload-columns">
        <legend>Address column</legend>
        {candidates.map((column, index) => (
          <div key={column} className="upload-column">
            <input
              type="radio"
              id={`${id}-${index}`}
              name={`${id}-column`}
              value={column}
              checked={chosen === column}
              onChange={() => setChosen(column)}
            />
            <label htmlFor={`${id}-${index}`}>{column}</label>
          </div>
        ))}
      </fieldset>
      <p className="org-hint">The file’s columns: {columns.join(", ")}.</p>
      {props.children}
      <div className="org-actions">
        <Button type="submit" variant="primary" busy={busy} disabled={!chosen}>
          {busy ? "Checking…" : "Use this column"}
        </Button>
        <Button onClick={onBack}>Choose another file</Button>
      </div>
    </form>
  );
}
