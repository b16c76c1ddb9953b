import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { organization, person, plainMembers, seat, subscription } from "../helpers/fixtures.ts";
import { memberOf, tokenRow } from "../helpers/members.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage, isFocused } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";
import { focusedText, tabTo } from "./helpers/keyboard.ts";
import { expectStatus, rowOf, signedIn, visit } from "./helpers/scene.ts";

/**
 * The Members page as an owner uses it: search, the three filters, server-side pages, seats
 * for several selected members at once, and a row's Actions menu by keyboard alone. The
 * members come from the fixtures.
 */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

/** The names in the members table, in order. */
function names(page: Page): Promise<string[]> {
  return page
    .getByRole("region", { name: "Members table" })
    .locator("tbody tr td:nth-child(2)")
    .allInnerTexts();
}

function idOf(crowd: { userId: string; name: string }[], name: string): string {
  return crowd.find((m) => m.name === name)?.userId ?? "";
}

async function choose(page: Page, filter: string, option: string): Promise<void> {
  await page
    .getByRole("search")
    .getByLabel(filter, { exact: true })
    .selectOption({ label: option });
}

/**
 * 30 plain members, then three with something to find: a billing admin with a seat, a seated
 * member with an active token, and one without either; the owner joined first. 34 members.
 */
async function scene() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);
  const subscriptionId = await subscription(server, orgId, 6);
  const crowd = await plainMembers(server, orgId, 30);
  const zed = await memberOf(server, orgId, { billingAdmin: true }, "zed");
  const tia = await memberOf(server, orgId, {}, "tia");
  const uma = await memberOf(server, orgId, {}, "uma");
  await seat(server, orgId, subscriptionId, zed);
  await seat(server, orgId, subscriptionId, tia);
  await tokenRow(server, orgId, tia, "active");

  return { owner, orgId, crowd, zed, tia, uma };
}

