import { describe, expect, it } from "vitest";
import { failure, readCsv } from "../../../test/helpers/csv.ts";
import { chooseColumns, columnKey } from "./columns.ts";

function csv(...lines: string[]): Buffer {
  return Buffer.from(lines.join("\r\n") + "\r\n");
}

describe("the address column", () => {
  const names = [
    "email",
    "E-Mail",
    "Email Address",
    "e_mail_address",
    "MAIL",
    "Work Email",
    "Primary E-mail",
    "email-address",
    "E-Mail-Adresse",
    "Courriel",
    "Correo electr\u00f3nico",
  ];

  for (const name of names) {
    it(`is found under ${JSON.stringify(name)}, anywhere in the header`, async () => {
      const { inspection, rows } = await readCsv(csv(`Team,Name,${name}`, "x,Ada,ada@example.com"));

      expect(inspection.emailColumn).toBe(name);
      expect(rows).toEqual([{ line: 2, input: "ada@example.com", name: "Ada", blank: false }]);
    });
  }

  it("is not a column named like one whose values are not addresses", async () => {
    const file = csv(
      "E-mail,E-mail Type,Contact",
      "Work,Home,ada@example.com",
      "Home,,b@example.com",
    );

    expect(await failure(readCsv(file))).toMatchObject({
      code: "invitation.upload.needs_column_mapping",
      details: { candidates: ["Contact"], columns: ["E-mail", "E-mail Type", "Contact"] },
    });
  });

  it("uses numbered siblings, in number order, only where the primary is empty", async () => {
    const file = csv(
      "E-mail 3 Address,E-mail Address,E-mail 2 Address",
      "c1@example.com,a1@example.com,b1@example.com",
      "c2@example.com,,b2@example.com",
      "c3@example.com,,",
      ",,",
    );

    const { inspection, rows } = await readCsv(file);

    expect(inspection.emailColumn).toBe("E-mail Address");
    expect(inspection.fallbackColumns).toEqual(["E-mail 2 Address", "E-mail 3 Address"]);
    expect(rows.map((row) => [row.input, row.blank])).toEqual([
      ["a1@example.com", false],
      ["b2@example.com", false],
      ["c3@example.com", false],
      ["", true],
    ]);
  });

  it("takes the lowest number as primary when every sibling is numbered", async () => {
    const file = csv("E-mail 1 - Value,E-mail 2 - Value", "a@example.com,", ",b@example.com");

    const { inspection, rows } = await readCsv(file);

    expect(inspection.emailColumn).toBe("E-mail 1 - Value");
    expect(inspection.fallbackColumns).toEqual(["E-mail 2 - Value"]);
    expect(rows.map((row) => row.input)).toEqual(["a@example.com", "b@example.com"]);
  });

  it("prefers a primary name to a secondary one", async () => {
    const file = csv("Secondary Email,Email", "b@example.com,a@example.com");

    const { inspection, rows } = await readCsv(file);

    expect(inspection).toMatchObject({ emailColumn: "Email", fallbackColumns: [] });
    expect(rows[0]?.input).toBe("a@example.com");
  });

  it("asks when two differently named columns stand equal, and takes the caller's choice", async () => {
    const file = csv("Work Email,Personal Email,Name", "a@work.example,a@home.example,Ada");

    expect(await failure(readCsv(file))).toMatchObject({
      code: "invitation.upload.needs_column_mapping",
      status: 422,
      details: { candidates: ["Work Email", "Personal Email"] },
    });

    const { inspection, rows } = await readCsv(file, { column: "personal email" });
    expect(inspection.emailColumn).toBe("Personal Email");
    expect(rows).toEqual([{ line: 2, input: "a@home.example", name: "Ada", blank: false }]);
  });

  it("asks when the only address-named column is empty but another holds addresses", async () => {
    const file = csv("Email,Login", ",a@example.com", ",b@example.com");

    expect(await failure(readCsv(file))).toMatchObject({
      code: "invitation.upload.needs_column_mapping",
      details: { candidates: ["Email", "Login"] },
    });
  });

  it("lists the columns holding addresses when none is named for them", async () => {
    const file = csv("Login,Team", "a@example.com,x", "b@example.com,y");

    expect(await failure(readCsv(file))).toMatchObject({
      code: "invitation.upload.needs_column_mapping",
      details: { candidates: ["Login"], columns: ["Login", "Team"] },
    });
    expect((await readCsv(file, { column: "Login" })).rows.map((row) => row.input)).toEqual([
      "a@example.com",
      "b@example.com",
    ]);
  });

  it("refuses with no candidates and every column when nothing looks like an address", async () => {
    const file = csv("Name,Team", "Ada,x");

    expect(await failure(readCsv(file))).toMatchObject({
      code: "invitation.upload.needs_column_mapping",
      details: { candidates: [], columns: ["Name", "Team"] },
    });
  });

  it("never harvests addresses from free-text cells", async () => {
    const file = csv(
      "email,notes",
      ",write to ada@example.com please",
      'grace@example.com,"cc alan@example.com, edsger@example.com"',
    );

    const { rows } = await readCsv(file);

    expect(rows.map((row) => row.input)).toEqual(["", "grace@example.com"]);
  });

  it("refuses a chosen column the header does not have", async () => {
    const file = csv("email,name", "a@example.com,A");

    expect(await failure(readCsv(file, { column: "Mail" }))).toMatchObject({
      code: "invitation.upload.unknown_column",
      status: 422,
      details: { column: "Mail", columns: ["email", "name"] },
    });
    expect(await failure(readCsv(csv("a@example.com"), { column: "email" }))).toMatchObject({
      code: "invitation.upload.unknown_column",
      details: { column: "email", columns: [] },
    });
  });

  it("reads two cells of one name by position, the first as primary", async () => {
    const file = csv("Email,Name,Email", "a@example.com,A,x@example.com", ",B,b@example.com");

    const { inspection, rows } = await readCsv(file);

    expect(inspection).toMatchObject({ emailColumn: "Email", fallbackColumns: ["Email"] });
    expect(rows.map((row) => row.input)).toEqual(["a@example.com", "b@example.com"]);
  });
});

