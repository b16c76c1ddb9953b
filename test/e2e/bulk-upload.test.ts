import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { organization, person } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage, isFocused } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { tabTo } from "./helpers/keyboard.ts";
import { expectStatus, rowOf, signedIn, visit } from "./helpers/scene.ts";
import { useBrowserSuite } from "./helpers/suite.ts";

/**
 * Bulk Upload on the Members page: a real export's dry run with its problem rows, then the
 * invitations it sends; a file that leaves the address column open; a large file read and
 * sent in the background behind a progress bar, and its row report; the refusals in words.
 * Files over 100 rows go to the background jobs, which the test runs when it chooses.
 */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite), {
  env: { UPLOAD_INLINE_ROWS: "100", UPLOAD_MAX_ROWS: "5000" },
});

const CASES = path.resolve(import.meta.dirname, "../cases");

async function ownerOnMembers(screenshots = false) {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);
  const signed = await signedIn(browser, server, owner.email);
  await visit(signed.page, `/orgs/${orgId}/members`, "Members", "bulk-upload-members", screenshots);

  return { owner, orgId, ...signed };
}

async function openBulkUpload(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "Bulk Upload" }).click();
  const dialog = page.getByRole("dialog", { name: "Bulk Upload" });
  await dialog.waitFor();

  return dialog;
}

function csvFile(name: string, text: string) {
  return { name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") };
}

/** Each row of the preview table as its cells' text. */
function tableRows(dialog: Locator): Promise<string[][]> {
  return dialog
    .getByRole("region", { name: "Rows of the file" })
    .locator("tbody tr")
    .evaluateAll((rows) =>
      rows.map((row) =>
        Array.from((row as unknown as { cells: ArrayLike<{ textContent: string }> }).cells).map(
          (cell) => cell.textContent.trim(),
        ),
      ),
    );
}

/** The lines of the preview rows drawn as problems. */
function problemLines(dialog: Locator): Promise<string[]> {
  return dialog.locator("tbody tr.upload-problem td:first-child").allInnerTexts();
}

function counts(dialog: Locator): Promise<string[]> {
  return dialog.getByRole("list", { name: "Counts" }).getByRole("listitem").allInnerTexts();
}

/** The dialog's facts (File, Encoding, ...) as name -> text. */
async function facts(dialog: Locator): Promise<Record<string, string>> {
  const names = await dialog.locator("dl dt").allInnerTexts();
  const values = await dialog.locator("dl dd").allInnerTexts();

  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? ""]));
}

/**
 * The axe check and both screenshots of the dialog's state, and a check that at phone width
 * the dialog itself does not scroll sideways (a wide table scrolls inside its own region).
 */
async function shoot(page: Page, dialog: Locator, name: string): Promise<void> {
  await checkPage(page, name, true);

  const before = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 812 });
  const [scrolled, shown] = await dialog.evaluate((box: any) => [box.scrollWidth, box.clientWidth]);
  if (before) await page.setViewportSize(before);
  expect(scrolled).toBeLessThanOrEqual(shown);
}

async function pendingInvitations(owner: { client: any }, orgId: string): Promise<string[]> {
  const answer = await owner.client.get(
    `/api/v1/organizations/${orgId}/invitations?status=pending&limit=100`,
  );

  return answer.body.invitations.map((i: { email: string }) => i.email).sort();
}

