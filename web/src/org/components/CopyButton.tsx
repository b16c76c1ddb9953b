import { Button } from "../../components/Button.tsx";
import { useState } from "react";

interface Props {
  text: string;
  /** The visible label, e.g. "Copy token". */
  label: string;
}

/** Copies text to the clipboard and says whether it worked. */
export function CopyButton({ text, label }: Props) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  }

  return (
    <span className="org-copy">
      <Button onClick={() => void copy()}>{label}</Button>
      <span role="status" className="org-hint">
        {state === "copied" && "Copied."}
        {state === "failed" && "Could not copy; select the text and copy it by hand."}
      </span>
    </span>
  );
}
