import { useEffect, useState } from "react";
import { api } from "../api.ts";

/**
 * A link to the development mailbox, shown only when this server keeps one (no SMTP
 * configured) and lets this browser read it.
 */
export function MailboxLink({ email }: { email?: string }) {
  const [available, setAvailable] = useState(false);

  useEffect(() => {
    const to = email ? `?to=${encodeURIComponent(email)}` : "";
    api("GET", `/dev/mailbox${to}`).then(
      () => setAvailable(true),
      () => setAvailable(false),
    );
  }, [email]);

  if (!available) return null;

  return (
    <p>
      This server has no mail service configured: its mail waits in the{" "}
      <a href="/dev/mailbox">development mailbox</a>.
    </p>
  );
}
