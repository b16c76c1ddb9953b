import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { failure, readCsv } from "../../../test/helpers/csv.ts";
import { parseAddress } from "../../addresses/address.ts";
import type { CsvRow } from "./reader.ts";

/** The real-world files of test/cases, each with the result its INDEX.md gives. */
function caseFile(name: string): Buffer {
  return readFileSync(new URL(`../../../test/cases/${name}`, import.meta.url));
}

/**
 * What the pipeline will make of each row, by line: the key of an accepted address, `dup:<line>`
 * for a repeat, `skipped` for a blank record, or the reason it is rejected.
 */
function outcomes(rows: CsvRow[]): Record<number, string> {
  const result: Record<number, string> = {};
  const firstLine = new Map<string, number>();
  for (const row of rows) {
    const parsed = parseAddress(row.input);
    if (row.blank) result[row.line] = "skipped";
    else if (!parsed.ok) result[row.line] = parsed.reason;
    else if (firstLine.has(parsed.key)) result[row.line] = `dup:${firstLine.get(parsed.key)}`;
    else {
      firstLine.set(parsed.key, row.line);
      result[row.line] = parsed.key;
    }
  }

  return result;
}

/** Each case once whole, once a byte at a time: a chunk boundary must change nothing. */
async function readBoth(name: string) {
  const whole = await readCsv(caseFile(name));
  const bytewise = await readCsv(caseFile(name), { chunkSize: 1 });
  expect(bytewise).toEqual(whole);

  return whole;
}

