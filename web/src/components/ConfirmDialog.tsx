import { useState, type ReactNode } from "react";
import { describeError } from "../errors.ts";
import { Alert } from "./Alert.tsx";
import { Button } from "./Button.tsx";
import { Dialog } from "./Dialog.tsx";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Red confirm button, for what cannot be undone. */
  danger?: boolean;
  /** Runs the action; the dialog stays open with the error in plain words if it throws. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before an action, runs it, and shows its failure inside the dialog. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, danger, onConfirm, onClose } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} title={title} onClose={close}>
      <div className="confirm-text">{children}</div>
      {error !== null && <Alert>{describeError(error)}</Alert>}
      <div className="actions">
        <Button onClick={close}>Cancel</Button>
        <Button variant={danger ? "danger" : "primary"} busy={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
