import type { ReactNode } from "react";
import { describeError } from "../errors.ts";
import { useAction } from "../useAction.ts";
import { Alert } from "./Alert.tsx";
import { Button } from "./Button.tsx";
import { Dialog } from "./Dialog.tsx";

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The button that closes without acting; say what it keeps when "Cancel" is ambiguous. */
  cancelLabel?: string;
  /** Red confirm button, for what cannot be undone. */
  danger?: boolean;
  /** Runs the action; the dialog stays open with the error in plain words if it throws. */
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** Asks before an action, runs it, and shows its failure inside the dialog. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, cancelLabel = "Cancel", danger } = props;
  const { onConfirm, onClose } = props;
  const { busy, error, run, reset } = useAction();

  const close = () => {
    reset();
    onClose();
  };

  const confirm = async () => {
    await run(async () => {
      await onConfirm();
      onClose();
    });
  };

  return (
    <Dialog open={open} title={title} onClose={close}>
      <div className="confirm-text">{children}</div>
      {error !== null && <Alert>{describeError(error)}</Alert>}
      <div className="actions">
        <Button onClick={close}>{cancelLabel}</Button>
        <Button variant={danger ? "danger" : "primary"} busy={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
