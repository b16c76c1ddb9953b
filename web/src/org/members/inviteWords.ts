import type { InviteResult } from "../types.ts";

const REASONS: Record<NonNullable<InviteResult["reason"]>, string> = {
  invalid_email: "this is not a valid email address",
  missing_email: "no email address was found in it",
  unsupported_local_part:
    "addresses with non-ASCII letters before the @ cannot be delivered to yet",
};

/** What happened to one address of an invitation request, in plain words. */
export function describeInviteResult(result: InviteResult, all: InviteResult[]): string {
  switch (result.outcome) {
    case "invited":
      return "Invited: an invitation was mailed.";
    case "already_member":
      return "Already a member of this organization; nothing sent.";
    case "already_invited":
      return "Already invited: an invitation is still pending (you can resend it).";
    case "duplicate": {
      const first = result.duplicateOf === undefined ? undefined : all[result.duplicateOf];
      const where = first ? ` as "${first.input}"` : "";
      return `Duplicate: this address is already in the list${where}.`;
    }
    case "invalid":
      return `Not sent: ${result.reason ? REASONS[result.reason] : "this address is not valid"}.`;
  }
}
