import { hash, randomBytes } from "node:crypto";

/** A random secret for a link: 32 bytes, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of a secret or token: all the database ever keeps of one. */
export function sha256(value: string): Buffer {
  // The one-shot form: half the cost of a Hash object, and the token check hashes every time.
  return hash("sha256", value, "buffer");
}

/** The same in hex, as a string: the token check's cache key, with no buffer made. */
export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}
