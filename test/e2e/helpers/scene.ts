import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";
import type { TestServer } from "../../helpers/server.ts";
import { checkPage, expectPage, PASSWORD } from "./app.ts";
import type { Person, TestBrowser } from "./browser.ts";

/**
 * Set-up for browser tests whose subject is not signing in: the people come from the
 * fixtures, and each gets a browser whose session is made through the API.
 */

/** A browser person signed in as `email` (an account made by the fixtures), on /orgs. */
export async function signedIn(
  browser: TestBrowser,
  server: TestServer,
  email: string,
): Promise<Person> {
  const person = await browser.person(server.url);
  const answer = await person.context.request.post(`${server.url}/api/v1/auth/sign-in`, {
    data: { email, password: PASSWORD },
    headers: { origin: server.url },
  });
  expect(answer.status()).toBe(200);

  return person;
}

/**
 * Opens `path`, waits for its heading, and runs axe; and the screenshots at both widths
 * unless another test already shoots the same page in the same state.
 */
export async function visit(
  page: Page,
  path: string,
  heading: string | RegExp,
  name: string,
  screenshots = true,
): Promise<void> {
  await page.goto(path);
  await expectPage(page, heading);
  await checkPage(page, name, screenshots);
}

/** The organization's tab navigation. */
export function orgTabs(page: Page): Locator {
  return page.getByRole("navigation", { name: "Organization" });
}

/** The names of the organization tabs the page shows. */
export function tabNames(page: Page): Promise<string[]> {
  return orgTabs(page).getByRole("link").allInnerTexts();
}

export async function openTab(page: Page, name: string): Promise<void> {
  await orgTabs(page).getByRole("link", { name, exact: true }).click();
}

/** Waits for a status message (an outcome said politely) holding `text`. */
export async function expectStatus(page: Page | Locator, text: string | RegExp): Promise<void> {
  await page.getByRole("status").filter({ hasText: text }).first().waitFor();
}

/** The table row that mentions `text` (a member's or an invitation's address). */
export function rowOf(page: Page | Locator, text: string): Locator {
  return page.getByRole("row").filter({ hasText: text });
}

/** Asserts the page is the clear refusal an organization page shows to a role without access. */
export async function expectNotAllowed(
  page: Page,
  name: string,
  screenshots = false,
): Promise<void> {
  await expectPage(page, "Not allowed");
  const main = page.getByRole("main");
  await main.getByRole("link", { name: "Go to the overview" }).waitFor();
  expect(await main.innerText()).toMatch(/can see this page/);
  await checkPage(page, name, screenshots);
}