describe("the case files", () => {
  it("csv-utf8-bom-excel.csv: the BOM is stripped, so `email` is found", async () => {
    const { inspection, rows } = await readBoth("csv-utf8-bom-excel.csv");

    expect(inspection).toMatchObject({ encoding: "UTF-8", bom: true, delimiter: "," });
    expect(inspection).toMatchObject({ header: true, columns: ["email", "name"] });
    expect(inspection.emailColumn).toBe("email");
    expect(rows).toEqual([
      { line: 2, input: "ada@example.com", name: "Ada Lovelace", blank: false },
      { line: 3, input: "grace@example.com", name: "Grace Hopper", blank: false },
    ]);
  });

  it("csv-excel-semicolon-bom.csv: one delimiter, `;`, so `Doe, Jane` stays whole", async () => {
    const { inspection, rows } = await readBoth("csv-excel-semicolon-bom.csv");

    expect(inspection).toMatchObject({ encoding: "UTF-8", bom: true, delimiter: ";" });
    expect(inspection.columns).toEqual(["Name", "E-Mail", "Abteilung"]);
    expect(inspection).toMatchObject({ emailColumn: "E-Mail", nameColumns: ["Name"] });
    expect(rows).toEqual([
      { line: 2, input: "jane@example.com", name: "Doe, Jane", blank: false },
      { line: 3, input: "richard@example.com", name: "Roe, Richard", blank: false },
    ]);
  });

  it("csv-utf16le-bom-tab.csv: UTF-16LE from its BOM, tab-delimited", async () => {
    const { inspection, rows } = await readBoth("csv-utf16le-bom-tab.csv");

    expect(inspection).toMatchObject({ encoding: "UTF-16LE", bom: true, delimiter: "\t" });
    expect(inspection).toMatchObject({ emailColumn: "Email", nameColumns: ["Name"] });
    expect(rows).toEqual([
      { line: 2, input: "ada@example.com", name: "Ada Lovelace", blank: false },
      { line: 3, input: "jose@example.com", name: "Jos\u00e9 \u00c1lvarez", blank: false },
    ]);
  });

  it("csv-crlf-quoted-fields.csv: quoted commas, quotes and a line break", async () => {
    const { inspection, rows } = await readBoth("csv-crlf-quoted-fields.csv");

    expect(inspection).toMatchObject({ delimiter: ",", emailColumn: "email", records: 3 });
    expect(inspection.nameColumns).toEqual(["name"]);
    expect(rows).toEqual([
      { line: 2, input: "jane@example.com", name: "Doe, Jane", blank: false },
      { line: 3, input: "pat@example.com", name: `O'Brien "Pat"`, blank: false },
      { line: 4, input: "alex@example.com", name: "Smith, Alex", blank: false },
    ]);
    expect(rows.some((row) => /\r/.test(row.input + (row.name ?? "")))).toBe(false);
  });

  it("csv-outlook-contacts-export.csv: the primary address, then its numbered siblings", async () => {
    const { inspection, rows } = await readBoth("csv-outlook-contacts-export.csv");

    expect(inspection.emailColumn).toBe("E-mail Address");
    expect(inspection.fallbackColumns).toEqual(["E-mail 2 Address", "E-mail 3 Address"]);
    expect(inspection.nameColumns).toEqual(["First Name", "Middle Name", "Last Name"]);
    expect(rows).toEqual([
      { line: 2, input: "ada@example.com", name: "Ada Lovelace", blank: false },
      { line: 3, input: "grace@example.org", name: "Grace Hopper", blank: false },
      { line: 4, input: "", name: "Alan Turing", blank: false },
    ]);
    expect(outcomes(rows)).toEqual({
      2: "ada@example.com",
      3: "grace@example.org",
      4: "missing_email",
    });
  });

  it("csv-whitespace-blank-lines.csv: edges trimmed, blank records skipped with their lines", async () => {
    const { inspection, rows } = await readBoth("csv-whitespace-blank-lines.csv");

    expect(inspection).toMatchObject({ header: true, emailColumn: "email", records: 9 });
    expect(rows.map(({ line, input, blank }) => ({ line, input, blank }))).toEqual([
      { line: 2, input: "ada@example.com", blank: false },
      { line: 3, input: "grace@example.com", blank: false },
      { line: 4, input: "", blank: true },
      { line: 5, input: "alan@example.com", blank: false },
      { line: 6, input: "", blank: true },
      { line: 7, input: "", blank: true },
      { line: 8, input: "edsger@example.com", blank: false },
      { line: 9, input: "barbara@example.com", blank: false },
      { line: 10, input: "", blank: true },
    ]);
  });

  it("csv-case-duplicates.csv: LF only; keys repeat in other letter cases", async () => {
    const { inspection, rows } = await readBoth("csv-case-duplicates.csv");

    expect(inspection).toMatchObject({ emailColumn: "email", nameColumns: ["name"] });
    expect(rows.map((row) => [row.line, row.input, row.name])).toEqual([
      [2, "Ada@Example.COM", "Ada"],
      [3, "ada@example.com", "Ada again"],
      [4, "ADA@EXAMPLE.COM", undefined],
      [5, "grace@example.com", "Grace"],
      [6, "Grace@Example.com", "Grace dup"],
    ]);
    expect(outcomes(rows)).toEqual({
      2: "ada@example.com",
      3: "dup:2",
      4: "dup:2",
      5: "grace@example.com",
      6: "dup:5",
    });
  });

  it("csv-display-name-mailto.csv: address cells as read, display names and mailto kept", async () => {
    const { inspection, rows } = await readBoth("csv-display-name-mailto.csv");

    expect(inspection).toMatchObject({ header: true, emailColumn: "email", records: 7 });
    expect(rows.map((row) => [row.line, row.input])).toEqual([
      [2, '"Lovelace, Ada" <ada@example.com>'],
      [3, "Grace Hopper <grace@example.com>"],
      [4, "mailto:alan@example.com"],
      [5, "MAILTO:Edsger@Example.com"],
      [6, "<barbara@example.com>"],
      [7, "Ken Thompson <mailto:ken@example.com>"],
      [8, "not an email"],
    ]);
    expect(outcomes(rows)).toEqual({
      2: "ada@example.com",
      3: "grace@example.com",
      4: "alan@example.com",
      5: "edsger@example.com",
      6: "barbara@example.com",
      7: "ken@example.com",
      8: "invalid_email",
    });
  });

  it("csv-plus-idn.csv: plus tags and international domains come through unchanged", async () => {
    const { inspection, rows } = await readBoth("csv-plus-idn.csv");

    expect(inspection).toMatchObject({ encoding: "UTF-8", bom: false, records: 8 });
    expect(rows[6]?.input).toBe("erin@bu\u0308cher.example");
    expect(outcomes(rows)).toEqual({
      2: "ada+billing@example.com",
      3: "ada@example.com",
      4: "bob@xn--bcher-kva.example",
      5: "carol@xn--bcher-kva.example",
      6: "dana@xn--bcher-kva.example",
      7: "dup:6",
      8: "erin@xn--bcher-kva.example",
      9: "unsupported_local_part",
    });
  });

  it("csv-no-header.csv: addresses from line 1, first column", async () => {
    const { inspection, rows } = await readBoth("csv-no-header.csv");

    expect(inspection).toMatchObject({ header: false, columns: [], emailColumn: null });
    expect(rows).toEqual([
      { line: 1, input: "ada@example.com", blank: false },
      { line: 2, input: "grace@example.com", blank: false },
    ]);
  });

  it("gen-large-upload.mjs: one row over the limit is refused with the limit and the count", async () => {
    const folder = mkdtempSync(path.join(tmpdir(), "tessera-csv-"));
    try {
      const file = path.join(folder, "large.csv");
      const generator = new URL("../../../test/cases/gen-large-upload.mjs", import.meta.url);
      execFileSync(process.execPath, [generator.pathname, "2001", file]);
      const bytes = readFileSync(file);

      expect(await failure(readCsv(bytes, { maxRows: 2000 }))).toMatchObject({
        code: "invitation.upload.too_many_rows",
        status: 413,
        details: { limit: 2000, count: 2001 },
      });

      const { inspection, rows } = await readCsv(bytes, { maxRows: 2001 });
      expect(inspection).toMatchObject({ bom: true, emailColumn: "email", records: 2001 });
      expect(rows).toHaveLength(2001);
      expect(rows[2000]).toEqual({
        line: 2002,
        input: "user002001@example.com",
        name: "User 002001",
        blank: false,
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
