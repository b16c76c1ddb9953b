import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { organization, person, seat, subscription } from "../helpers/fixtures.ts";
import { memberOf } from "../helpers/members.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage, freshEmail } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";
import {
  expectNotAllowed,
  expectStatus,
  openTab,
  rowOf,
  signedIn,
  tabNames,
  visit,
} from "./helpers/scene.ts";

/**
 * Each role in an organization, by clicking: what it sees and may do, what it is not shown,
 * and the plain refusal a forbidden page gives when its address is typed.
 */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

/** An organization with an owner and three seats bought. */
async function seatedOrganization() {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);
  const subscriptionId = await subscription(server, orgId, 3);

  return { owner, orgId, subscriptionId };
}

async function tokenCheck(token: string): Promise<number> {
  const answer = await fetch(`${server.url}/auth/check`, {
    headers: { authorization: `Bearer ${token}` },
  });

  return answer.status;
}

/** Invites one address from the Members page's dialog. */
async function inviteOne(page: Page, invited: string): Promise<void> {
  await page.getByRole("button", { name: "Invite Members" }).click();
  const invite = page.getByRole("dialog", { name: "Invite Members" });
  await invite.getByLabel("Emails").fill(invited);
  await invite.getByRole("button", { name: "Send invitations" }).click();
  await expectStatus(invite, "1 invited.");
  await invite.getByRole("button", { name: "Done" }).click();
}

/**
 * Assigns a seat to the member named "nia" from her row's Actions menu, which offers an
 * account admin no billing-admin role to hand out.
 */
async function assignFromActions(page: Page, email: string): Promise<void> {
  const row = rowOf(page, email);
  await row.getByRole("button", { name: "Actions" }).click();
  expect(await row.getByRole("menuitem").allInnerTexts()).toEqual([
    "Assign seat",
    "Make account admin",
    "Remove from organization",
  ]);
  await row.getByRole("menuitem", { name: "Assign seat" }).click();
  const assign = page.getByRole("dialog", { name: "Assign seat — nia" });
  const product = assign.getByRole("combobox", { name: "Product" });
  expect(await product.locator("option:checked").innerText()).toBe("conda (0 of 3 seats taken)");
  await checkPage(page, "role-account-admin-assign-seat");
  await assign.getByRole("button", { name: "Assign seat" }).click();
  await expectStatus(page, "nia now holds a conda seat.");
  await expect.poll(() => row.getByRole("cell").nth(4).innerText()).toBe("conda");
}

/** On the Subscriptions page: buys three seats, adds two an hour later, then cancels. */
async function buyAddAndCancel(page: Page): Promise<void> {
  await page.getByText("No subscription yet.").waitFor();
  await checkPage(page, "role-billing-admin-subscriptions-empty", true);
  await page.getByLabel("Seats", { exact: true }).fill("3");
  await page.getByText("Costs $45.00 per month, invoiced now for the first month.").waitFor();
  await page.getByRole("button", { name: "Buy seats" }).click();
  await expectStatus(page, "Bought 3 conda seats (Team, monthly).");
  await page.getByText("0 of 3 seats used").waitFor();
  expect(await page.getByRole("meter").getAttribute("max")).toBe("3");

  // An hour later adds two: they count at once, with a prorated invoice listed first.
  server.clock.advance(3_600_000);
  await page.getByLabel("New seat count for conda").fill("5");
  await page.getByRole("button", { name: "Change seats" }).click();
  await expectStatus(page, /^Now 5 seats\. Invoiced \$[\d.]+ for the rest of this period\.$/);
  await page.getByText("0 of 5 seats used").waitFor();
  await page.getByText("$75.00 (5 × $15.00)").waitFor();
  const invoices = page.getByRole("region", { name: "Invoices table" });
  await expect
    .poll(() => invoices.getByRole("row").allInnerTexts())
    .toEqual([
      expect.stringMatching(/^Issued\tDescription/),
      expect.stringMatching(/\tSeats added\t2\t/),
      expect.stringMatching(/\tPurchase\t3\t.*\t\$45\.00$/),
    ]);
  await checkPage(page, "role-billing-admin-subscriptions", true);

  // Cancels, after a confirmation: it runs to the end of the period and can be resumed.
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  const cancel = page.getByRole("dialog", { name: "Cancel the conda subscription" });
  await cancel.getByRole("button", { name: "Keep subscription" }).waitFor();
  await checkPage(page, "role-billing-admin-cancel-confirm", true);
  await cancel.getByRole("button", { name: "Cancel subscription" }).click();
  await cancel.waitFor({ state: "hidden" });
  await expectStatus(page, /^Cancelled\. Seats and tokens work until /);
  await page.getByText(/^Cancelled: ends /).waitFor();
  await page.getByRole("button", { name: "Resume subscription" }).waitFor();
  await checkPage(page, "role-billing-admin-cancelled", true);
}

