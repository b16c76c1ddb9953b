import { Type } from "typebox";

/** A member's role flags; account and billing admin are independent of each other. */
export const Roles = Type.Object({
  owner: Type.Boolean(),
  accountAdmin: Type.Boolean(),
  billingAdmin: Type.Boolean(),
});
