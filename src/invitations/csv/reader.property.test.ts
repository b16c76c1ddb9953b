import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encode, readCsv } from "../../../test/helpers/csv.ts";
import { AppError } from "../../errors.ts";
import type { CsvEncoding, CsvRow } from "./reader.ts";

type Ending = "\r\n" | "\n" | "\r";

interface Entry {
  kind: "entry";
  local: string;
  name: string;
  padded: boolean;
}

interface Blank {
  kind: "blank";
  form: "empty" | "spaces" | "delimiters" | "quoted";
}

interface Shape {
  encoding: CsvEncoding;
  bom: boolean;
  delimiter: "," | ";" | "\t";
  endings: "\r\n" | "\n" | "\r" | "mixed";
  header: boolean;
  withName: boolean;
  quoteAll: boolean;
  finalBreak: boolean;
  records: (Entry | Blank)[];
  mixedEndings: Ending[];
}

// Mostly plain letters, so that UTF-16 without a mark keeps its pattern of zero bytes.
const nameChar = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABC") },
  { weight: 4, arbitrary: fc.constantFrom(" ", ",", ";", "\t", '"', "\n") },
  { weight: 1, arbitrary: fc.constantFrom("\u00e9", "\u00fc", "\u20ac", "\u201c") },
);

const entry = fc.record({
  kind: fc.constant("entry" as const),
  local: fc.stringMatching(/^[a-z0-9]{1,12}$/),
  name: fc.array(nameChar, { maxLength: 16 }).map((chars) => chars.join("")),
  padded: fc.boolean(),
});

const blank = fc.record({
  kind: fc.constant("blank" as const),
  form: fc.constantFrom(
    "empty" as const,
    "spaces" as const,
    "delimiters" as const,
    "quoted" as const,
  ),
});

const shape: fc.Arbitrary<Shape> = fc.record({
  encoding: fc.constantFrom<CsvEncoding>("UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252"),
  bom: fc.boolean(),
  delimiter: fc.constantFrom(",", ";", "\t"),
  endings: fc.constantFrom("\r\n", "\n", "\r", "mixed"),
  header: fc.boolean(),
  withName: fc.boolean(),
  quoteAll: fc.boolean(),
  finalBreak: fc.boolean(),
  records: fc
    .tuple(entry, fc.array(fc.oneof({ weight: 3, arbitrary: entry }, blank), { maxLength: 25 }))
    .map(([first, rest]) => [first, ...rest]),
  mixedEndings: fc.array(fc.constantFrom<Ending>("\r\n", "\n", "\r"), {
    minLength: 30,
    maxLength: 30,
  }),
});

function quote(cell: string): string {
  return `"${cell.replaceAll('"', '""')}"`;
}

function cellText(cell: string, s: Shape): string {
  const special = /[,;\t"\n\r]|^\s|\s$/.test(cell);

  return s.quoteAll || special ? quote(cell) : cell;
}

function address(record: Entry, index: number): string {
  return `${record.local}${index}@example.com`;
}

function recordText(record: Entry | Blank, index: number, s: Shape): string {
  if (record.kind === "blank") {
    if (record.form === "spaces") return "   ";
    if (record.form === "quoted") return '""';
    // A line of delimiters alone is blank only where the delimiter is known to be one.
    if (record.form === "delimiters" && s.withName) return s.delimiter;

    return "";
  }

  const written = s.quoteAll ? quote(address(record, index)) : address(record, index);
  const cell = record.padded && !s.quoteAll ? `  ${written} ` : written;

  return s.withName ? cell + s.delimiter + cellText(record.name, s) : cell;
}

function countBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/** The file's text and the rows a careful reader must find in it. */
function build(s: Shape): { text: string; rows: CsvRow[] } {
  const rows: CsvRow[] = [];
  let text = "";
  let line = 1;
  let previous: Ending = "\n";
  const lines: string[] = s.header ? [s.withName ? `email${s.delimiter}name` : "email"] : [];
  s.records.forEach((record, index) => lines.push(recordText(record, index, s)));

  lines.forEach((piece, at) => {
    let ending: Ending = s.endings === "mixed" ? (s.mixedEndings[at % 30] as Ending) : s.endings;
    // CR then an empty line ended by LF would read as one CRLF.
    if (previous === "\r" && piece === "" && ending === "\n") ending = "\r";
    const last = at === lines.length - 1;
    const finished = !last || s.finalBreak || piece.trim() === "" || piece === '""';
    const dataIndex = at - (s.header ? 1 : 0);
    const record = s.records[dataIndex];
    if (record) rows.push(expectedRow(record, dataIndex, line, s));

    text += piece + (finished ? ending : "");
    line += countBreaks(piece) + 1;
    previous = ending;
  });

  return { text, rows };
}

function expectedRow(record: Entry | Blank, index: number, line: number, s: Shape): CsvRow {
  if (record.kind === "blank") return { line, input: "", blank: true };

  const row: CsvRow = { line, input: address(record, index), blank: false };
  const name = record.name.replace(/\s+/g, " ").trim();
  if (s.header && s.withName && name !== "") row.name = name;

  return row;
}

function validUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe("the reader, on generated files", () => {
  it("accounts for every data record exactly once and round-trips addresses", async () => {
    await fc.assert(
      fc.asyncProperty(shape, fc.integer({ min: 1, max: 64 }), async (s, chunkSize) => {
        const { text, rows } = build(s);
        const bom = s.bom && s.encoding !== "windows-1252";
        const bytes = encode(text, s.encoding, bom);
        const ascii = [...text].every((char) => char.charCodeAt(0) < 0x80);
        if (s.encoding === "windows-1252") fc.pre(ascii || !validUtf8(bytes));

        const result = await readCsv(bytes, { chunkSize });

        const expectedEncoding = s.encoding === "windows-1252" && ascii ? "UTF-8" : s.encoding;
        expect(result.inspection).toMatchObject({ encoding: expectedEncoding, bom });
        expect(result.inspection.header).toBe(s.header);
        if (s.withName) expect(result.inspection.delimiter).toBe(s.delimiter);
        expect(result.inspection.records).toBe(s.records.length);
        expect(result.rows).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });
});

const NEVER = ["\u0000", "\ufeff", "\ufffd"];

function clean(row: CsvRow): boolean {
  const values = [row.input, row.name ?? "", row.role ?? "", row.seat ?? ""];

  return values.every((value) => NEVER.every((char) => !value.includes(char)));
}

describe("the reader, on arbitrary bytes", () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc
      .tuple(
        fc.string({ unit: "binary", maxLength: 500 }),
        fc.constantFrom<CsvEncoding>("UTF-8", "UTF-16LE", "UTF-16BE", "windows-1252"),
        fc.boolean(),
      )
      .map(([text, encoding, bom]) => encode(text, encoding, bom)),
    fc
      .array(fc.constantFrom("a@example.com", ",", ";", "\t", '"', "\r", "\n", " ", "\u00e9"), {
        maxLength: 200,
      })
      .map((parts) => Buffer.from(parts.join(""))),
  );

  it("answers rows or an AppError, never a crash, and never stores a NUL, BOM or U+FFFD", async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.integer({ min: 1, max: 512 }), async (input, chunkSize) => {
        try {
          const { inspection, rows } = await readCsv(input, { chunkSize, maxRows: 1000 });
          expect(rows).toHaveLength(inspection.records);
          expect(rows.every(clean)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
