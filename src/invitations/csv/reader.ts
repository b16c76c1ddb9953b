import { AppError } from "../../errors.ts";
import {
  chooseColumns,
  headerlessColumns,
  looksLikeHeader,
  type ColumnChoice,
  type ColumnIndexes,
} from "./columns.ts";
import { DelimiterSniffer, type Delimiter } from "./delimiter.ts";
import {
  NotUtf8Error,
  openText,
  type ByteSource,
  type CsvEncoding,
  type Decoding,
} from "./encoding.ts";
import { parseRecords, type CsvRecord } from "./records.ts";

/**
 * The CSV reader for bulk invitations: bytes in, rows out, in two passes over the file. The
 * first (inspectCsv) settles the encoding, delimiter, header and columns and counts the
 * records; the second (readCsvRows) yields one row per data record. Both stream: memory holds
 * a bounded sample of records, never the file or its rows.
 *
 * Lines are physical lines, 1-based, the header (if any) on line 1; a byte order mark does not
 * count, CRLF is one line break, and a quoted field with a line break in it makes its record
 * span two lines. Every blank line between records is a record (`blank`), the line break
 * after the last record starts none.
 *
 * The first non-blank record is a header unless one of its cells reads as an address; a file
 * without a header has its addresses in the first column. A record longer than 1 MiB (as an
 * unclosed quote makes) is refused.
 */
export type { ByteSource, CsvEncoding, ColumnIndexes, Delimiter };

export interface CsvInspection {
  encoding: CsvEncoding;
  bom: boolean;
  delimiter: Delimiter;
  /** The first non-blank line is a header row (line 1 unless blank lines come before it). */
  header: boolean;
  /** Header cells as read, edges trimmed; [] without a header. */
  columns: string[];
  /** The address column's header; null without a header, the first column then. */
  emailColumn: string | null;
  /** Numbered siblings (`E-mail 2 Address`, ...) in order, read where the primary is empty. */
  fallbackColumns: string[];
  /** ["Name"], or ["First Name", "Middle Name", "Last Name"], or []. */
  nameColumns: string[];
  roleColumn: string | null;
  seatColumn: string | null;
  /** The chosen columns by position; without it, each name's first cell in the header. */
  columnIndexes?: ColumnIndexes | null;
  /** Data records, header excluded, blank ones included. */
  records: number;
}

export interface InspectOptions {
  /** More data records: `invitation.upload.too_many_rows` with `{ limit, count }`. */
  maxRows: number;
  /** The caller's choice of address column, by header name. */
  column?: string | undefined;
}

export interface CsvRow {
  /** The physical line where the record starts. */
  line: number;
  /** The address cell as read ("" when none), from a fallback column if the primary is empty. */
  input: string;
  /** From the name column(s), trimmed, joined by one space. */
  name?: string;
  /** The role cell, not interpreted, when there is a role column and the cell is not empty. */
  role?: string;
  /** The seat cell likewise. */
  seat?: string;
  /** Every cell is empty or whitespace: the row is skipped. */
  blank: boolean;
}

/** Records kept for choosing columns, at most, and their text, at most. */
const SAMPLE_RECORDS = 200;
const SAMPLE_CHARS = 256 * 1024;

/** Reads text until the delimiter is decided, then hands on all of it, the sniffed part too. */
async function withDelimiter(
  text: AsyncGenerator<string>,
): Promise<{ delimiter: Delimiter; text: AsyncGenerator<string> }> {
  const sniffer = new DelimiterSniffer();
  const seen: string[] = [];
  let delimiter: Delimiter | undefined;
  while (delimiter === undefined) {
    const next = await text.next();
    if (next.done) break;

    seen.push(next.value);
    delimiter = sniffer.feed(next.value);
  }

  async function* replay() {
    yield* seen.splice(0);
    yield* text;
  }

  return { delimiter: delimiter ?? sniffer.finish(), text: replay() };
}

/** What the first pass learns from the records. */
interface Scan {
  header: string[] | null;
  sample: string[][];
  records: number;
  filled: number;
}