describe("the header", () => {
  it("is not there when a cell of the first line is an address", async () => {
    const { inspection, rows } = await readCsv(csv("ada@example.com,Ada", "email,name"));

    expect(inspection).toMatchObject({ header: false, emailColumn: null, records: 2 });
    expect(rows.map((row) => [row.line, row.input])).toEqual([
      [1, "ada@example.com"],
      [2, "email"],
    ]);
  });

  it("never becomes an invitation", async () => {
    const { rows } = await readCsv(csv("email", "ada@example.com"));

    expect(rows.map((row) => row.input)).toEqual(["ada@example.com"]);
  });

  it("may follow blank lines, which are then not data", async () => {
    const { inspection, rows } = await readCsv(csv("", " ", "email", "ada@example.com"));

    expect(inspection).toMatchObject({ header: true, records: 1 });
    expect(rows).toEqual([{ line: 4, input: "ada@example.com", blank: false }]);
  });

  it("without it, blank lines before the first address are skipped rows", async () => {
    const { inspection, rows } = await readCsv(csv("", "ada@example.com"));

    expect(inspection).toMatchObject({ header: false, records: 2 });
    expect(rows.map((row) => [row.line, row.blank])).toEqual([
      [1, true],
      [2, false],
    ]);
  });
});

describe("names, roles and seats", () => {
  it("takes a full name column over first and last names", async () => {
    const file = csv("First Name,Last Name,Full Name,Email", "Ada,L,Ada Lovelace,a@example.com");

    const { inspection, rows } = await readCsv(file);

    expect(inspection.nameColumns).toEqual(["Full Name"]);
    expect(rows[0]?.name).toBe("Ada Lovelace");
  });

  it("joins first, middle and last names by one space, skipping empty ones", async () => {
    const file = csv(
      "Surname,Email,Given Name,Middle Name",
      "Hopper,g@example.com,  Grace ,",
      ",x@example.com,,",
    );

    const { inspection, rows } = await readCsv(file);

    expect(inspection.nameColumns).toEqual(["Given Name", "Middle Name", "Surname"]);
    expect(rows.map((row) => row.name)).toEqual(["Grace Hopper", undefined]);
  });

  it("passes role and seat cells through as read, and leaves them out when empty", async () => {
    const file = csv(
      "email,role,seat",
      "a@example.com,Account Admin,yes",
      "b@example.com,,",
      "c@example.com,whatever,maybe",
    );

    const { inspection, rows } = await readCsv(file);

    expect(inspection).toMatchObject({ roleColumn: "role", seatColumn: "seat" });
    expect(rows).toEqual([
      { line: 2, input: "a@example.com", role: "Account Admin", seat: "yes", blank: false },
      { line: 3, input: "b@example.com", blank: false },
      { line: 4, input: "c@example.com", role: "whatever", seat: "maybe", blank: false },
    ]);
  });

  it("has no name, role or seat columns without a header", async () => {
    const { inspection } = await readCsv(csv("a@example.com,Ada,admin"));

    expect(inspection).toMatchObject({ nameColumns: [], roleColumn: null, seatColumn: null });
  });
});

describe("column names", () => {
  it("compare without case, marks, spaces, hyphens or underscores", () => {
    expect(columnKey("E-Mail_Adresse")).toBe("emailadresse");
    expect(columnKey(" Correo Electr\u00f3nico ")).toBe("correoelectronico");
    expect(columnKey("E-mail 2 Address")).toBe("email2address");
  });

  it("choose from the header and a sample alone", () => {
    const choice = chooseColumns(["Name", "Mail"], [["Ada", "ada@example.com"]], undefined);

    expect(choice).toEqual({
      emailColumn: "Mail",
      fallbackColumns: [],
      nameColumns: ["Name"],
      roleColumn: null,
      seatColumn: null,
      columnIndexes: { email: 1, fallbacks: [], names: [0], role: null, seat: null },
    });
  });
});
