import { describe, expect, it } from "vitest";
import { signUpVerified } from "../helpers/people.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage, freshEmail, isFocused, signUpInBrowser } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";

/** Forming an organization from /orgs, its ID checked as it is typed. */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

describe("forming an organization", () => {
  it("checks the ID as typed, forms the organization and lists it with the roles", async () => {
    const someoneElse = await signUpVerified(server, freshEmail("taken"), "Taken");
    const taken = await someoneElse.post("/api/v1/organizations", {
      orgId: "globex",
      name: "Globex",
    });
    expect(taken.status).toBe(201);

    const { page, pageErrors } = await browser.person(server.url);
    await signUpInBrowser(server, page, freshEmail("olga"), "Olga Owner");
    await page.waitForURL(`${server.url}/orgs`);
    await expectPage(page, "Organizations");
    await page.getByText("You belong to no organization yet.").waitFor();
    await checkPage(page, "orgs-empty", true);

    const opener = page.getByRole("button", { name: "Form New Organization" });
    await opener.click();
    const dialog = page.getByRole("dialog", { name: "Form New Organization" });
    await dialog.waitFor();
    const name = dialog.getByLabel("Display name");
    const id = dialog.getByLabel("Organization ID");
    const create = dialog.getByRole("button", { name: "Create organization" });

    // The ID follows the display name until edited; each rule broken is named.
    await name.fill("Acme Rockets");
    expect(await id.inputValue()).toBe("acme-rockets");
    await id.fill("Acme--");
    await dialog.getByText("Use only lowercase letters a to z, digits and hyphens.").waitFor();
    await dialog.getByText("Hyphens must stand alone, not two in a row.").waitFor();
    await dialog.getByText("It must start and end with a letter or digit.").waitFor();
    expect(await create.isDisabled()).toBe(true);

    // The server answers for taken and reserved IDs.
    await id.fill("globex");
    await dialog.getByText("This ID is already taken. Choose another.").waitFor();
    await id.fill("admin");
    await dialog.getByText("This ID is reserved. Choose another.").waitFor();

    await id.fill("acme");
    await dialog.getByText("✓ acme is available.").waitFor();
    await dialog.getByText(`Its address will be ${server.url}/orgs/acme`).waitFor();
    await dialog
      .getByText("The organization ID can never be changed once the organization exists.")
      .waitFor();
    await checkPage(page, "orgs-form-new", true);

    await create.click();
    await page.waitForURL(`${server.url}/orgs/acme`);
    await expectPage(page, "Overview");
    const main = page.getByRole("main");
    await main.getByText("Acme Rockets").first().waitFor();
    await main.getByRole("heading", { name: "Still missing" }).waitFor();
    await checkPage(page, "org-overview", true);

    await page.goto("/orgs");
    const row = page.getByRole("row", { name: /Acme Rockets/ });
    await row.waitFor();
    expect(await row.getByRole("cell").allInnerTexts()).toEqual([
      "Acme Rockets",
      "acme",
      "Owner, Account admin",
      expect.any(String),
    ]);
    await checkPage(page, "orgs", true);
    expect(pageErrors).toEqual([]);
  });

  it("closes the dialog with Escape and gives focus back to its button", async () => {
    const { page } = await browser.person(server.url);
    await signUpInBrowser(server, page, freshEmail("esc"), "Esc");
    await page.waitForURL(`${server.url}/orgs`);

    const opener = page.getByRole("button", { name: "Form New Organization" });
    await opener.click();
    const dialog = page.getByRole("dialog", { name: "Form New Organization" });
    await dialog.waitFor();
    expect(await isFocused(dialog.getByLabel("Display name"))).toBe(true);

    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await isFocused(opener)).toBe(true);
  });
});
