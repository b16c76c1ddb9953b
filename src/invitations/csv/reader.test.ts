import { describe, expect, it } from "vitest";
import { encode, failure, readCsv, sourceOf } from "../../../test/helpers/csv.ts";
import { inspectCsv, readCsvRows, type CsvEncoding, type CsvRow } from "./reader.ts";
import { MAX_RECORD_CHARS } from "./records.ts";

const NAMES = "Jos\u00e9 \u00d1\u00fa\u00f1ez \u201cQ\u201d \u20ac";
const TEXT = `email,name\r\nada@example.com,${NAMES}\r\ngrace@example.com,Grace Hopper\r\n`;
const ROWS: CsvRow[] = [
  { line: 2, input: "ada@example.com", name: NAMES, blank: false },
  { line: 3, input: "grace@example.com", name: "Grace Hopper", blank: false },
];

function lines(rows: CsvRow[]) {
  return rows.map((row) => [row.line, row.input, row.name ?? null, row.blank]);
}

describe("encodings", () => {
  const marked: [CsvEncoding, boolean][] = [
    ["UTF-8", false],
    ["UTF-8", true],
    ["UTF-16LE", false],
    ["UTF-16LE", true],
    ["UTF-16BE", false],
    ["UTF-16BE", true],
  ];

  for (const [encoding, bom] of marked) {
    it(`reads ${encoding} ${bom ? "with" : "without"} a BOM, in any chunking`, async () => {
      const bytes = encode(TEXT, encoding, bom);

      for (const chunkSize of [1, 3, 64 * 1024]) {
        const { inspection, rows } = await readCsv(bytes, { chunkSize });
        expect(inspection).toMatchObject({ encoding, bom, delimiter: ",", emailColumn: "email" });
        expect(rows).toEqual(ROWS);
      }
    });
  }

  it("reads Windows-1252, with the 0x80-0x9F characters right, when a file is not UTF-8", async () => {
    const bytes = Buffer.concat([
      Buffer.from("email,name\r\nada@example.com,\x93Ada\x94 costs 5 ", "latin1"),
      Buffer.from([0x80]),
      Buffer.from("\r\nbob@example.com,Bj\xf6rn\r\n", "latin1"),
    ]);

    const { inspection, rows } = await readCsv(bytes, { chunkSize: 1 });

    expect(inspection).toMatchObject({ encoding: "windows-1252", bom: false });
    expect(rows.map((row) => row.name)).toEqual(["\u201cAda\u201d costs 5 \u20ac", "Bj\u00f6rn"]);
  });

  it("decides on Windows-1252 even when the only bad byte is the last, opening the file again", async () => {
    const bytes = Buffer.concat([
      Buffer.from("email\nada@example.com\nZo\u00eb@x\n"),
      Buffer.from([0xe9]),
    ]);
    const source = sourceOf(bytes, 5);

    const inspection = await inspectCsv(source, { maxRows: 10 });
    const rows: CsvRow[] = [];
    for await (const row of readCsvRows(source, inspection)) rows.push(row);

    expect(inspection.encoding).toBe("windows-1252");
    expect(source.opened).toBe(3);
    expect(rows.map((row) => row.input)).toEqual(["ada@example.com", "Zo\u00c3\u00ab@x", "\u00e9"]);
  });

  it("decodes a UTF-8 character split across chunks, byte by byte", async () => {
    const text = "email,name\nzoe@example.com,Zo\u00eb \u65e5\u672c \ud83d\ude00\n";

    const { inspection, rows } = await readCsv(Buffer.from(text), { chunkSize: 1 });

    expect(inspection.encoding).toBe("UTF-8");
    expect(rows[0]?.name).toBe("Zo\u00eb \u65e5\u672c \ud83d\ude00");
  });

  it("never stores a byte order mark, NUL or replacement character", async () => {
    const bytes = Buffer.concat([
      Buffer.from("\ufeffemail,name\nada\ufeff@example.com,A\ufeffda "),
      Buffer.from([0xff]),
      Buffer.from("\n"),
    ]);

    const { inspection, rows } = await readCsv(bytes);

    expect(inspection).toMatchObject({ encoding: "UTF-8", bom: true });
    expect(rows).toEqual([{ line: 2, input: "ada@example.com", name: "Ada", blank: false }]);
  });
});

