import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { screenshotDir } from "./screenshots.ts";

/** The flags every test browser starts with: headless, quiet, no calls home. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Where Debian's Chromium is, as `which chromium` tells. */
export function chromiumPath(): string {
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium is not installed: apt-get install -y chromium");
  }
}

/** One person at the keyboard: a page in a browser context of their own (own cookies). */
export interface Person {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors the page threw; a test asserts there were none. */
  pageErrors: string[];
}

/** A Chromium for one test file, with a fresh profile, that reaches loopback addresses only. */
export interface TestBrowser {
  /** Opens a new person whose relative URLs resolve against `baseUrl`. */
  person(baseUrl: string): Promise<Person>;
  /** Screenshots every open person's page and prints its address and errors, after a failure. */
  explainFailure(testName: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Launches Chromium through playwright-core. Playwright gives each launch a fresh profile
 * folder (user-data-dir) of its own and removes it on close.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_FLAGS,
    headless: true,
  });

  const people: Person[] = [];

  return {
    async person(baseUrl) {
      const own = await browser.newContext({
        baseURL: baseUrl,
        viewport: { width: 1280, height: 800 },
      });
      await own.route("**/*", (route) => {
        const url = new URL(route.request().url());
        const local = url.protocol === "data:" || LOOPBACK_HOSTS.has(url.hostname);

        return local ? route.continue() : route.abort("blockedbyclient");
      });
      const page = await own.newPage();
      const pageErrors: string[] = [];
      page.on("pageerror", (error) => pageErrors.push(error.message));

      const person = { context: own, page, pageErrors };
      people.push(person);

      return person;
    },
    async explainFailure(testName) {
      const folder = path.join(screenshotDir(), "failures");
      mkdirSync(folder, { recursive: true });
      const slug = testName.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
      for (const [index, { page, pageErrors }] of people.entries()) {
        if (page.isClosed()) continue;
        const file = path.join(folder, `${slug}-person${index + 1}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        const errors = pageErrors.length > 0 ? `; page errors: ${pageErrors.join(" | ")}` : "";
        console.error(`person ${index + 1} was at ${page.url()} (${file})${errors}`);
      }
    },
    async close() {
      await browser.close();
    },
  };
}
