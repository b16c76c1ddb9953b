import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { expectAccessible } from "./helpers/axe.ts";
import { launchBrowser, type TestBrowser } from "./helpers/browser.ts";
import { saveScreenshots } from "./helpers/screenshots.ts";

let browser: TestBrowser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser.close();
});

describe("the browser harness", () => {
  it("fails a page with a critical accessibility violation and names the rule", async () => {
    const { page } = await browser.person("http://127.0.0.1:9");
    await page.setContent(
      `<html lang="en"><head><title>Bad · Tessera</title></head>` +
        `<body><main><h1>Bad</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main>` +
        `</body></html>`,
    );

    await expect(expectAccessible(page, "bad page")).rejects.toThrow(/image-alt/);
  });

  it("passes a clean page and saves screenshots at both widths", async () => {
    const { page } = await browser.person("http://127.0.0.1:9");
    await page.setContent(
      `<html lang="en"><head><title>Good · Tessera</title></head>` +
        `<body><main><h1>Good</h1><p>Plain words.</p></main></body></html>`,
    );

    await expectAccessible(page, "good page");
    const files = await saveScreenshots(page, "harness-good");
    expect(files.map((f) => f.replace(/.*\//, ""))).toEqual([
      "harness-good-1280x800.png",
      "harness-good-375x812.png",
    ]);
    expect(files.every((f) => existsSync(f))).toBe(true);
    expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
  });

  it("fails a page that is wider than the phone's window", async () => {
    const { page } = await browser.person("http://127.0.0.1:9");
    await page.setContent(
      `<html lang="en"><head><title>Wide · Tessera</title></head>` +
        `<body><main><h1>Wide</h1><div style="width: 500px">Too wide</div></main></body></html>`,
    );

    await expect(saveScreenshots(page, "harness-wide")).rejects.toThrow(
      /harness-wide scrolls sideways: \d+ px wide at 375 px/,
    );
    expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
  });

  it("reaches loopback only: another host's request is blocked", async () => {
    const { page } = await browser.person("http://127.0.0.1:9");
    const outcome = await page
      .goto("http://example.com/")
      .then(() => "loaded")
      .catch((error: Error) => error.message);

    expect(outcome).toMatch(/ERR_BLOCKED_BY_CLIENT/);
  });
});
