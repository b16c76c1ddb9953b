import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { AppError } from "../../errors.ts";
import type { Delimiter } from "./delimiter.ts";

/**
 * CSV records from text whose line breaks are all `\n` (see encoding.ts), through csv-parse fed
 * chunk by chunk. Every physical line outside a quoted field ends a record, so a blank line is
 * a record of its own; the line break after the last record starts none.
 */
export interface CsvRecord {
  /** The physical line (1-based) where the record starts. */
  line: number;
  /** Cells with their edges trimmed of whitespace and invisible marks. */
  cells: string[];
  /** Every cell is empty. */
  blank: boolean;
}

/** A record longer than this is refused rather than held: an unclosed quote would grow one. */
export const MAX_RECORD_CHARS = 1024 * 1024;

const EDGES = /^(?:[\s\u200b\u2060]|\u200c|\u200d)+|(?:[\s\u200b\u2060]|\u200c|\u200d)+$/g;
const EDGE_CHAR = /^(?:[\s\u200b\u2060]|\u200c|\u200d)$/;

/** Trims whitespace, U+00A0 and zero-width marks from both ends (String.trim keeps U+200B). */
function trimCell(cell: string): string {
  if (cell === "") return cell;
  if (!EDGE_CHAR.test(cell.charAt(0)) && !EDGE_CHAR.test(cell.charAt(cell.length - 1))) {
    return cell;
  }

  return cell.replace(EDGES, "");
}

function lineBreaks(cells: string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf("\n"); at !== -1; at = cell.indexOf("\n", at + 1)) count++;
  }

  return count;
}

const PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "unclosed_quote",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "text_after_quote",
  CSV_MAX_RECORD_SIZE: "record_too_large",
};

/** A record csv-parse could not read, and how many good records came before it. */
interface Broken {
  code: string;
  after: number;
}

function readError(broken: Broken, line: number): AppError {
  return new AppError("invitation.upload.malformed_csv", {
    line,
    problem: PROBLEMS[broken.code] ?? "malformed",
  });
}

/** Numbers the records in the order csv-parse hands them over. */
class LineCounter {
  next = 1;

  record(raw: string[]): CsvRecord {
    const line = this.next;
    this.next += 1 + lineBreaks(raw);
    const cells = raw.map(trimCell);

    return { line, cells, blank: cells.every((cell) => cell === "") };
  }
}

// A broken record is reported through on_skip rather than by failing the stream, which would
// drop the good records still buffered before it; the reader stops when it reaches it.
function parser(delimiter: Delimiter, broken: Broken[]) {
  return parse({
    delimiter,
    record_delimiter: "\n",
    quote: '"',
    escape: '"',
    bom: false,
    trim: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) broken.push({ code: error.code, after: Number(error.records) });
    },
  });
}

/** Yields each record with its starting line; csv-parse errors become malformed_csv. */
export async function* parseRecords(
  text: AsyncIterable<string>,
  delimiter: Delimiter,
): AsyncGenerator<CsvRecord> {
  const lines = new LineCounter();
  const broken: Broken[] = [];
  const input = Readable.from(text);
  const records = parser(delimiter, broken);
  // Errors of the text reach the loop below through the parser, which pipeline destroys.
  const feeding = pipeline(input, records).catch(() => undefined);
  let count = 0;
  const stopAtBroken = (reached: number) => {
    const first = broken[0];
    if (first && reached >= first.after) throw readError(first, lines.next);
  };

  try {
    for await (const raw of records as AsyncIterable<string[]>) {
      stopAtBroken(count);
      count++;
      yield lines.record(raw);
    }
    stopAtBroken(Infinity);
  } finally {
    input.destroy();
    records.destroy();
    await feeding;
  }
}
