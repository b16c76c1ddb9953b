import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { addMember, organization, person } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage, freshEmail, mailedLink, PASSWORD } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";
import { expectStatus, signedIn, visit } from "./helpers/scene.ts";

/** Account settings in the browser: a new address, another session ended, the account deleted. */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

async function signInStatus(email: string): Promise<number> {
  const answer = await server.client().post("/api/v1/auth/sign-in", { email, password: PASSWORD });

  return answer.status;
}

/** Asks for `email` as the new address in the Email section. */
async function askForAddress(page: Page, email: string): Promise<void> {
  await page.getByLabel("New email address").fill(email);
  await page.getByRole("button", { name: "Change email" }).click();
  await expectStatus(page, `If ${email} can receive mail, a message with a link is on its way.`);
}

const CONFIRM = /Confirm your new email address/;

describe("account settings in the browser", () => {
  it("changes the address only once the link mailed to it is followed", async () => {
    const someone = await person(server, "fay");
    const { page, pageErrors } = await signedIn(browser, server, someone.email);
    await visit(page, "/account", "Account", "account-settings", false);

    // Asked for, the new address does not count yet.
    const next = freshEmail("fay-new");
    await askForAddress(page, next);
    await checkPage(page, "account-email-asked", true);
    await page.reload();
    await page.getByText(`Your address is ${someone.email}.`, { exact: false }).waitFor();
    expect(await signInStatus(next)).toBe(401);

    // Followed in the same browser, it counts at once; the person stays signed in.
    await page.goto(await mailedLink(server, next, CONFIRM, "/verify-email"));
    await expectPage(page, "Email address changed");
    await page.getByText(`Your account's address is now ${next.toLowerCase()}.`).waitFor();
    await checkPage(page, "account-email-changed", true);
    await page.getByRole("link", { name: "Back to your account" }).click();
    await page.getByText(`Your address is ${next.toLowerCase()}.`).waitFor();
    await checkPage(page, "account-new-address");

    // Followed in a browser where nobody is signed in, it counts, and signs nobody in there.
    const last = freshEmail("fay-last");
    await askForAddress(page, last);
    const elsewhere = await browser.person(server.url);
    await elsewhere.page.goto(await mailedLink(server, last, CONFIRM, "/verify-email"));
    await expectPage(elsewhere.page, "Email address changed");
    await checkPage(elsewhere.page, "account-email-changed-signed-out", true);
    expect(await elsewhere.page.getByRole("button", { name: /^Profile menu/ }).count()).toBe(0);
    await elsewhere.page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await expectPage(elsewhere.page, "Sign in");
    await checkPage(elsewhere.page, "account-email-changed-sign-in");

    await page.reload();
    await page.getByText(`Your address is ${last.toLowerCase()}.`).waitFor();
    expect(await signInStatus(last)).toBe(200);
    expect(await signInStatus(someone.email)).toBe(401);
    expect([...pageErrors, ...elsewhere.pageErrors]).toEqual([]);
  });

  it("ends another session, then this browser's own", async () => {
    // The fixture's client holds one session; the browser signs in for a second.
    const someone = await person(server, "gus");
    const { page, pageErrors } = await signedIn(browser, server, someone.email);
    await visit(page, "/account", "Account", "account-two-sessions");
    const sessions = page.getByRole("region", { name: "Sessions" }).getByRole("listitem");
    await expect.poll(() => sessions.count()).toBe(2);

    const other = sessions.filter({ hasNotText: "This browser" });
    await other.getByRole("button", { name: /^End session from 127\.0\.0\.1, signed in / }).click();
    await expect.poll(() => sessions.count()).toBe(1);
    expect(await sessions.innerText()).toContain("This browser");
    expect((await someone.client.get("/api/v1/auth/me")).status).toBe(401);
    await checkPage(page, "account-one-session");

    await page.getByRole("button", { name: "End session (this browser, signs you out)" }).click();
    await page.waitForURL((url) => url.pathname === "/signin");
    await expectPage(page, "Sign in");
    await checkPage(page, "account-session-ended");
    expect(await page.getByRole("button", { name: /^Profile menu/ }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("refuses deleting the last owner's account with the reason, then deletes and signs out", async () => {
    const owner = await person(server, "hal");
    const orgId = await organization(server, owner);
    const { page, pageErrors } = await signedIn(browser, server, owner.email);
    await visit(page, "/account", "Account", "account-before-delete", false);

    await page.getByRole("button", { name: "Delete account" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    const password = dialog.getByLabel("Password");
    const remove = dialog.getByRole("button", { name: "Delete my account" });
    expect(await remove.isDisabled()).toBe(true);

    await password.fill("not the password at all");
    await remove.click();
    await dialog.getByText("This is not your password.").waitFor();

    // The last owner of an organization: refused, naming the organization with a link.
    await password.fill(PASSWORD);
    await remove.click();
    const refusal = dialog.getByRole("alert");
    await refusal.getByText(/^You are the only owner of an organization\./).waitFor();
    expect(await refusal.getByRole("link", { name: orgId }).getAttribute("href")).toBe(
      `/orgs/${orgId}/settings`,
    );
    await checkPage(page, "account-delete-last-owner", true);

    // With a second owner, the same click deletes the account and signs out.
    const partner = await person(server, "partner");
    await addMember(server, orgId, partner, { owner: true });
    await remove.click();
    await page.waitForURL((url) => url.pathname === "/signup");
    await expectPage(page, "Sign up");
    await expectStatus(page, "Your account has been deleted.");
    expect(await page.getByRole("button", { name: /^Profile menu/ }).count()).toBe(0);
    await checkPage(page, "account-deleted", true);
    expect(await signInStatus(owner.email)).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