describe("an account admin", () => {
  it("invites and assigns seats, and cannot reach the buying controls", async () => {
    const { orgId } = await seatedOrganization();
    const admin = await memberOf(server, orgId, { accountAdmin: true }, "ada");
    const nia = await memberOf(server, orgId, {}, "nia");
    const { page, pageErrors } = await signedIn(browser, server, admin.email);

    await visit(page, `/orgs/${orgId}`, "Overview", "role-account-admin-overview", false);
    expect(await tabNames(page)).toEqual([
      "Overview",
      "Members",
      "Invitations",
      "Token Access",
      "Audit log",
      "Settings",
    ]);

    await openTab(page, "Members");
    await expectPage(page, "Members");
    await rowOf(page, nia.email).waitFor();
    await checkPage(page, "role-account-admin-members", true);

    const invited = freshEmail("invitee");
    await inviteOne(page, invited);
    await assignFromActions(page, nia.email);

    await openTab(page, "Invitations");
    await expectPage(page, "Invitations");
    await rowOf(page, invited).waitFor();
    await checkPage(page, "role-account-admin-invitations");

    await openTab(page, "Audit log");
    await expectPage(page, "Audit log");
    await page.getByRole("cell", { name: "Assigned a seat" }).waitFor();
    await checkPage(page, "role-account-admin-audit");

    // Buying is for owners and billing admins: no tab, a refusal by address, none listed.
    await page.goto(`/orgs/${orgId}/subscriptions`);
    await expectNotAllowed(page, "role-account-admin-subscriptions", true);
    expect(await page.getByRole("button", { name: "Buy seats" }).count()).toBe(0);
    await visit(page, "/subscriptions", "Subscriptions", "role-account-admin-all-subscriptions");
    await page.getByText("You manage the subscriptions of no organization.").waitFor();

    await visit(page, `/orgs/${orgId}/settings`, "Settings", "role-account-admin-settings", false);
    expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual(["Leave"]);
    expect(pageErrors).toEqual([]);
  });
});

describe("a billing admin", () => {
  it("buys, adds seats and cancels, sees the invoices and the meter, and no member admin", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const billing = await memberOf(server, orgId, { billingAdmin: true }, "bea");
    const max = await memberOf(server, orgId, {}, "max");
    const { page, pageErrors } = await signedIn(browser, server, billing.email);

    await visit(page, `/orgs/${orgId}`, "Overview", "role-billing-admin-overview", false);
    expect(await tabNames(page)).toEqual([
      "Overview",
      "Members",
      "Subscriptions",
      "Token Access",
      "Audit log",
      "Settings",
    ]);

    await openTab(page, "Subscriptions");
    await expectPage(page, "Subscriptions");
    await buyAddAndCancel(page);

    // Members are listed, with no admin action on any row.
    await openTab(page, "Members");
    await expectPage(page, "Members");
    await rowOf(page, max.email).waitFor();
    await checkPage(page, "role-billing-admin-members", true);
    for (const name of ["Actions", "Invite Members", "Assign seats"]) {
      expect(await page.getByRole("button", { name }).count()).toBe(0);
    }
    expect(await page.getByRole("checkbox").count()).toBe(0);

    await page.goto(`/orgs/${orgId}/invitations`);
    await expectNotAllowed(page, "role-billing-admin-invitations");

    await visit(page, "/subscriptions", "Subscriptions", "role-billing-admin-all-subscriptions");
    await page.getByRole("link", { name: `Manage subscriptions: Organization ${orgId}` }).click();
    await page.waitForURL(`${server.url}/orgs/${orgId}/subscriptions`);
    expect(pageErrors).toEqual([]);
  });
});

describe("a plain member", () => {
  it("sees the overview, the token and leaving, and is refused every admin page", async () => {
    const { orgId, subscriptionId } = await seatedOrganization();
    const sam = await memberOf(server, orgId, {}, "sam");
    await seat(server, orgId, subscriptionId, sam);
    const stranger = await person(server, "stranger");
    const elsewhere = await organization(server, stranger);
    const { page, pageErrors } = await signedIn(browser, server, sam.email);

    await visit(page, `/orgs/${orgId}`, "Overview", "role-member-overview");
    expect(await tabNames(page)).toEqual(["Overview", "Token Access", "Settings"]);
    await page.getByText("An owner of the organization can fill these in.").waitFor();
    expect(await page.getByRole("button", { name: /^Add / }).count()).toBe(0);

    // The seat's token.
    await openTab(page, "Token Access");
    await expectPage(page, "Token Access");
    await checkPage(page, "role-member-token");
    await page.getByRole("button", { name: "Activate token" }).click();
    const reveal = page.getByRole("region", { name: "Your new token" });
    const figure = reveal.getByRole("figure", { name: "Token", exact: true });
    expect(await tokenCheck((await figure.locator("code").innerText()).trim())).toBe(200);
    await checkPage(page, "role-member-token-active");

    // Typed addresses of admin pages are refused in words, each with a way back.
    for (const [tab, name] of [
      ["members", "role-member-members"],
      ["invitations", "role-member-invitations"],
      ["subscriptions", "role-member-subscriptions"],
      ["audit", "role-member-audit"],
    ] as const) {
      await page.goto(`/orgs/${orgId}/${tab}`);
      await expectNotAllowed(page, name);
    }
    await page.getByRole("link", { name: "Go to the overview" }).click();
    await expectPage(page, "Overview");

    // Another organization is not shown at all to someone outside it.
    await visit(page, `/orgs/${elsewhere}`, "Organization not found", "role-member-other-org");

    // Settings holds only Leave; leaving asks first and says so afterwards.
    await visit(page, `/orgs/${orgId}/settings`, "Settings", "role-member-settings");
    expect(await page.getByRole("heading", { level: 2 }).allInnerTexts()).toEqual(["Leave"]);
    await page.getByRole("button", { name: "Leave organization" }).click();
    const leave = page.getByRole("dialog", { name: "Leave organization" });
    await leave.getByRole("button", { name: "Leave organization" }).click();
    await page.waitForURL(`${server.url}/orgs`);
    await expectStatus(page, `You left Organization ${orgId}.`);
    await page.getByText("You belong to no organization yet.").waitFor();
    await checkPage(page, "role-member-left", true);
    expect(pageErrors).toEqual([]);
  });
});