describe("the members page", () => {
  it("searches, filters and pages on the server", async () => {
    const { owner, orgId, crowd, zed, tia, uma } = await scene();
    // The crowd joined in one statement: at the same moment, so in the order of their IDs.
    const joined = crowd.map((m) => m.name);
    joined.sort((a, b) => idOf(crowd, a).localeCompare(idOf(crowd, b), "en"));
    const { page, pageErrors } = await signedIn(browser, server, owner.email);
    await visit(page, `/orgs/${orgId}/members`, "Members", "members-page-1");

    // 25 a page, in the order they joined: the owner, then the crowd.
    expect(await names(page)).toEqual(["owner", ...joined.slice(0, 24)]);
    const pager = page.getByRole("navigation", { name: "Pages" });
    expect(await pager.getByRole("button", { name: "Previous page" }).isDisabled()).toBe(true);
    await pager.getByRole("button", { name: "Next page" }).click();
    await pager.getByText("Page 2").waitFor();
    await expect.poll(() => names(page)).toEqual([...joined.slice(24), "zed", "tia", "uma"]);
    expect(await pager.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
    await checkPage(page, "members-page-2", true);
    await pager.getByRole("button", { name: "Previous page" }).click();
    await pager.getByText("Page 1").waitFor();
    await expect.poll(async () => (await names(page)).length).toBe(25);

    // Search by part of a name, then by part of an address, in any case.
    const search = page.getByRole("searchbox", { name: "Search members" });
    await search.fill("ZE");
    await expect.poll(() => names(page)).toEqual(["zed"]);
    expect(await pager.count()).toBe(0);
    await search.fill(uma.email.slice(0, 10).toUpperCase());
    await expect.poll(() => names(page)).toEqual(["uma"]);
    await checkPage(page, "members-search", true);
    await search.fill("nobody-by-this-name");
    await page.getByText("No member matches these filters.").waitFor();
    await checkPage(page, "members-no-match");
    await search.fill("");
    await expect.poll(async () => (await names(page)).length).toBe(25);

    // Each filter, then two at once.
    await choose(page, "Role", "Billing admin");
    await expect.poll(() => names(page)).toEqual(["zed"]);
    await choose(page, "Role", "Owner");
    await expect.poll(() => names(page)).toEqual(["owner"]);
    await choose(page, "Role", "Any role");
    await choose(page, "Has seat", "With a seat");
    await expect.poll(() => names(page)).toEqual(["zed", "tia"]);
    await choose(page, "Token active", "Active token");
    await expect.poll(() => names(page)).toEqual(["tia"]);
    expect(await rowOf(page, tia.email).getByRole("cell").nth(5).innerText()).toBe("Active");
    await checkPage(page, "members-filtered", true);
    await choose(page, "Has seat", "Without a seat");
    await page.getByText("No member matches these filters.").waitFor();
    await choose(page, "Has seat", "With a seat");
    await choose(page, "Token active", "No active token");
    await expect.poll(() => names(page)).toEqual(["zed"]);
    expect(await rowOf(page, zed.email).getByRole("cell").nth(3).innerText()).toBe("Billing admin");
    expect(pageErrors).toEqual([]);
  });

  it("assigns seats to several selected members at once, each with its outcome", async () => {
    const { owner, orgId, crowd } = await scene();
    const { page, pageErrors } = await signedIn(browser, server, owner.email);
    await visit(page, `/orgs/${orgId}/members`, "Members", "members-select", false);
    const bulk = page.getByRole("button", { name: "Assign seats", exact: true });
    expect(await bulk.isDisabled()).toBe(true);

    // Three picked by hand: three of the four free seats.
    const picked = crowd.slice(0, 3);
    for (const member of picked) {
      await page.getByRole("checkbox", { name: `Select ${member.name}` }).check();
    }
    await page.getByText("3 selected").waitFor();
    await bulk.click();
    const dialog = page.getByRole("dialog", { name: "Assign seats" });
    await dialog
      .getByText(`Assign a seat to 3 selected members: ${picked.map((m) => m.name).join(", ")}.`)
      .waitFor();
    await checkPage(page, "members-bulk-assign", true);
    await dialog.getByRole("button", { name: "Assign seats" }).click();
    await expectStatus(dialog, "Assigned 3 of 3 conda seats.");
    await dialog.getByRole("button", { name: "Close" }).last().click();
    await dialog.waitFor({ state: "hidden" });
    for (const member of picked) {
      await expect
        .poll(() => rowOf(page, member.email).getByRole("cell").nth(4).innerText())
        .toBe("conda");
    }

    // The whole page: one seat is left, so each member is told what happened to them.
    await page.getByRole("checkbox", { name: "Select all members on this page" }).check();
    await page.getByText("25 selected").waitFor();
    await bulk.click();
    await dialog.getByRole("button", { name: "Assign seats" }).click();
    await expectStatus(dialog, "Assigned 1 of 25 conda seats.");
    const outcomes = await dialog.getByRole("listitem").allInnerTexts();
    expect(outcomes).toHaveLength(25);
    for (const member of picked) {
      expect(outcomes).toContain(`${member.name}: Already holds a conda seat.`);
    }
    const full = outcomes.filter((o) =>
      o.endsWith("Every conda seat is taken; buy more seats first."),
    );
    expect(full).toHaveLength(21);
    await checkPage(page, "members-bulk-results", true);
    await dialog.getByRole("button", { name: "Close" }).last().click();
    await expectPage(page, "Members");
    expect(pageErrors).toEqual([]);
  });
});

describe("the Actions menu by keyboard alone", () => {
  it("opens a row's Actions menu, moves in it, and works the dialog it opens", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    await subscription(server, orgId, 2);
    const kim = await memberOf(server, orgId, {}, "kim");
    const { page, pageErrors } = await signedIn(browser, server, owner.email);
    await visit(page, `/orgs/${orgId}/members`, "Members", "keyboard-members", false);

    const actions = rowOf(page, kim.email).getByRole("button", { name: "Actions" });
    await page.getByRole("searchbox", { name: "Search members" }).focus();
    await tabTo(page, actions);

    // Enter opens the menu on its first item; arrows, End and Home move; Escape gives back.
    await page.keyboard.press("Enter");
    const menu = rowOf(page, kim.email).getByRole("menu");
    await menu.waitFor();
    expect(await actions.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => focusedText(page)).toBe("Assign seat");
    await page.keyboard.press("ArrowDown");
    expect(await focusedText(page)).toBe("Make account admin");
    await page.keyboard.press("End");
    expect(await focusedText(page)).toBe("Remove from organization");
    await page.keyboard.press("ArrowDown");
    expect(await focusedText(page)).toBe("Assign seat");
    await page.keyboard.press("ArrowUp");
    expect(await focusedText(page)).toBe("Remove from organization");
    await page.keyboard.press("Home");
    expect(await focusedText(page)).toBe("Assign seat");
    await checkPage(page, "keyboard-actions-menu", true);
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "hidden" });
    expect(await isFocused(actions)).toBe(true);

    // ArrowDown opens it too; Enter picks the item; the dialog takes the focus.
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => focusedText(page)).toBe("Assign seat");
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Assign seat — kim" });
    await dialog.waitFor();
    expect(await isFocused(dialog.getByRole("combobox", { name: "Product" }))).toBe(true);

    // Escape closes it, and the focus is back on the menu's button.
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await isFocused(actions)).toBe(true);

    // Once more, to assign the seat by keyboard: Tab to the dialog's button, Enter.
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedText(page)).toBe("Assign seat");
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await tabTo(page, dialog.getByRole("button", { name: "Assign seat" }), 5);
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "hidden" });
    await expectStatus(page, "kim now holds a conda seat.");
    expect(await isFocused(actions)).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
