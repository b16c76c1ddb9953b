import type { Queryable } from "../../db/database.ts";
import type { UploadKey } from "./file.ts";
import { listRows } from "./queries.ts";
import type { StagedRow } from "./rows.ts";

const PAGE_ROWS = 5000;

const HEADER = [
  "line",
  "input",
  "email",
  "name",
  "role",
  "seat_product",
  "outcome",
  "reason",
  "duplicate_of",
];

// Excel reads a CSV file without a byte order mark as the machine's legacy code page.
const BOM = "\ufeff";

// A spreadsheet runs a cell that starts like a formula; a leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell that no spreadsheet will run as a formula, quoted when it needs to be. */
export function reportCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  if (/[",\r\n]/.test(text)) text = `"${text.replace(/"/g, '""')}"`;

  return text;
}

function reportLine(row: StagedRow): string {
  const cells = [
    row.line,
    row.input,
    row.email,
    row.name,
    row.role,
    row.seatProduct,
    row.outcome,
    row.reason,
    row.duplicateOf,
  ];

  return cells.map(reportCell).join(",") + "\r\n";
}

/** The row report as CSV text (UTF-8 with a byte order mark), a page at a time. */
export async function* uploadReport(q: Queryable, key: UploadKey): AsyncGenerator<string> {
  yield BOM + HEADER.join(",") + "\r\n";

  for (let after = 0; ;) {
    const rows = await listRows(q, key, { afterLine: after, limit: PAGE_ROWS });
    if (rows.length === 0) return;

    yield rows.map(reportLine).join("");
    after = (rows[rows.length - 1] as StagedRow).line;
  }
}
