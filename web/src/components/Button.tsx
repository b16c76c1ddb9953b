import type { ButtonHTMLAttributes } from "react";
import { Spinner } from "./Loading.tsx";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: "primary" | "secondary" | "danger" | "link";
  /** Shows a spinner and refuses clicks while an action runs. */
  busy?: boolean;
}

/** A button; type="button" unless told otherwise, so it never submits a form by accident. */
export function Button({ variant = "secondary", busy, className, children, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={["button", `button-${variant}`, className].filter(Boolean).join(" ")}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && <Spinner />}
      {children}
    </button>
  );
}
