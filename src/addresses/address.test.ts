import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAddress, splitAddressList } from "./address.ts";

function key(input: string): string | undefined {
  const parsed = parseAddress(input);
  return parsed.ok ? parsed.key : undefined;
}

describe("parseAddress", () => {
  it("lower-cases the key and keeps the spelling for display", () => {
    expect(parseAddress("Ada@Example.COM")).toEqual({
      ok: true,
      key: "ada@example.com",
      display: "Ada@Example.COM",
      name: undefined,
    });
  });

  it("takes the display name and mailto forms", () => {
    expect(parseAddress('"Lovelace, Ada" <ada@example.com>')).toMatchObject({
      key: "ada@example.com",
      name: "Lovelace, Ada",
    });
    expect(key("MAILTO:Edsger@Example.com")).toBe("edsger@example.com");
    expect(parseAddress("Ken Thompson <mailto:ken@example.com>")).toMatchObject({
      key: "ken@example.com",
      name: "Ken Thompson",
    });
    expect(key("<barbara@example.com>")).toBe("barbara@example.com");
    expect(parseAddress("mailto:a@example.com?subject=hi")).toMatchObject({
      key: "a@example.com",
      display: "a@example.com",
    });
  });

  it("maps international domains to their ASCII form, composed or not", () => {
    expect(key("bob@b\u00fccher.example")).toBe("bob@xn--bcher-kva.example");
    expect(key("erin@bu\u0308cher.example")).toBe("erin@xn--bcher-kva.example");
    expect(key("carol@xn--bcher-kva.example")).toBe("carol@xn--bcher-kva.example");
  });

  it("keeps a plus tag and trims invisible edges", () => {
    expect(key("ada+billing@example.com")).toBe("ada+billing@example.com");
    expect(key("\u200bbarbara@example.com\u00a0")).toBe("barbara@example.com");
  });

  it("names what is wrong", () => {
    expect(parseAddress("bad@@example.com")).toMatchObject({ ok: false, reason: "invalid_email" });
    expect(parseAddress("not an email")).toMatchObject({ ok: false, reason: "invalid_email" });
    expect(parseAddress("  ")).toMatchObject({ ok: false, reason: "missing_email" });
    expect(parseAddress("jos\u00e9@example.com")).toMatchObject({
      ok: false,
      reason: "unsupported_local_part",
    });
    expect(parseAddress("ada@localhost")).toMatchObject({ ok: false, reason: "invalid_email" });
    expect(parseAddress("a..b@example.com")).toMatchObject({ ok: false, reason: "invalid_email" });
  });
});

describe("splitAddressList", () => {
  it("splits the pasted case file into its entries, keeping quoted commas", () => {
    const text = readFileSync(
      new URL("../../test/cases/paste-mixed-separators.txt", import.meta.url),
      "utf8",
    );
    const entries = splitAddressList(text);
    const parsed = entries.map(parseAddress);

    expect(entries).toHaveLength(7);
    expect(parsed.filter((p) => p.ok).map((p) => p.ok && p.key)).toEqual([
      "ada@example.com",
      "grace@example.com",
      "alan@example.com",
      "edsger@example.com",
      "barbara@example.com",
      "ken@example.com",
    ]);
    expect(parsed[1]).toMatchObject({ name: "Hopper, Grace" });
    expect(parsed.filter((p) => !p.ok)).toEqual([
      { ok: false, reason: "invalid_email", input: "bad@@example.com" },
    ]);
  });

  it("splits at spaces only between bare addresses", () => {
    expect(splitAddressList("a@example.com b@example.com")).toEqual([
      "a@example.com",
      "b@example.com",
    ]);
    expect(splitAddressList("Grace Hopper <grace@example.com>")).toEqual([
      "Grace Hopper <grace@example.com>",
    ]);
  });
});
