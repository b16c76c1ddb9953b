import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * The token format: `tsr_`, 22 random base62 characters (about 131 bits), then a 6-character
 * base62 checksum, the CRC-32 of the random characters. The prefix lets a secret scanner
 * recognise a leaked token; the checksum lets the check refuse a mistyped one without a lookup.
 * Shape: `tsr_` + 22 random characters + 6 checksum characters, 32 in all.
 */
export const TOKEN_PREFIX = "tsr_";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 22;
const CHECKSUM_LENGTH = 6;

/** Prefix, random part and checksum: 32 characters. */
export const TOKEN_LENGTH = TOKEN_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;

// Bytes from 248 up are dropped, so every character is equally likely (248 = 4 * 62).
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);
const BASE62 = /^[0-9A-Za-z]*$/;

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }

  return out;
}

/** CRC-32 of the random part in base62, zero-padded; 62^6 exceeds 2^32, so it always fits. */
function checksum(random: string): string {
  let value = crc32(random);
  let out = "";
  while (value > 0) {
    out = ALPHABET[value % ALPHABET.length] + out;
    value = Math.floor(value / ALPHABET.length);
  }

  return out.padStart(CHECKSUM_LENGTH, "0");
}

/** A new random token, in the format above. */
export function generateToken(): string {
  const random = randomBase62(RANDOM_LENGTH);

  return TOKEN_PREFIX + random + checksum(random);
}

/**
 * True when `token` has the prefix, the length, only base62 characters after the prefix, and
 * a checksum that matches its random part. Says nothing about whether the token exists.
 */
export function isWellFormed(token: string): boolean {
  if (token.length !== TOKEN_LENGTH || !token.startsWith(TOKEN_PREFIX)) return false;

  const body = token.slice(TOKEN_PREFIX.length);
  if (!BASE62.test(body)) return false;

  const random = body.slice(0, RANDOM_LENGTH);

  return body.slice(RANDOM_LENGTH) === checksum(random);
}

/** What a person may see of a token to tell it apart: its last 4 characters. */
export function tokenHint(token: string): string {
  return token.slice(-4);
}
