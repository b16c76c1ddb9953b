import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { TestServer } from "../helpers/server.ts";
import {
  checkPage,
  expectPage,
  freshEmail,
  mailedLink,
  PASSWORD,
  signUpInBrowser,
} from "./helpers/app.ts";
import type { Person, TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";

/**
 * The seat lifecycle done only by clicking and typing: form an organization, buy seats, invite,
 * accept as a new and as an existing person, assign seats, activate, reissue, revoke, leave.
 * The API is used only to ask the token check what a package repository would be told.
 */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

/** What the token check answers a package repository for this token. */
async function check(token: string): Promise<number> {
  const answer = await fetch(`${server.url}/auth/check`, {
    headers: { authorization: `Bearer ${token}` },
  });

  return answer.status;
}

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name }).click();
}

/** The status message the page shows after an action. */
async function expectStatus(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole("status").filter({ hasText: text }).first().waitFor();
}

async function signedUpPerson(email: string, name: string): Promise<Person> {
  const person = await browser.person(server.url);
  await signUpInBrowser(server, person.page, email, name);
  await person.page.waitForURL(`${server.url}/orgs`);

  return person;
}

async function formOrganization(page: Page, name: string, orgId: string): Promise<void> {
  await page.getByRole("button", { name: "Form New Organization" }).click();
  const dialog = page.getByRole("dialog", { name: "Form New Organization" });
  await dialog.getByLabel("Display name").fill(name);
  await dialog.getByLabel("Organization ID").fill(orgId);
  await dialog.getByText(`✓ ${orgId} is available.`).waitFor();
  await dialog.getByRole("button", { name: "Create organization" }).click();
  await page.waitForURL(`${server.url}/orgs/${orgId}`);
}

async function buySeats(page: Page, seats: number): Promise<void> {
  await openTab(page, "Subscriptions");
  await expectPage(page, "Subscriptions");
  await page.getByText("No subscription yet.").waitFor();
  await page.getByLabel("Seats", { exact: true }).fill(String(seats));
  await page.getByText(/^Costs .+ per (month|year), invoiced now/).waitFor();
  await page.getByRole("button", { name: "Buy seats" }).click();
  await expectStatus(page, new RegExp(`^Bought ${seats} \\w+ seats`));
  await page.getByText(`0 of ${seats} seats used`).waitFor();
  await checkPage(page, "org-subscriptions", true);
}

