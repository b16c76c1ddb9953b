import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateToken, isWellFormed, TOKEN_LENGTH, tokenHint } from "./format.ts";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Any character at all, including base62 ones, so substitutions inside the alphabet count. */
const anyCharacter = fc.oneof(
  fc.constantFrom(...BASE62.split("")),
  fc.string({ minLength: 1, maxLength: 1, unit: "binary" }),
);

describe("token format", () => {
  it("is tsr_, 22 base62 characters and a 6-character base62 checksum", () => {
    const token = generateToken();

    expect(token).toMatch(/^tsr_[0-9A-Za-z]{28}$/);
    expect(token).toHaveLength(TOKEN_LENGTH);
    expect(TOKEN_LENGTH).toBe(32);
    expect(isWellFormed(token)).toBe(true);
    expect(tokenHint(token)).toBe(token.slice(28));
  });

  it("draws different tokens each time", () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));

    expect(tokens.size).toBe(1000);
  });

  it("uses every base62 character in the random part, evenly enough", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      for (const char of generateToken().slice(4, 26))
        counts.set(char, (counts.get(char) ?? 0) + 1);
    }

    // 44,000 draws over 62 characters: about 710 each; a bias would show far outside this.
    expect(counts.size).toBe(62);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(550);
      expect(count).toBeLessThan(870);
    }
  });

  it("refuses what is not a token", () => {
    const token = generateToken();

    expect(isWellFormed("")).toBe(false);
    expect(isWellFormed("hello")).toBe(false);
    expect(isWellFormed(`ghp_${token.slice(4)}`)).toBe(false);
    expect(isWellFormed(`TSR_${token.slice(4)}`)).toBe(false);
    expect(isWellFormed(token.slice(0, -1))).toBe(false);
    expect(isWellFormed(`${token}0`)).toBe(false);
    expect(isWellFormed(`${token.slice(0, 10)}-${token.slice(11)}`)).toBe(false);
    expect(isWellFormed(` ${token.slice(1)}`)).toBe(false);
  });

  it("zero-pads a small checksum to 6 characters", () => {
    // Search for a random part whose CRC-32 needs fewer than 6 base62 digits (< 62^5).
    let token = generateToken();
    while (!token.slice(26).startsWith("0")) token = generateToken();

    expect(isWellFormed(token)).toBe(true);
    expect(token.slice(26)).toMatch(/^0[0-9A-Za-z]{5}$/);
  });

  it("property: every generated token is well-formed", () => {
    fc.assert(
      fc.property(fc.integer(), () => isWellFormed(generateToken())),
      { numRuns: 2000 },
    );
  });

  it("property: any single-character change to a well-formed token is malformed", () => {
    fc.assert(
      fc.property(
        fc.constant(null).map(() => generateToken()),
        fc.nat({ max: TOKEN_LENGTH - 1 }),
        anyCharacter,
        (token, at, replacement) => {
          fc.pre(token[at] !== replacement);
          const changed = token.slice(0, at) + replacement + token.slice(at + 1);

          return !isWellFormed(changed);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("detects every single-character change of one token, exhaustively over base62", () => {
    const token = generateToken();
    for (let at = 0; at < TOKEN_LENGTH; at++) {
      for (const char of BASE62 + "_-") {
        if (char === token[at]) continue;
        const changed = token.slice(0, at) + char + token.slice(at + 1);
        expect(isWellFormed(changed), `${at}:${char}`).toBe(false);
      }
    }
  });
});
