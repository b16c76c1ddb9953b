import { createHash, randomBytes } from "node:crypto";

/** A random secret for a link: 32 bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of a secret or token: all the database ever keeps of one. */
export function sha256(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