describe("line endings", () => {
  const shapes = {
    CRLF: 'email,name\r\nada@example.com,Ada\r\n\r\n"grace@example.com","Grace\r\nHopper"\r\nalan@example.com,Alan\r\n',
    LF: 'email,name\nada@example.com,Ada\n\n"grace@example.com","Grace\nHopper"\nalan@example.com,Alan\n',
    CR: 'email,name\rada@example.com,Ada\r\r"grace@example.com","Grace\rHopper"\ralan@example.com,Alan\r',
    mixed:
      'email,name\r\nada@example.com,Ada\n\r"grace@example.com","Grace\r\nHopper"\ralan@example.com,Alan',
  };

  for (const [shape, text] of Object.entries(shapes)) {
    it(`counts physical lines with ${shape} line breaks`, async () => {
      for (const chunkSize of [1, 1024]) {
        const { inspection, rows } = await readCsv(Buffer.from(text), { chunkSize });

        expect(inspection.records).toBe(4);
        expect(lines(rows)).toEqual([
          [2, "ada@example.com", "Ada", false],
          [3, "", null, true],
          [4, "grace@example.com", "Grace Hopper", false],
          [6, "alan@example.com", "Alan", false],
        ]);
      }
    });
  }
});

describe("delimiters", () => {
  for (const delimiter of [",", ";", "\t"]) {
    it(`detects ${JSON.stringify(delimiter)} and uses only it`, async () => {
      const other = delimiter === "," ? ";" : ",";
      const text = [
        ["name", "email", "team"],
        [`Doe${other} Jane`, "jane@example.com", "Sales"],
      ]
        .map((cells) => cells.join(delimiter))
        .join("\n");

      const { inspection, rows } = await readCsv(Buffer.from(text));

      expect(inspection.delimiter).toBe(delimiter);
      expect(rows).toEqual([
        { line: 2, input: "jane@example.com", name: `Doe${other} Jane`, blank: false },
      ]);
    });
  }

  it("reads the first non-blank line, outside quotes", async () => {
    const text = '\n  \n"a;""b"",c";email\nx;ada@example.com\n';

    const { inspection, rows } = await readCsv(Buffer.from(text), { chunkSize: 1 });

    expect(inspection).toMatchObject({ delimiter: ";", columns: ['a;"b",c', "email"] });
    expect(lines(rows)).toEqual([[4, "ada@example.com", null, false]]);
  });

  it("takes a comma when in doubt: no candidate, or a tie", async () => {
    const single = await readCsv(Buffer.from("email\nada@example.com\n"));
    const tie = await readCsv(Buffer.from("email,name;team\nada@example.com,Ada;x\n"));

    expect(single.inspection.delimiter).toBe(",");
    expect(tie.inspection.delimiter).toBe(",");
    expect(tie.inspection.columns).toEqual(["email", "name;team"]);
  });
});

describe("records", () => {
  it("ignores spaces around quoted fields and trailing spaces", async () => {
    const text = 'name,email\n  "Doe, Jane"  ,  jane@example.com   \n';

    const { rows } = await readCsv(Buffer.from(text));

    expect(rows).toEqual([{ line: 2, input: "jane@example.com", name: "Doe, Jane", blank: false }]);
  });

  it("takes a stray quote inside an unquoted field as a character", async () => {
    const { rows } = await readCsv(Buffer.from('name,email\nO"Brien,pat@example.com\n'));

    expect(rows).toEqual([{ line: 2, input: "pat@example.com", name: 'O"Brien', blank: false }]);
  });

  it("reads short and long records alike, missing cells empty", async () => {
    const { rows } = await readCsv(
      Buffer.from("email,name\nada@example.com\n,,,\nb@example.com,B,x,y\n"),
    );

    expect(lines(rows)).toEqual([
      [2, "ada@example.com", null, false],
      [3, "", null, true],
      [4, "b@example.com", "B", false],
    ]);
  });

  it("refuses an unclosed quote, naming the line its record starts on", async () => {
    const text = 'email,name\nada@example.com,Ada\nbob@example.com,"Bob\nmore\n';

    expect(await failure(readCsv(Buffer.from(text)))).toMatchObject({
      code: "invitation.upload.malformed_csv",
      status: 422,
      details: { line: 3, problem: "unclosed_quote" },
    });
  });

  it("refuses text after a closing quote", async () => {
    expect(await failure(readCsv(Buffer.from('email\n"ada@example.com" x\n')))).toMatchObject({
      code: "invitation.upload.malformed_csv",
      details: { line: 2, problem: "text_after_quote" },
    });
  });

  it("refuses a record too long to hold, as an unclosed quote makes one", async () => {
    const text = `email\n"ada@example.com\n${"x".repeat(MAX_RECORD_CHARS)}\n`;

    expect(await failure(readCsv(Buffer.from(text)))).toMatchObject({
      code: "invitation.upload.malformed_csv",
      details: { line: 2, problem: "record_too_large" },
    });
  });

  it("resumes after `skip` data records, lines unchanged", async () => {
    const bytes = Buffer.from("email\na@example.com\n\nc@example.com\nd@example.com\n");
    const source = sourceOf(bytes);
    const inspection = await inspectCsv(source, { maxRows: 10 });

    const rows: CsvRow[] = [];
    for await (const row of readCsvRows(source, inspection, { skip: 2 })) rows.push(row);

    expect(lines(rows)).toEqual([
      [4, "c@example.com", null, false],
      [5, "d@example.com", null, false],
    ]);
  });
});

