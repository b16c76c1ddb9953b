import type { ReactNode } from "react";
import { Alert } from "../../components/Alert.tsx";
import { describeError } from "../../errors.ts";

/** An error in plain words, announced at once; nothing when there is no error. */
export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;

  return <Alert>{describeError(error)}</Alert>;
}

/** A success message, announced politely; nothing when there is none. */
export function Done({ children }: { children: ReactNode }) {
  if (!children) return null;

  return <Alert kind="success">{children}</Alert>;
}
