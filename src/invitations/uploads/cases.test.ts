import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person } from "../../../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../../../test/helpers/server.ts";
import {
  caseFile,
  commitUpload,
  invitationMailCount,
  pendingKeys,
  uploadFile,
  uploadRows,
} from "../../../test/helpers/uploads.ts";

/**
 * Every real-world file in test/cases/ uploaded through the API, dry run and commit, with the
 * result test/cases/INDEX.md gives for it: each data record exactly one outcome, the accepted
 * keys invited once, one mail each.
 */

interface Expected {
  line: number;
  outcome: string;
  key?: string;
  name?: string;
  reason?: string;
  duplicateOf?: number;
}

interface Case {
  file: string;
  encoding: string;
  delimiter: string;
  emailColumn: string | null;
  rows: Expected[];
}

const invited = (line: number, key: string, name?: string): Expected =>
  name === undefined ? { line, outcome: "invited", key } : { line, outcome: "invited", key, name };
const skipped = (line: number): Expected => ({ line, outcome: "skipped" });

const CASES: Record<string, Case> = {
  C01: {
    file: "csv-utf8-bom-excel.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: "email",
    rows: [
      invited(2, "ada@example.com", "Ada Lovelace"),
      invited(3, "grace@example.com", "Grace Hopper"),
    ],
  },
  C02: {
    file: "csv-excel-semicolon-bom.csv",
    encoding: "UTF-8",
    delimiter: ";",
    emailColumn: "E-Mail",
    rows: [
      invited(2, "jane@example.com", "Doe, Jane"),
      invited(3, "richard@example.com", "Roe, Richard"),
    ],
  },
  C03: {
    file: "csv-utf16le-bom-tab.csv",
    encoding: "UTF-16LE",
    delimiter: "\t",
    emailColumn: "Email",
    rows: [
      invited(2, "ada@example.com", "Ada Lovelace"),
      invited(3, "jose@example.com", "José Álvarez"),
    ],
  },
  C05: {
    file: "csv-crlf-quoted-fields.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: "email",
    rows: [
      invited(2, "jane@example.com", "Doe, Jane"),
      invited(3, "pat@example.com", `O'Brien "Pat"`),
      invited(4, "alex@example.com", "Smith, Alex"),
    ],
  },
  C06: {
    file: "csv-outlook-contacts-export.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: "E-mail Address",
    rows: [
      invited(2, "ada@example.com", "Ada Lovelace"),
      invited(3, "grace@example.org", "Grace Hopper"),
      { line: 4, outcome: "invalid", reason: "missing_email" },
    ],
  },
  C07: {
    file: "csv-whitespace-blank-lines.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: "email",
    rows: [
      invited(2, "ada@example.com"),
      invited(3, "grace@example.com"),
      skipped(4),
      invited(5, "alan@example.com"),
      skipped(6),
      skipped(7),
      invited(8, "edsger@example.com"),
      invited(9, "barbara@example.com"),
      skipped(10),
    ],
  },
  C08: {
    file: "csv-case-duplicates.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: "email",
    rows: [
      invited(2, "ada@example.com", "Ada"),
      { line: 3, outcome: "duplicate", key: "ada@example.com", duplicateOf: 2 },
      { line: 4, outcome: "duplicate", key: "ada@example.com", duplicateOf: 2 },
      invited(5, "grace@example.com", "Grace"),
      { line: 6, outcome: "duplicate", key: "grace@example.com", duplicateOf: 5 },
    ],
  },
  C09: {
    file: "csv-display-name-mailto.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: "email",
    rows: [
      invited(2, "ada@example.com", "Lovelace, Ada"),
      invited(3, "grace@example.com", "Grace Hopper"),
      invited(4, "alan@example.com"),
      invited(5, "edsger@example.com"),
      invited(6, "barbara@example.com"),
      invited(7, "ken@example.com", "Ken Thompson"),
      { line: 8, outcome: "invalid", reason: "invalid_email" },
    ],
  },
  C10: {
    file: "csv-plus-idn.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: "email",
    rows: [
      invited(2, "ada+billing@example.com"),
      invited(3, "ada@example.com"),
      invited(4, "bob@xn--bcher-kva.example"),
      invited(5, "carol@xn--bcher-kva.example"),
      invited(6, "dana@xn--bcher-kva.example"),
      { line: 7, outcome: "duplicate", key: "dana@xn--bcher-kva.example", duplicateOf: 6 },
      invited(8, "erin@xn--bcher-kva.example"),
      { line: 9, outcome: "invalid", reason: "unsupported_local_part" },
    ],
  },
  C12: {
    file: "csv-no-header.csv",
    encoding: "UTF-8",
    delimiter: ",",
    emailColumn: null,
    rows: [invited(1, "ada@example.com"), invited(2, "grace@example.com")],
  },
};

