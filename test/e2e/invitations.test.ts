import { describe, expect, it } from "vitest";
import { organization, person, type Person } from "../helpers/fixtures.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage, freshEmail, isFocused, mailedLink } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";
import { tabTo } from "./helpers/keyboard.ts";
import { expectStatus, rowOf, signedIn, visit } from "./helpers/scene.ts";

/**
 * The Invitations page by clicking (Resend with its new mail, Revoke after a confirmation),
 * its confirm dialog by keyboard alone, and the page a used invitation link opens. The
 * invitations are made through the API.
 */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

async function invite(owner: Person, orgId: string, emails: string[]): Promise<void> {
  const answer = await owner.client.post(`/api/v1/organizations/${orgId}/invitations`, {
    emails: emails.join(", "),
  });
  expect(answer.body.counts.invited).toBe(emails.length);
}

/** Every invitation link mailed to `to` so far, oldest first. */
async function linksTo(to: string): Promise<string[]> {
  await server.deliverMail();

  return server.smtp
    .to(to)
    .flatMap((mail) => mail.links.filter((link) => link.includes("/invite/")));
}

describe("the invitations page", () => {
  it("resends with a new link that replaces the old, and revokes after asking", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const again = freshEmail("again");
    const withdrawn = freshEmail("withdrawn");
    await invite(owner, orgId, [again, withdrawn]);
    const first = await mailedLink(server, again, /invited you/, "/invite/");
    const { page, pageErrors } = await signedIn(browser, server, owner.email);

    await visit(page, `/orgs/${orgId}/invitations`, "Invitations", "invitations-pending");
    await rowOf(page, withdrawn).waitFor();
    expect(await rowOf(page, again).getByRole("cell").nth(3).innerText()).toBe("Pending");

    // Resend: a new mail with a new link; the first link stops working.
    await page.getByRole("button", { name: `Resend invitation to ${again}` }).click();
    await expectStatus(page, `The invitation to ${again} was sent again.`);
    await expect.poll(() => linksTo(again)).toHaveLength(2);
    const second = (await linksTo(again))[1] ?? "";
    expect(second).not.toBe(first);
    const invitee = await browser.person(server.url);
    await invitee.page.goto(first);
    await expectPage(invitee.page, "Invitation not found");
    await checkPage(invitee.page, "invitations-replaced-link", true);
    await invitee.page.goto(second);
    await expectPage(invitee.page, `Join Organization ${orgId}`);
    await checkPage(invitee.page, "invitations-resent-link");

    // Revoke asks first; the invitation then leaves the pending list for the revoked one.
    await page.getByRole("button", { name: `Revoke invitation to ${withdrawn}` }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke invitation" });
    await confirm.getByText(`Revoke the invitation to ${withdrawn}?`).waitFor();
    await checkPage(page, "invitations-revoke-confirm", true);
    await confirm.getByRole("button", { name: "Revoke invitation" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expectStatus(page, `The invitation to ${withdrawn} was revoked.`);
    await rowOf(page, withdrawn).waitFor({ state: "detached" });
    await rowOf(page, again).waitFor();

    await page.getByLabel("Status").selectOption("revoked");
    const revoked = rowOf(page, withdrawn);
    await revoked.waitFor();
    expect(await revoked.getByRole("cell").nth(3).innerText()).toBe("Revoked");
    expect(await revoked.getByRole("button").count()).toBe(0);
    await checkPage(page, "invitations-revoked", true);
    expect(pageErrors).toEqual([]);
  });

  it("says a used link was used, to its own account and to a signed-out visitor", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const joiner = await person(server, "joiner");
    await invite(owner, orgId, [joiner.email]);
    const link = await mailedLink(server, joiner.email, /invited you/, "/invite/");
    const secret = link.slice(link.indexOf("/invite/") + "/invite/".length);
    const accepted = await joiner.client.post(`/api/v1/invitation-links/${secret}/accept`);
    expect(accepted.status).toBe(200);

    const visitor = await browser.person(server.url);
    await visit(visitor.page, link, "Invitation already used", "invitation-used-signed-out");
    await visitor.page.getByText("This invitation has already been accepted.").waitFor();
    await visitor.page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
    await expectPage(visitor.page, "Sign in");
    await checkPage(visitor.page, "invitation-used-sign-in");

    const { page, pageErrors } = await signedIn(browser, server, joiner.email);
    await visit(page, link, "Invitation already used", "invitation-used");
    await page.getByRole("link", { name: "Your organizations" }).click();
    await expectPage(page, "Organizations");
    await page.getByRole("row", { name: new RegExp(`Organization ${orgId}`) }).waitFor();
    await checkPage(page, "invitation-used-organizations");
    expect([...pageErrors, ...visitor.pageErrors]).toEqual([]);
  });

  it("keeps the focus inside a confirm dialog and returns it to the button that opened it", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const gone = freshEmail("gone");
    await owner.client.post(`/api/v1/organizations/${orgId}/invitations`, { emails: gone });
    const { page, pageErrors } = await signedIn(browser, server, owner.email);
    await visit(page, `/orgs/${orgId}/invitations`, "Invitations", "keyboard-invitations", false);

    const revoke = page.getByRole("button", { name: `Revoke invitation to ${gone}` });
    await page.getByRole("combobox", { name: "Status" }).focus();
    await tabTo(page, revoke);
    await page.keyboard.press("Enter");
    const confirm = page.getByRole("dialog", { name: "Revoke invitation" });
    await confirm.waitFor();

    // The safe choice has the focus first; Tab goes round the dialog and never behind it.
    const cancel = confirm.getByRole("button", { name: "Cancel" });
    expect(await isFocused(cancel)).toBe(true);
    const keys = ["Tab", "Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"];
    for (const key of keys) {
      await page.keyboard.press(key);
      const inside = await confirm.evaluate((element) => {
        const doc = (globalThis as unknown as { document: { activeElement: unknown } }).document;

        return (element as { contains(node: unknown): boolean }).contains(doc.activeElement);
      });
      expect(inside).toBe(true);
    }
    await checkPage(page, "keyboard-confirm-dialog", true);

    // Cancel by keyboard gives the focus back to Revoke.
    await cancel.focus();
    await page.keyboard.press("Enter");
    await confirm.waitFor({ state: "hidden" });
    expect(await isFocused(revoke)).toBe(true);

    // Again, confirming with the keyboard.
    await page.keyboard.press("Enter");
    await confirm.waitFor();
    await page.keyboard.press("Tab");
    expect(await isFocused(confirm.getByRole("button", { name: "Revoke invitation" }))).toBe(true);
    await page.keyboard.press("Enter");
    await confirm.waitFor({ state: "hidden" });
    await expectStatus(page, `The invitation to ${gone} was revoked.`);
    expect(pageErrors).toEqual([]);
  });

  // Last in the file: it moves the server's clock past every invitation's expiry.
  it("sends an expired invitation again, with a link that works", async () => {
    const owner = await person(server, "owner");
    const orgId = await organization(server, owner);
    const late = freshEmail("late");
    await invite(owner, orgId, [late]);
    server.clock.advance(8 * 86_400_000);
    const { page, pageErrors } = await signedIn(browser, server, owner.email);

    await visit(page, `/orgs/${orgId}/invitations`, "Invitations", "invitations-none-pending");
    await page.getByText("No pending invitations.").waitFor();
    await page.getByLabel("Status").selectOption("expired");
    const row = rowOf(page, late);
    await row.waitFor();
    expect(await row.getByRole("cell").nth(3).innerText()).toBe("Expired");
    await checkPage(page, "invitations-expired", true);
    expect(await row.getByRole("button", { name: /^Revoke/ }).count()).toBe(0);

    await row.getByRole("button", { name: `Resend invitation to ${late}` }).click();
    await expectStatus(page, `The invitation to ${late} was sent again.`);
    await row.waitFor({ state: "detached" });
    await expect.poll(() => linksTo(late)).toHaveLength(2);
    const invitee = await browser.person(server.url);
    await invitee.page.goto((await linksTo(late))[1] ?? "");
    await expectPage(invitee.page, `Join Organization ${orgId}`);
    await checkPage(invitee.page, "invitations-expired-resent-link");
    expect(pageErrors).toEqual([]);
  });
});