describe("bulk upload", () => {
  it("previews an Outlook export with counts and problem rows, then sends it", async () => {
    const { orgId, page, pageErrors } = await ownerOnMembers(true);
    const dialog = await openBulkUpload(page);
    const fileInput = dialog.getByLabel("CSV file");
    expect(await isFocused(fileInput)).toBe(true);
    await shoot(page, dialog, "bulk-upload-choose");

    await fileInput.setInputFiles(path.join(CASES, "csv-outlook-contacts-export.csv"));
    await dialog.getByText("Chosen: csv-outlook-contacts-export.csv (").waitFor();
    await dialog.getByRole("button", { name: "Upload and check" }).click();
    await dialog.getByRole("heading", { name: "Check before sending" }).waitFor();

    expect(await facts(dialog)).toEqual({
      File: "csv-outlook-contacts-export.csv (391 bytes, 3 rows)",
      Encoding: "UTF-8",
      Delimiter: "comma",
      "Address column":
        "E-mail Address (where it is empty: “E-mail 2 Address”, then “E-mail 3 Address”)",
      "Name from": "First Name + Middle Name + Last Name",
    });
    expect(await counts(dialog)).toEqual([
      "To invite: 2",
      "Already members: 0",
      "Already invited: 0",
      "Duplicates: 0",
      "Invalid: 1",
      "Skipped (blank): 0",
    ]);
    await expect.poll(() => tableRows(dialog)).toHaveLength(3);
    expect(await tableRows(dialog)).toEqual([
      ["2", "ada@example.com", "To invite", "Invitee’s name: Ada Lovelace."],
      ["3", "grace@example.org", "To invite", "Invitee’s name: Grace Hopper."],
      ["4", "(empty)", "Invalid", "There is no email address in this row."],
    ]);
    expect(await problemLines(dialog)).toEqual(["4"]);
    await shoot(page, dialog, "bulk-upload-dry-run");

    const problemsOnly = dialog.getByRole("switch", { name: /Show only problems/ });
    await problemsOnly.check();
    await expect.poll(() => tableRows(dialog)).toHaveLength(1);
    expect((await tableRows(dialog))[0]?.[0]).toBe("4");
    await problemsOnly.uncheck();
    await expect.poll(() => tableRows(dialog)).toHaveLength(3);

    await dialog.getByRole("button", { name: "Send 2 invitations" }).click();
    await dialog.getByRole("heading", { name: "Invitations sent" }).waitFor();
    await expectStatus(dialog, "2 invitations were sent from csv-outlook-contacts-export.csv.");
    expect((await counts(dialog))[0]).toBe("Invited: 2");
    await shoot(page, dialog, "bulk-upload-done");

    await dialog.getByRole("link", { name: "See the invitations" }).click();
    await expectPage(page, "Invitations");
    await rowOf(page, "ada@example.com").waitFor();
    await rowOf(page, "grace@example.org").waitFor();
    expect(await rowOf(page, "ada.personal@example.net").count()).toBe(0);

    await page.goto(`/orgs/${orgId}/audit`);
    await expectPage(page, "Audit log");
    await page.getByRole("cell", { name: "Uploaded invitations" }).first().waitFor();

    // Closed and opened again, the dialog lists the upload and opens it where it ended.
    await page.goto(`/orgs/${orgId}/members`);
    await expectPage(page, "Members");
    const again = await openBulkUpload(page);
    await again.getByRole("heading", { name: "Earlier uploads" }).waitFor();
    await shoot(page, again, "bulk-upload-earlier");
    await again.getByRole("button", { name: "Open csv-outlook-contacts-export.csv" }).click();
    await again.getByRole("heading", { name: "Invitations sent" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("asks which column holds the addresses and uploads with the one chosen, by keyboard", async () => {
    const { owner, orgId, page, pageErrors } = await ownerOnMembers();
    const opener = page.getByRole("button", { name: "Bulk Upload" });
    await opener.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Bulk Upload" });
    const fileInput = dialog.getByLabel("CSV file");
    await fileInput.waitFor();
    expect(await isFocused(fileInput)).toBe(true);

    const text =
      "Name,Personal Email,Work Email\r\n" +
      "Ada,ada@home.example,ada@work.example\r\n" +
      "Bob,bob@home.example,bob@work.example\r\n";
    await fileInput.setInputFiles(csvFile("two-columns.csv", text));
    await tabTo(page, dialog.getByRole("button", { name: "Upload and check" }));
    await page.keyboard.press("Enter");

    const question = dialog.getByRole("heading", {
      name: "Which column holds the email addresses?",
    });
    await question.waitFor();
    expect(await isFocused(question)).toBe(true);
    const personal = dialog.getByRole("radio", { name: "Personal Email" });
    const work = dialog.getByRole("radio", { name: "Work Email" });
    expect(await personal.isChecked()).toBe(true);
    await dialog.getByText("The file’s columns: Name, Personal Email, Work Email.").waitFor();
    await shoot(page, dialog, "bulk-upload-column-choice");

    await tabTo(page, personal);
    await page.keyboard.press("ArrowDown");
    expect(await work.isChecked()).toBe(true);
    await tabTo(page, dialog.getByRole("button", { name: "Use this column" }));
    await page.keyboard.press("Enter");

    const check = dialog.getByRole("heading", { name: "Check before sending" });
    await check.waitFor();
    expect(await isFocused(check)).toBe(true);
    expect((await facts(dialog))["Address column"]).toBe("Work Email");
    await expect.poll(() => tableRows(dialog)).toHaveLength(2);
    expect((await tableRows(dialog)).map((row) => row[1])).toEqual([
      "ada@work.example",
      "bob@work.example",
    ]);
    await tabTo(page, dialog.getByRole("button", { name: "Send 2 invitations" }));
    await page.keyboard.press("Enter");
    await dialog.getByRole("heading", { name: "Invitations sent" }).waitFor();
    expect(await pendingInvitations(owner, orgId)).toEqual([
      "ada@work.example",
      "bob@work.example",
    ]);

    // Escape closes the dialog and gives the focus back to the button that opened it.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await isFocused(opener)).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it("says in plain words why a file cannot be taken", async () => {
    const { page, pageErrors } = await ownerOnMembers();
    const dialog = await openBulkUpload(page);
    const fileInput = dialog.getByLabel("CSV file");
    const upload = dialog.getByRole("button", { name: "Upload and check" });
    const refusal = dialog.getByRole("alert");

    // A workbook dropped on the zone: the input takes it too, and the server refuses it.
    const dropped = await page.evaluateHandle(() => {
      const bytes = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]);
      const transfer = new (globalThis as any).DataTransfer();
      transfer.items.add(new File([bytes], "team.xlsx"));

      return transfer;
    });
    await dialog.getByText("Choose a file, or drop one here.", { exact: false }).waitFor();
    await fileInput.locator("..").dispatchEvent("drop", { dataTransfer: dropped });
    await dialog.getByText("Chosen: team.xlsx (10 bytes).").waitFor();
    expect(await fileInput.evaluate((input) => (input as any).files[0].name)).toBe("team.xlsx");
    await upload.click();
    await refusal.getByText(/^This is a spreadsheet workbook, not a CSV file\./).waitFor();
    await shoot(page, dialog, "bulk-upload-refused");

    await fileInput.setInputFiles(
      csvFile("quote.csv", 'email\nada@example.com\n"bob@example.com\n'),
    );
    await upload.click();
    await refusal
      .getByText(
        "The file cannot be read as CSV: on line 3, a quoted value is never closed " +
          '(a closing " is missing). Fix it and upload it again.',
      )
      .waitFor();

    const rows = Array.from({ length: 5001 }, (_, n) => `person${n}@example.com`);
    await fileInput.setInputFiles(csvFile("many.csv", `email\n${rows.join("\n")}\n`));
    await upload.click();
    await refusal
      .getByText(
        "The file has 5,001 rows; one upload may have at most 5,000. Split it into smaller files.",
      )
      .waitFor();

    await fileInput.setInputFiles(csvFile("empty.csv", ""));
    await upload.click();
    await refusal
      .getByText("The file is empty. Choose the file that holds the addresses.")
      .waitFor();

    await fileInput.setInputFiles(csvFile("blank.csv", "email\n\n , \n"));
    await upload.click();
    await refusal.getByText("The file has no rows with anything to invite.").waitFor();
    expect(pageErrors).toEqual([]);
  });

  // Last in the file: it leaves about 3,000 invitation mails in the outbox, and every later
  // sign-up's verification mail would be delivered behind them.
  it("shows a large file's progress while the server reads and sends it, then its report", async () => {
    const { owner, orgId, page, pageErrors } = await ownerOnMembers();
    const lines = ["email,name"];
    for (let n = 1; n <= 3000; n += 1) {
      const id = String(n).padStart(4, "0");
      lines.push(n === 1500 ? "not an address,Nobody" : `user${id}@example.com,User ${id}`);
    }
    lines[3000] = "user0001@example.com,User 0001 again";
    const dialog = await openBulkUpload(page);
    await dialog.getByLabel("CSV file").setInputFiles(csvFile("large.csv", lines.join("\r\n")));
    await dialog.getByRole("button", { name: "Upload and check" }).click();

    // Reading is a background job here: the bar waits at 0 until the test runs it.
    await dialog.getByRole("heading", { name: "Reading the file" }).waitFor();
    const reading = dialog.getByRole("progressbar", { name: "Reading the file: 0 of 3,000 rows" });
    await reading.waitFor();
    expect(await reading.evaluate((bar) => [(bar as any).value, (bar as any).max])).toEqual([
      0, 3000,
    ]);
    await checkPage(page, "bulk-upload-progress-reading");
    expect(await server.runJobs()).toBeGreaterThan(0);

    await dialog.getByRole("heading", { name: "Check before sending" }).waitFor({
      timeout: 10_000,
    });
    expect(await counts(dialog)).toEqual([
      "To invite: 2,998",
      "Already members: 0",
      "Already invited: 0",
      "Duplicates: 1",
      "Invalid: 1",
      "Skipped (blank): 0",
    ]);
    await expect.poll(async () => (await tableRows(dialog)).length).toBe(20);
    expect((await tableRows(dialog)).map((row) => row[0])).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i + 2)),
    );
    await dialog.getByRole("button", { name: "Next page" }).click();
    await expect.poll(async () => (await tableRows(dialog))[0]?.[0]).toBe("22");
    await dialog.getByRole("switch", { name: /Show only problems/ }).check();
    await expect
      .poll(() => tableRows(dialog))
      .toEqual([
        ["1,501", "not an address", "Invalid", "This is not a valid email address."],
        ["3,001", "user0001@example.com", "Duplicate", "The same address as line 2."],
      ]);
    expect(await problemLines(dialog)).toEqual(["1,501", "3,001"]);

    // The report: its header and one row for every line of the file.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      dialog.getByRole("link", { name: "Download report (CSV)" }).click(),
    ]);
    const report = readFileSync(await download.path(), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(report).toHaveLength(3001);
    expect(report[0]).toBe(
      "\ufeffline,input,email,name,role,seat_product,outcome,reason,duplicate_of",
    );
    expect(report.slice(1).map((row) => Number(row.split(",")[0]))).toEqual(
      Array.from({ length: 3000 }, (_, i) => i + 2),
    );
    expect(report[1500]).toBe("1501,not an address,,Nobody,,,invalid,invalid_email,");
    expect(report[3000]).toMatch(/^3001,user0001@example\.com,.*,duplicate,,2$/);

    await dialog.getByRole("button", { name: "Send 2,998 invitations" }).click();
    await dialog.getByRole("heading", { name: "Sending the invitations" }).waitFor();
    const sending = dialog.getByRole("progressbar", {
      name: "Writing the invitations: 0 of 3,000 rows",
    });
    await sending.waitFor();
    await shoot(page, dialog, "bulk-upload-progress");
    expect(await pendingInvitations(owner, orgId)).toEqual([]);

    expect(await server.runJobs()).toBeGreaterThan(0);
    await dialog.getByRole("heading", { name: "Invitations sent" }).waitFor({ timeout: 10_000 });
    await expectStatus(dialog, "2,998 invitations were sent from large.csv.");
    expect((await pendingInvitations(owner, orgId)).length).toBe(100);
    expect(pageErrors).toEqual([]);
  });
});