async function scanRecords(records: AsyncGenerator<CsvRecord>): Promise<Scan> {
  const scan: Scan = { header: null, sample: [], records: 0, filled: 0 };
  let decided = false;
  let leadingBlank = 0;
  let sampleChars = 0;

  for await (const record of records) {
    if (!decided && record.blank) {
      leadingBlank++;
      continue;
    }
    if (!decided) {
      decided = true;
      if (looksLikeHeader(record.cells)) {
        scan.header = record.cells;
        continue;
      }
      // No header: blank lines before the first record are data records too.
      scan.records = leadingBlank;
    }

    scan.records++;
    if (record.blank) continue;

    scan.filled++;
    if (scan.sample.length < SAMPLE_RECORDS && sampleChars < SAMPLE_CHARS) {
      scan.sample.push(record.cells);
      sampleChars += record.cells.reduce((sum, cell) => sum + cell.length, 0);
    }
  }
  if (!decided) scan.records = leadingBlank;

  return scan;
}

async function inspectAs(
  source: ByteSource,
  options: InspectOptions,
  known: Decoding | undefined,
): Promise<CsvInspection> {
  const opened = await openText(source, known, { strict: true });
  const { delimiter, text } = await withDelimiter(opened.text);
  const scan = await scanRecords(parseRecords(text, delimiter));

  if (scan.records > options.maxRows) {
    throw new AppError("invitation.upload.too_many_rows", {
      limit: options.maxRows,
      count: scan.records,
    });
  }
  if (scan.filled === 0) throw new AppError("invitation.upload.no_rows");

  const choice: ColumnChoice = scan.header
    ? chooseColumns(scan.header, scan.sample, options.column)
    : headerlessColumns(options.column);

  return {
    ...opened.decoding,
    delimiter,
    header: scan.header !== null,
    columns: scan.header ?? [],
    ...choice,
    records: scan.records,
  };
}

/**
 * First pass: encoding, delimiter, header, columns and the number of data records. The source
 * is opened a second time when a file without a byte order mark proves not to be UTF-8 (it is
 * then read as Windows-1252).
 *
 * Errors: `invitation.upload.unsupported_encoding`, `invitation.upload.malformed_csv`,
 * `invitation.upload.too_many_rows`, `invitation.upload.no_rows`,
 * `invitation.upload.needs_column_mapping`, `invitation.upload.unknown_column`.
 */
export async function inspectCsv(
  source: ByteSource,
  options: InspectOptions,
): Promise<CsvInspection> {
  try {
    return await inspectAs(source, options, undefined);
  } catch (error) {
    if (!(error instanceof NotUtf8Error)) throw error;

    return inspectAs(source, options, { encoding: "windows-1252", bom: false });
  }
}

/** Positions of the chosen columns: as inspected, or each name's first cell in the header. */
function indexesOf(inspection: CsvInspection): ColumnIndexes {
  if (inspection.columnIndexes) return inspection.columnIndexes;
  if (!inspection.header) return { email: 0, fallbacks: [], names: [], role: null, seat: null };

  const at = (name: string) => inspection.columns.indexOf(name);
  const optional = (name: string | null) => (name === null ? null : at(name));

  return {
    email: at(inspection.emailColumn ?? ""),
    fallbacks: inspection.fallbackColumns.map(at),
    names: inspection.nameColumns.map(at),
    role: optional(inspection.roleColumn),
    seat: optional(inspection.seatColumn),
  };
}

function toRow(record: CsvRecord, indexes: ColumnIndexes): CsvRow {
  const cell = (index: number | null) => (index === null ? "" : (record.cells[index] ?? ""));
  const row: CsvRow = { line: record.line, input: cell(indexes.email), blank: record.blank };

  for (const fallback of indexes.fallbacks) {
    if (row.input !== "") break;
    row.input = cell(fallback);
  }

  const name = indexes.names.map(cell).join(" ").replace(/\s+/g, " ").trim();
  if (name !== "") row.name = name;
  const role = cell(indexes.role);
  if (role !== "") row.role = role;
  const seat = cell(indexes.seat);
  if (seat !== "") row.seat = seat;

  return row;
}

/**
 * Second pass: one row per data record, in file order, with the encoding, delimiter and
 * columns of the inspection; the first `skip` data records are passed over (to resume).
 */
export async function* readCsvRows(
  source: ByteSource,
  inspection: CsvInspection,
  options: { skip?: number } = {},
): AsyncGenerator<CsvRow> {
  const indexes = indexesOf(inspection);
  const decoding = { encoding: inspection.encoding, bom: inspection.bom };
  const opened = await openText(source, decoding, { strict: false });
  let beforeHeader = inspection.header;
  let skip = options.skip ?? 0;

  for await (const record of parseRecords(opened.text, inspection.delimiter)) {
    if (beforeHeader) {
      beforeHeader = record.blank;
      continue;
    }
    if (skip > 0) {
      skip--;
      continue;
    }

    yield toRow(record, indexes);
  }
}
