import { describe, expect, it } from "vitest";
import { organization, person } from "../helpers/fixtures.ts";
import { signUpVerified } from "../helpers/people.ts";
import type { TestServer } from "../helpers/server.ts";
import { checkPage, expectPage, freshEmail, mailedLink, PASSWORD } from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";

/** The pages a person reaches from a mailed link when something is off: recovery and ended invitations. */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

/** Invites `email` into a new organization and answers the secret from the mailed link. */
async function invite(email: string) {
  const owner = await person(server, "owner");
  const orgId = await organization(server, owner);
  const answer = await owner.client.post(`/api/v1/organizations/${orgId}/invitations`, {
    emails: email,
  });
  const link = await mailedLink(server, email, /invited you/, "/invite/");

  return { owner, orgId, link, invitationId: answer.body.results[0].invitationId as string };
}

describe("recovering a forgotten password in the browser", () => {
  it("mails a link whose page sets a new password that then signs in", async () => {
    const email = freshEmail("forgetful");
    await signUpVerified(server, email, "Forgetful");
    const { page } = await browser.person(server.url);

    await page.goto("/forgot-password");
    await expectPage(page, "Forgot password");
    await checkPage(page, "forgot-password", true);
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expectPage(page, "Check your mail");

    const link = await mailedLink(server, email, /Reset your Tessera password/, "/reset-password");
    await page.goto(link);
    await expectPage(page, "Reset password");
    await checkPage(page, "reset-password", true);
    await page.getByLabel("New password", { exact: true }).fill("a brand new password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await expectPage(page, "Password changed");
    await checkPage(page, "password-changed");

    const signIn = await server.client().post("/api/v1/auth/sign-in", {
      email,
      password: "a brand new password",
    });
    expect(signIn.status).toBe(200);
    const old = await server.client().post("/api/v1/auth/sign-in", { email, password: PASSWORD });
    expect(old.status).toBe(401);
  });
});

describe("invitation links that no longer work", () => {
  it("says so for a withdrawn, an expired and an unknown link", async () => {
    const { page } = await browser.person(server.url);

    const withdrawn = await invite(freshEmail("withdrawn"));
    const revoke = `/api/v1/organizations/${withdrawn.orgId}/invitations/${withdrawn.invitationId}`;
    expect((await withdrawn.owner.client.delete(revoke)).status).toBe(200);
    await page.goto(withdrawn.link);
    await expectPage(page, "Invitation withdrawn");
    await checkPage(page, "invitation-withdrawn", true);

    const expired = await invite(freshEmail("late"));
    server.clock.advance(8 * 86_400_000);
    await page.goto(expired.link);
    await expectPage(page, "Invitation expired");
    await checkPage(page, "invitation-expired");

    await page.goto("/invite/no-such-secret");
    await expectPage(page, "Invitation not found");
    await checkPage(page, "invitation-not-found");
  });

  it("shows both addresses to someone signed in as another person", async () => {
    const invited = freshEmail("invited");
    const { link } = await invite(invited);
    const other = await person(server, "other");
    const { page } = await browser.person(server.url);
    await page.goto("/signin");
    await page.getByLabel("Email", { exact: true }).fill(other.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/orgs`);

    await page.goto(link);
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await expectPage(page, "Signed in as someone else");
    await checkPage(page, "invitation-wrong-account", true);
    const words = await page.getByRole("main").innerText();
    expect(words).toContain(invited);
    expect(words).toContain(other.email);
  });
});
