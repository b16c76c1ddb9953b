import { Type } from "typebox";
import { addressKey } from "../addresses/address.ts";
import { AppError } from "../errors.ts";
import { Timestamp } from "../http/schemas.ts";
import type { SignedInUser } from "./session.ts";

const User = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  emailVerified: Type.Boolean(),
  createdAt: Timestamp,
});

/** The answer that carries an account. */
export const UserBody = Type.Object({ user: User });

export const Email = Type.String({ minLength: 1, maxLength: 320 });
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const Name = Type.String({ minLength: 1, maxLength: 100, pattern: "\\S" });

/** An account as the API shows it. */
export function userOut(user: SignedInUser | Record<string, unknown>) {
  const u = user as SignedInUser;
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    emailVerified: u.emailVerified,
    createdAt: new Date(u.createdAt).toISOString(),
  };
}

/** The address as the auth library stores it: our key, so accounts and invitations match. */
export function accountEmail(email: string): string {
  const key = addressKey(email);
  if (!key)
    throw new AppError("request.invalid", {
      fields: [{ path: "/email", message: "not an email address" }],
    });

  return key;
}