// What no accepted key may hold (INDEX.md's invariants).
const FORBIDDEN_IN_KEY = [
  "\ufeff",
  "\u0000",
  "\ufffd",
  "\u00a0",
  "\u200b",
  "\r",
  "\t",
  " ",
  "<",
  ">",
  "mailto:",
];

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

function shape(row: any): Expected {
  const expected: Expected = { line: row.line, outcome: row.outcome };
  if (row.outcome === "invited" || row.outcome === "duplicate") expected.key = row.key;
  if (row.outcome === "invited" && row.name !== null) expected.name = row.name;
  if (row.reason !== null) expected.reason = row.reason;
  if (row.duplicateOf !== null) expected.duplicateOf = row.duplicateOf;

  return expected;
}

async function scene() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);

  return { owner, orgId };
}

describe("the real-world CSV files", () => {
  for (const [id, example] of Object.entries(CASES)) {
    it(`${id}: ${example.file} gives the index's result, then invites each accepted key once`, async () => {
      const { owner, orgId } = await scene();
      const dryRun = await uploadFile(owner.client, orgId, caseFile(example.file));
      expect(dryRun.status, JSON.stringify(dryRun.body)).toBe(201);

      const upload = dryRun.body.upload;
      expect(upload.status).toBe("ready");
      expect(upload.file).toMatchObject({
        encoding: example.encoding,
        delimiter: example.delimiter,
        emailColumn: example.emailColumn,
      });
      const rows = await uploadRows(owner.client, orgId, upload.uploadId);
      expect(rows.map(shape)).toEqual(example.rows);
      expect(upload.rows).toBe(example.rows.length);
      const counted = Object.values(upload.counts as Record<string, number>);
      expect(counted.reduce((a, b) => a + b, 0)).toBe(example.rows.length);

      // The dry run invites nobody.
      expect(await pendingKeys(server, orgId)).toEqual([]);
      expect(await invitationMailCount(server, orgId)).toBe(0);

      const committed = await commitUpload(owner.client, orgId, upload.uploadId);
      expect(committed.status).toBe(200);
      expect(committed.body.upload).toMatchObject({ status: "committed", committed: true });

      const accepted = example.rows.filter((row) => row.outcome === "invited");
      const keys = accepted.map((row) => row.key as string);
      expect(await pendingKeys(server, orgId)).toEqual([...keys].sort());
      for (const key of keys) {
        expect(FORBIDDEN_IN_KEY.filter((text) => key.toLowerCase().includes(text))).toEqual([]);
      }
      expect(await invitationMailCount(server, orgId)).toBe(accepted.length);
    });
  }

  it("C08: the same file again invites nobody twice: the accepted lines are already invited", async () => {
    const { owner, orgId } = await scene();
    const file = caseFile("csv-case-duplicates.csv");
    const first = await uploadFile(owner.client, orgId, file, { commit: true });
    expect(first.body.upload.counts.invited).toBe(2);

    const again = await uploadFile(owner.client, orgId, file, { commit: true });
    expect(again.status).toBe(201);
    expect(again.body.upload.counts).toMatchObject({ invited: 0, alreadyInvited: 2, duplicate: 3 });
    const rows = await uploadRows(owner.client, orgId, again.body.upload.uploadId);
    expect(rows.filter((r) => r.outcome === "already_invited").map((r) => r.line)).toEqual([2, 5]);
    expect(await invitationMailCount(server, orgId)).toBe(2);
  });
});
