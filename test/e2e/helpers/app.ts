import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";
import type { TestServer } from "../../helpers/server.ts";
import { expectAccessible } from "./axe.ts";
import { saveScreenshots } from "./screenshots.ts";

export const PASSWORD = "a long enough password";

let counter = 0;

/** A fresh address for one test run, so no test depends on another's people. */
export function freshEmail(who: string): string {
  counter += 1;

  return `${who}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** A fresh organization ID: lowercase letters and digits. */
export function freshOrgId(prefix: string): string {
  counter += 1;

  return `${prefix}${Date.now().toString(36)}${counter}`;
}

/** Delivers the outbox, waits for the mail to `to` and returns its first link holding `part`. */
export async function mailedLink(
  server: TestServer,
  to: string,
  subject: RegExp,
  part: string,
): Promise<string> {
  await server.deliverMail();
  const mail = await server.smtp.waitFor(to.toLowerCase(), subject);
  const link = mail.links.find((l) => l.includes(part));
  if (!link) throw new Error(`no ${part} link in "${mail.subject}": ${mail.links.join(", ")}`);

  return link;
}

/** Waits for the page's single <h1> to read `heading`, and checks the document title. */
export async function expectPage(page: Page, heading: string | RegExp): Promise<void> {
  await expect.poll(() => page.locator("h1").count(), { timeout: 10_000 }).toBe(1);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor({ timeout: 10_000 });
  await page.locator("main").first().waitFor();
  expect(await page.title()).toMatch(/ · Tessera$/);
}

/** The checks every visited page gets: axe, and optionally screenshots at both widths. */
export async function checkPage(page: Page, name: string, screenshots = false): Promise<void> {
  await expectAccessible(page, name);
  if (screenshots) await saveScreenshots(page, name);
}

/** Signs up through the form and follows the verification link; the person ends signed in. */
export async function signUpInBrowser(
  server: TestServer,
  page: Page,
  email: string,
  name: string,
): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("heading", { level: 1, name: "Check your mail" }).waitFor();

  const link = await mailedLink(server, email, /Verify your email/, "/verify-email");
  await page.goto(link);
}

/** True when the element has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const page = globalThis as unknown as { document: { activeElement: unknown } };

    return element === page.document.activeElement;
  });
}
