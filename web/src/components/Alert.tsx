import type { ReactNode } from "react";

export interface AlertProps {
  kind?: "error" | "success" | "info";
  children: ReactNode;
}

/** A message box: errors are announced at once (role=alert), other outcomes politely. */
export function Alert({ kind = "error", children }: AlertProps) {
  return (
    <div className={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
