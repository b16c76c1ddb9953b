import { describe, expect, it } from "vitest";
import type { TestServer } from "../helpers/server.ts";
import {
  checkPage,
  expectPage,
  freshEmail,
  mailedLink,
  PASSWORD,
  signUpInBrowser,
} from "./helpers/app.ts";
import type { TestBrowser } from "./helpers/browser.ts";
import { useBrowserSuite } from "./helpers/suite.ts";

/** Accounts in the browser: sign up, verify from the mailed link, sign out, sign in again. */

let server: TestServer;
let browser: TestBrowser;

useBrowserSuite((suite) => ({ server, browser } = suite));

describe("accounts in the browser", () => {
  it("signs up, verifies from the mail, signs out and signs in again", async () => {
    const { page, pageErrors } = await browser.person(server.url);
    const email = freshEmail("ada");

    await page.goto("/signup");
    await expectPage(page, "Sign up");
    await checkPage(page, "signup", true);

    await page.getByLabel("Name", { exact: true }).fill("Ada Lovelace");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await expectPage(page, "Check your mail");
    await expect.poll(() => page.getByRole("main").innerText()).toContain(email);
    await checkPage(page, "signup-check-mail", true);

    const link = await mailedLink(server, email, /Verify your email/, "/verify-email?token=");
    expect(link.startsWith(`${server.url}/verify-email?token=`)).toBe(true);
    await page.goto(link);
    await page.waitForURL(`${server.url}/orgs`);
    await expectPage(page, "Organizations");
    const profile = page.getByRole("button", { name: "Profile menu for Ada Lovelace" });
    await profile.waitFor();

    // A client-side route survives a reload: the server answers it with the app.
    await page.reload();
    await expectPage(page, "Organizations");

    await profile.click();
    const items = page.getByRole("menu", { name: "Profile menu for Ada Lovelace" });
    expect(await items.getByRole("menuitem").allInnerTexts()).toEqual([
      "Organizations",
      "Subscriptions",
      "Token Access",
      "Account",
      "Sign out",
    ]);
    await items.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/signin");
    await expectPage(page, "Sign in");
    await checkPage(page, "signin", true);
    expect(await profile.count()).toBe(0);

    // Signed out means signed out: a signed-in page sends the person to sign in.
    await page.goto("/account");
    await page.waitForURL(/\/signin\?next=%2Faccount$/);

    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/account`);
    await profile.waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("shows a wrong password in plain words and stays signed out", async () => {
    const { page, pageErrors } = await browser.person(server.url);
    const email = freshEmail("bea");
    await signUpInBrowser(server, page, email, "Bea");
    await page.waitForURL(`${server.url}/orgs`);
    await page.getByRole("button", { name: "Profile menu for Bea" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/signin");

    // The address people try from other sites leads to the same page.
    await page.goto(`${server.url}/login`);
    await page.waitForURL((url) => url.pathname === "/signin");

    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("not the password at all");
    await page.getByRole("button", { name: "Sign in" }).click();

    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect((await alert.innerText()).length).toBeGreaterThan(0);
    await checkPage(page, "signin-wrong-password");
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(await page.getByRole("button", { name: "Profile menu for Bea" }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it("shows the account page, with this browser's session, free of accessibility faults", async () => {
    const { page, pageErrors } = await browser.person(server.url);
    const email = freshEmail("cleo");
    await signUpInBrowser(server, page, email, "Cleo");
    await page.waitForURL(`${server.url}/orgs`);

    await page.getByRole("button", { name: "Profile menu for Cleo" }).click();
    await page.getByRole("menuitem", { name: "Account" }).click();
    await page.waitForURL(`${server.url}/account`);
    await expectPage(page, "Account");
    await page.getByText("This browser").waitFor();
    await checkPage(page, "account", true);

    // A new name counts at once: the profile menu says it.
    await page.getByRole("textbox", { name: "Name", exact: true }).fill("Cleo Renamed");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("status").filter({ hasText: "Your name is saved." }).waitFor();
    await page.getByRole("button", { name: "Profile menu for Cleo Renamed" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("explains a verification link that does not work", async () => {
    const { page } = await browser.person(server.url);

    await page.goto("/verify-email?token=not-a-real-token");
    await expectPage(page, "Email not verified");
    await page.getByRole("alert").waitFor();
    await page.getByRole("button", { name: "Send a new link" }).waitFor();
    await checkPage(page, "verify-email-failed");
  });
});