describe("binary files", () => {
  const zip = Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]),
    Buffer.from("[Content_Types].xml"),
  ]);
  const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
  const nuls = Buffer.from([
    0x65, 0x6d, 0x00, 0x00, 0x61, 0x00, 0x00, 0x00, 0x9a, 0x00, 0x10, 0x00,
  ]);

  const files: [string, Buffer, string][] = [
    ["an .xlsx workbook (a ZIP archive)", zip, "spreadsheet"],
    ["an old .xls workbook", ole2, "spreadsheet"],
    ["random bytes with NULs", nuls, "binary"],
    ["text with a NUL in it", Buffer.from("email\nada@example.com\u0000\n"), "binary"],
    ["text with control characters", Buffer.from("email\n\u0001\u0002\u0003\n"), "binary"],
    ["a UTF-32 file", Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x61, 0, 0, 0]), "utf32"],
    ["a gzip file", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x61, 0x62]), "binary"],
  ];

  for (const [what, bytes, reason] of files) {
    it(`refuses ${what}`, async () => {
      for (const chunkSize of [1, 1024]) {
        expect(await failure(readCsv(bytes, { chunkSize }))).toMatchObject({
          code: "invitation.upload.unsupported_encoding",
          status: 422,
          details: { reason },
        });
      }
    });
  }

  it("refuses a NUL far into a file, after the first chunks", async () => {
    const bytes = Buffer.concat([
      Buffer.from("email\n" + "ada@example.com\n".repeat(5000)),
      Buffer.from([0x00]),
    ]);

    expect(await failure(readCsv(bytes))).toMatchObject({
      code: "invitation.upload.unsupported_encoding",
    });
  });
});

describe("limits", () => {
  it("counts every data record, blank ones too, against maxRows", async () => {
    const bytes = Buffer.from("email\na@example.com\n\n\nb@example.com\n");

    expect(await failure(readCsv(bytes, { maxRows: 3 }))).toMatchObject({
      code: "invitation.upload.too_many_rows",
      status: 413,
      details: { limit: 3, count: 4 },
    });
    expect((await readCsv(bytes, { maxRows: 4 })).rows).toHaveLength(4);
  });

  for (const [what, text] of [
    ["an empty file", ""],
    ["a header alone", "email,name\r\n"],
    ["a header and blank lines", "email,name\r\n\r\n , \r\n"],
    ["blank lines alone", "\n\n   \n"],
  ]) {
    it(`refuses ${what} as having no rows`, async () => {
      expect(await failure(readCsv(Buffer.from(text as string)))).toMatchObject({
        code: "invitation.upload.no_rows",
        status: 422,
      });
    });
  }
});

describe("streaming", () => {
  it("yields the first rows before the file has been read to its end", async () => {
    const body = Buffer.from("email\n" + "someone@example.com\n".repeat(20_000));
    let pulled = 0;
    let closed = 0;
    const source = async function* () {
      try {
        for (let at = 0; at < body.length; at += 1024) {
          pulled++;
          yield body.subarray(at, at + 1024);
        }
      } finally {
        closed++;
      }
    };
    const inspection = await inspectCsv(source, { maxRows: 100_000 });
    pulled = 0;

    const rows = readCsvRows(source, inspection);
    await rows.next();
    const pulledForFirstRow = pulled;
    await rows.return(undefined);

    expect(inspection.records).toBe(20_000);
    expect(pulledForFirstRow).toBeLessThan(Math.ceil(body.length / 1024) / 4);
    expect(closed).toBe(2);
  });

  it("closes the source of a refused file without reading it further", async () => {
    let pulled = 0;
    let closed = false;
    const source = async function* () {
      try {
        for (let i = 0; i < 100; i++) {
          pulled++;
          yield Buffer.from([0x50, 0x4b, 0x03, 0x04, ...new Array<number>(4092).fill(0)]);
        }
      } finally {
        closed = true;
      }
    };

    expect(await failure(inspectCsv(source, { maxRows: 10 }))).toMatchObject({
      code: "invitation.upload.unsupported_encoding",
    });
    expect({ pulled, closed }).toEqual({ pulled: 1, closed: true });
  });
});
