import { domainToASCII } from "node:url";

/**
 * Email addresses as people write them: `Name <addr>`, `mailto:addr`, stray spaces and
 * invisible characters. Every comparison, for invitations and accounts alike, uses one key:
 * the local part in lower case, `@`, and the domain in its ASCII (IDNA) form in lower case.
 * A `+tag` is kept; no provider-specific folding.
 */
export type AddressProblem = "invalid_email" | "missing_email" | "unsupported_local_part";

export type ParsedAddress =
  | { ok: true; key: string; display: string; name: string | undefined }
  | { ok: false; reason: AddressProblem; input: string };

// Whitespace and invisible marks that spreadsheets and mail clients leave at the edges.
// The joiners are listed apart: in one character class a linter reads them as joined glyphs.
const EDGE =
  /^(?:[\s\u00a0\ufeff\u200b\u2060]|\u200c|\u200d)+|(?:[\s\u00a0\ufeff\u200b\u2060]|\u200c|\u200d)+$/g;
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function trimEdges(text: string): string {
  return text.replace(EDGE, "");
}

/** `"Lovelace, Ada"` -> `Lovelace, Ada`; doubled or escaped quotes inside are undone. */
function unquoteName(raw: string): string | undefined {
  let name = trimEdges(raw);
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) {
    name = name.slice(1, -1).replace(/\\(.)/g, "$1").replace(/""/g, '"');
  }
  name = trimEdges(name);

  return name === "" ? undefined : name;
}

function splitDisplayName(text: string): { name: string | undefined; address: string } {
  const match = /^(.*)<([^<>]*)>$/s.exec(text);
  if (!match) return { name: undefined, address: text };

  return { name: unquoteName(match[1] ?? ""), address: match[2] ?? "" };
}

function asciiDomain(domain: string): string | undefined {
  const ascii = domainToASCII(domain).toLowerCase();
  if (ascii === "" || ascii.length > 253) return undefined;

  const labels = ascii.split(".");
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return undefined;

  return ascii;
}

/** Parses one address as a person wrote it. */
export function parseAddress(input: string): ParsedAddress {
  const text = trimEdges(input.normalize("NFC"));
  const { name, address: wrapped } = splitDisplayName(text);
  const unwrapped = trimEdges(wrapped);
  // A mailto: link may carry ?subject=... after the address.
  const mailto = /^mailto:/i.test(unwrapped);
  const bare = mailto ? (unwrapped.slice(7).split("?")[0] ?? "") : unwrapped;
  const address = trimEdges(bare);
  if (address === "") return { ok: false, reason: "missing_email", input };

  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at <= 0 || local.includes("@") || domain === "") {
    return { ok: false, reason: "invalid_email", input };
  }

  // Delivery is not SMTPUTF8 end to end, so a non-ASCII local part cannot be promised.
  if ([...local].some((char) => (char.codePointAt(0) ?? 0) > 0x7f)) {
    return { ok: false, reason: "unsupported_local_part", input };
  }
  if (local.length > 64 || !LOCAL_ATOM.test(local)) {
    return { ok: false, reason: "invalid_email", input };
  }

  const ascii = asciiDomain(domain);
  if (!ascii || local.length + 1 + ascii.length > 254) {
    return { ok: false, reason: "invalid_email", input };
  }

  return { ok: true, key: `${local.toLowerCase()}@${ascii}`, display: `${local}@${domain}`, name };
}

/** The key of an address, or undefined when it is not a valid one. */
export function addressKey(input: string): string | undefined {
  const parsed = parseAddress(input);

  return parsed.ok ? parsed.key : undefined;
}

const HARD_SEPARATORS = new Set([",", ";", "\n", "\r", "\t"]);

/** Splits at separators outside quotes and angle brackets. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  let angled = false;

  for (const char of text) {
    if (char === '"' && !angled) quoted = !quoted;
    else if (char === "<" && !quoted) angled = true;
    else if (char === ">" && !quoted) angled = false;

    if (!quoted && !angled && HARD_SEPARATORS.has(char)) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);

  return parts;
}

/**
 * Splits a pasted list into entries: at commas, semicolons, newlines and tabs, and at spaces
 * only between complete bare addresses, never inside a quoted or display name. Empty entries
 * are dropped.
 */
export function splitAddressList(text: string): string[] {
  const entries: string[] = [];

  for (const part of splitOutsideQuotes(text)) {
    const trimmed = trimEdges(part);
    if (trimmed === "") continue;

    const words = trimmed.split(/\s+/);
    const bare = !/[<>"]/.test(trimmed) && words.length > 1 && words.every((w) => w.includes("@"));
    entries.push(...(bare ? words : [trimmed]));
  }

  return entries;
}
