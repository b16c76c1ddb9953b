import type { SeatResult } from "../types.ts";

/** A seat assignment's outcome in plain words. */
export function describeSeatOutcome(result: SeatResult, product: string): string {
  switch (result.outcome) {
    case "assigned":
      return `Assigned a ${product} seat.`;
    case "already_assigned":
      return `Already holds a ${product} seat.`;
    case "not_member":
      return "Is no longer a member of this organization.";
    case "limit_reached":
      return `Every ${product} seat is taken; buy more seats first.`;
    case "no_subscription":
      return `The organization has no live ${product} subscription.`;
  }
}
