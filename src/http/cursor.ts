import { AppError } from "../errors.ts";

/**
 * Opaque page cursors for keyset pagination: the sort key of a page's last row, as base64url
 * JSON. Clients pass them back as they got them; anything else is refused as request.invalid.
 */

/** The SQL that renders a timestamptz with its full microsecond precision, in UTC. */
export function exactTimestamp(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const EXACT_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A cursor part that must be an exact timestamp from exactTimestamp(). */
export const TIMESTAMP_PART = (value: string) =>
  EXACT_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));

/** A cursor part that must be a decimal row number. */
export const NUMBER_PART = (value: string) => /^\d{1,18}$/.test(value);

/** A cursor part that may be any text (an ID). */
export const TEXT_PART = (value: string) => value.length > 0 && value.length <= 200;

export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");
}

/** The parts of a cursor, each checked by the test at its place. */
export function decodeCursor(
  cursor: string,
  checks: ReadonlyArray<(value: string) => boolean>,
): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parts = null;
  }

  const fits =
    Array.isArray(parts) &&
    parts.length === checks.length &&
    parts.every((part, i) => typeof part === "string" && checks[i]?.(part) === true);
  if (!fits) {
    throw new AppError("request.invalid", {
      fields: [{ path: "/querystring/cursor", message: "not a cursor from this list" }],
    });
  }

  return parts as string[];
}