async function invite(page: Page, emails: string): Promise<string> {
  await openTab(page, "Members");
  await expectPage(page, "Members");
  await page.getByRole("button", { name: "Invite Members" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite Members" });
  await dialog.getByLabel("Emails").fill(emails);
  await checkPage(page, "org-invite-dialog", true);
  await dialog.getByRole("button", { name: "Send invitations" }).click();
  const summary = await dialog.getByRole("status").innerText();
  const results = await dialog.getByRole("listitem").allInnerTexts();
  await checkPage(page, "org-invite-results");
  await dialog.getByRole("button", { name: "Done" }).click();
  await dialog.waitFor({ state: "hidden" });

  return [summary, ...results].join("\n");
}

/** The member's row in the members table. */
function memberRow(page: Page, email: string) {
  return page.getByRole("row").filter({ hasText: email });
}

async function assignSeatFromActions(page: Page, name: string, email: string): Promise<void> {
  const row = memberRow(page, email);
  await row.getByRole("button", { name: "Actions" }).click();
  await row.getByRole("menuitem", { name: "Assign seat" }).click();
  const dialog = page.getByRole("dialog", { name: `Assign seat — ${name}` });
  await checkPage(page, "org-assign-seat-dialog");
  await dialog.getByRole("button", { name: "Assign seat" }).click();
  await dialog.waitFor({ state: "hidden" });
  await expectStatus(page, new RegExp(`^${name} now holds a \\w+ seat\\.$`));
}

/** Activates the token on the Token Access page and reads it from the page. */
async function activateToken(page: Page): Promise<string> {
  await expectPage(page, "Token Access");
  await checkPage(page, "org-token-before", true);
  await page.getByRole("button", { name: "Activate token" }).click();

  return revealedToken(page);
}

async function revealedToken(page: Page): Promise<string> {
  const reveal = page.getByRole("region", { name: "Your new token" });
  await reveal.waitFor();

  const token = reveal.getByRole("figure", { name: "Token", exact: true }).locator("code");

  return (await token.innerText()).trim();
}

/**
 * The owner's remaining pages: the seat use after Carla left, the audit log, Settings (where
 * the last owner's leaving is refused in words), and the cross-organization lists.
 */
async function visitOwnerPages(page: Page): Promise<void> {
  await openTab(page, "Subscriptions");
  // Ann's seat was revoked and Carla's freed by her leaving.
  await page.getByText("0 of 2 seats used").waitFor();

  await openTab(page, "Audit log");
  await expectPage(page, "Audit log");
  await page.getByRole("region", { name: "Audit events" }).waitFor();
  await checkPage(page, "org-audit", true);

  await openTab(page, "Settings");
  await expectPage(page, "Settings");
  await checkPage(page, "org-settings", true);
  await page.getByRole("button", { name: "Leave organization" }).click();
  const leave = page.getByRole("dialog", { name: "Leave organization" });
  await leave.getByRole("button", { name: "Leave organization" }).click();
  await leave.getByRole("alert").waitFor();
  await checkPage(page, "org-settings-last-owner");
  await leave.getByRole("button", { name: "Cancel" }).click();
  expect(new URL(page.url()).pathname).toBe("/orgs/acme/settings");

  for (const [path, heading, name] of [
    ["/subscriptions", "Subscriptions", "subscriptions"],
    ["/token-access", "Token Access", "token-access"],
  ] as const) {
    await page.goto(path);
    await expectPage(page, heading);
    await checkPage(page, name, true);
  }
}

describe("the seat lifecycle in the browser", () => {
  it("runs from a new organization to a left one by clicking and typing", async () => {
    const owner = await signedUpPerson(freshEmail("olga"), "Olga Owner");
    const carlaEmail = freshEmail("carla");
    const carla = await signedUpPerson(carlaEmail, "Carla Existing");
    const annEmail = freshEmail("ann");

    // The owner forms the organization and buys two seats.
    await formOrganization(owner.page, "Acme", "acme");
    await buySeats(owner.page, 2);

    // One comma-separated list: a new person, an existing account, a bad address.
    const outcome = await invite(owner.page, `${annEmail}, ${carlaEmail}, not-an-address`);
    expect(outcome).toContain("2 invited, 1 invalid.");
    expect(outcome).toContain(`${annEmail}: Invited: an invitation was mailed.`);
    expect(outcome).toContain(`${carlaEmail}: Invited: an invitation was mailed.`);
    expect(outcome).toContain("not-an-address: Not sent: this is not a valid email address.");

    await openTab(owner.page, "Invitations");
    await expectPage(owner.page, "Invitations");
    await memberRow(owner.page, annEmail).waitFor();
    await memberRow(owner.page, carlaEmail).waitFor();
    await checkPage(owner.page, "org-invitations", true);

    // Ann is new: she signs up on the invitation page, her address fixed, then accepts.
    const annLink = await mailedLink(server, annEmail, /invited you to Acme/, "/invite/");
    const ann = await browser.person(server.url);
    await ann.page.goto(annLink);
    await expectPage(ann.page, "Join Acme");
    await ann.page.getByText(`Olga Owner invited ${annEmail} to join Acme`).waitFor();
    const fixed = ann.page.getByLabel("Email", { exact: true });
    expect(await fixed.inputValue()).toBe(annEmail);
    expect(await fixed.getAttribute("readonly")).not.toBeNull();
    await checkPage(ann.page, "invite-landing", true);
    await ann.page.getByLabel("Name", { exact: true }).fill("Ann New");
    await ann.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await ann.page.getByRole("button", { name: "Sign up" }).click();
    await ann.page.getByText(`You are signed in as ${annEmail}.`).waitFor();
    await checkPage(ann.page, "invite-accept");
    await ann.page.getByRole("button", { name: "Accept invitation" }).click();
    await ann.page.waitForURL(`${server.url}/orgs/acme`);
    await expectPage(ann.page, "Overview");

    // Carla has an account: she signs out, follows her link, signs in from it and accepts.
    await carla.page.getByRole("button", { name: "Profile menu for Carla Existing" }).click();
    await carla.page.getByRole("menuitem", { name: "Sign out" }).click();
    await carla.page.waitForURL((url) => url.pathname === "/signin");
    const carlaLink = await mailedLink(server, carlaEmail, /invited you to Acme/, "/invite/");
    await carla.page.goto(carlaLink);
    await expectPage(carla.page, "Join Acme");
    await carla.page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await carla.page.waitForURL(/\/signin\?next=/);
    await carla.page.getByLabel("Email", { exact: true }).fill(carlaEmail);
    await carla.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await carla.page.getByRole("button", { name: "Sign in" }).click();
    await carla.page.waitForURL(carlaLink);
    await carla.page.getByRole("button", { name: "Accept invitation" }).click();
    await carla.page.waitForURL(`${server.url}/orgs/acme`);

    // The owner sees both and gives Ann a seat from her row's Actions menu.
    await openTab(owner.page, "Members");
    await memberRow(owner.page, annEmail).waitFor();
    await memberRow(owner.page, carlaEmail).waitFor();
    await checkPage(owner.page, "org-members", true);
    await assignSeatFromActions(owner.page, "Ann New", annEmail);
    const annRow = memberRow(owner.page, annEmail);
    const annSeats = () => annRow.getByRole("cell").nth(4).innerText();
    await expect.poll(annSeats).not.toBe("—");

    // Ann follows the seat mail to Token Access and activates her token.
    const seatLink = await mailedLink(server, annEmail, /seat in Acme/, "/orgs/acme/token");
    await ann.page.goto(seatLink);
    const first = await activateToken(ann.page);
    expect(first.length).toBeGreaterThan(20);
    expect(await check(first)).toBe(200);
    await checkPage(ann.page, "org-token-active", true);
    await server.deliverMail();
    expect((await server.smtp.waitFor(annEmail, /token/)).text).toContain(first);

    // Reissuing asks first, then the old token stops at once and the new one works.
    await ann.page.getByRole("button", { name: "Reissue token" }).click();
    const confirm = ann.page.getByRole("dialog", { name: "Reissue token" });
    await confirm.getByText("Your current token stops working at once").waitFor();
    await checkPage(ann.page, "org-token-reissue-confirm");
    await confirm.getByRole("button", { name: "Reissue token" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expect.poll(() => revealedToken(ann.page)).not.toBe(first);
    const second = await revealedToken(ann.page);
    expect(await check(first)).toBe(401);
    expect(await check(second)).toBe(200);

    // Her uses are counted and written every few seconds; written now, her page shows them.
    expect(await check(second)).toBe(200);
    await server.tessera.ctx.tokenChecks.uses.flush();
    await ann.page.reload();
    const facts = ann.page.locator("dl.org-facts");
    await expect.poll(() => facts.textContent()).toContain("Uses today2");
    await owner.page.reload();
    await expect.poll(() => annRow.textContent()).toContain("2 uses today");

    // The owner revokes Ann's seat from the Actions menu; her token says no.
    await annRow.getByRole("button", { name: "Actions" }).click();
    await annRow.getByRole("menuitem", { name: "Revoke seat" }).click();
    const revoke = owner.page.getByRole("dialog", { name: "Revoke seat — Ann New" });
    await revoke.getByRole("button", { name: "Revoke seat" }).click();
    await revoke.waitFor({ state: "hidden" });
    await expectStatus(owner.page, /^Ann New's \w+ seat was revoked\.$/);
    await expect.poll(annSeats).toBe("—");
    expect(await check(second)).toBe(403);

    // Carla's seat comes from selecting her row and assigning in bulk: both seats are used.
    await owner.page.getByRole("checkbox", { name: "Select Carla Existing" }).check();
    await owner.page.getByText("1 selected").waitFor();
    await owner.page.getByRole("button", { name: "Assign seats", exact: true }).click();
    const bulk = owner.page.getByRole("dialog", { name: "Assign seats" });
    await bulk.getByText("Assign a seat to 1 selected member: Carla Existing.").waitFor();
    await bulk.getByRole("button", { name: "Assign seats" }).click();
    await bulk
      .getByRole("status")
      .filter({ hasText: /^Assigned 1 of 1 \w+ seat\./ })
      .waitFor();
    await checkPage(owner.page, "org-bulk-assign-results");
    // The dialog's corner × is also named Close; the button under the results is the last.
    await bulk.getByRole("button", { name: "Close" }).last().click();
    await bulk.waitFor({ state: "hidden" });
    await expect
      .poll(() => memberRow(owner.page, carlaEmail).getByRole("cell").nth(4).innerText())
      .not.toBe("—");

    // Carla leaves from Settings, after confirming; Acme is gone from her list.
    await carla.page.goto("/orgs/acme/settings");
    await carla.page.getByRole("button", { name: "Leave organization" }).click();
    const leave = carla.page.getByRole("dialog", { name: /Leave/ });
    await checkPage(carla.page, "org-leave-confirm");
    await leave.getByRole("button", { name: /Leave/ }).click();
    await carla.page.waitForURL(`${server.url}/orgs`);
    await carla.page.getByText("You belong to no organization yet.").waitFor();

    await visitOwnerPages(owner.page);
    for (const person of [owner, ann, carla]) expect(person.pageErrors).toEqual([]);
  });
});
