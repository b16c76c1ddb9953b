import { describe, expect, it } from "vitest";
import { sha256Hex } from "../secrets.ts";
import { AnswerCache, type Standing } from "./cache.ts";

const TTL = 5_000;

function good(orgId: string): Standing {
  return {
    kind: "good",
    orgId,
    tokenId: `token-of-${orgId}`,
    products: ["conda"],
    yes: { ok: true, organization: orgId, products: ["conda"] },
  };
}

function filled(entries: number, max = 100) {
  const cache = new AnswerCache(TTL, max);
  const keys = Array.from({ length: entries }, (_, i) => sha256Hex(`token ${i}`));
  for (const key of keys) cache.set(key, good("acme"), cache.epoch, 0);

  return { cache, keys };
}

describe("the answer cache", () => {
  it("serves an answer until its TTL, or an earlier end, and not after", () => {
    const cache = new AnswerCache(TTL, 10);
    const [long, short] = [sha256Hex("long"), sha256Hex("short")];
    cache.set(long, good("acme"), cache.epoch, 0);
    cache.set(short, good("acme"), cache.epoch, 0, 1_000);

    expect(cache.get(long, TTL - 1)).toEqual(good("acme"));
    expect(cache.get(long, TTL)).toBeUndefined();
    expect(cache.get(short, 999)).toEqual(good("acme"));
    expect(cache.get(short, 1_000)).toBeUndefined();
  });

  it("never answers for a different hash that shares the lookup prefix", () => {
    const cache = new AnswerCache(TTL, 10);
    const key = sha256Hex("a token");
    const twin = key.slice(0, 16) + "0".repeat(48);
    cache.set(key, good("acme"), cache.epoch, 0);

    expect(cache.get(twin, 1)).toBeUndefined();
    expect(cache.get(key, 1)).toEqual(good("acme"));
  });

  it("lets the oldest answers go past its bound", () => {
    const { cache, keys } = filled(5, 3);

    expect(cache.size).toBe(3);
    expect(keys.map((key) => cache.get(key, 1) !== undefined)).toEqual([
      false,
      false,
      true,
      true,
      true,
    ]);
  });

  it("drops an organization's answers and one hash, and keeps the rest", () => {
    const cache = new AnswerCache(TTL, 10);
    const [a, b, c] = ["a", "b", "c"].map(sha256Hex) as [string, string, string];
    cache.set(a, good("acme"), cache.epoch, 0);
    cache.set(b, good("globex"), cache.epoch, 0);
    cache.set(c, { kind: "unknown" }, cache.epoch, 0);

    cache.forget({ orgId: "acme" });
    expect([a, b, c].map((key) => cache.get(key, 1)?.kind)).toEqual([undefined, "good", "unknown"]);

    cache.forget({ hash: Buffer.from(c, "hex") });
    expect([b, c].map((key) => cache.get(key, 1)?.kind)).toEqual(["good", undefined]);
  });

  it("does not store an answer looked up before a change it did not see", () => {
    const cache = new AnswerCache(TTL, 10);
    const key = sha256Hex("raced");
    const before = cache.epoch;

    cache.forget({ orgId: "acme" });
    cache.set(key, good("acme"), before, 0);

    expect(cache.get(key, 1)).toBeUndefined();
  });

  it("serves and stores nothing while suspended, and starts empty on resuming", () => {
    const { cache, keys } = filled(2);
    const [first = "", second = ""] = keys;

    cache.suspend();
    cache.set(second, good("acme"), cache.epoch, 0);
    expect(cache.get(first, 1)).toBeUndefined();

    cache.resume();
    expect(cache.size).toBe(0);
    expect(cache.get(first, 1)).toBeUndefined();
  });

  it("serves answers only until the change feed's lease runs out, and again once renewed", () => {
    let monotonic = 0;
    const cache = new AnswerCache(TTL, 10, () => monotonic);
    const key = sha256Hex("a token");
    cache.confirm(750);
    cache.set(key, good("acme"), cache.epoch, 0);

    monotonic = 749;
    expect(cache.get(key, 1)).toEqual(good("acme"));
    monotonic = 750;
    expect(cache.get(key, 1)).toBeUndefined();
    cache.set(sha256Hex("another"), good("acme"), cache.epoch, 0);
    expect(cache.size).toBe(1);

    cache.confirm(1_500);
    expect(cache.get(key, 1)).toEqual(good("acme"));
  });
});
