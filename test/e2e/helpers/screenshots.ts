import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";

/** The two widths every main page is shot at: a laptop and a phone. */
export const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 375, height: 812 },
] as const;

/** The folder screenshots go to: SCREENSHOT_DIR, or .test-artifacts/screenshots. */
export function screenshotDir(): string {
  return path.resolve(process.env.SCREENSHOT_DIR ?? ".test-artifacts/screenshots");
}

/**
 * Saves screenshots of the page at 1280x800 and at 375x812, prints where, puts the page back
 * to the size it had, and fails when the page is wider than either window. They show the whole page, or, while a modal dialog is open, the
 * window as the person sees it (a whole-page shot leaves a fixed dialog out of place).
 */
export async function saveScreenshots(page: Page, name: string): Promise<string[]> {
  const folder = screenshotDir();
  mkdirSync(folder, { recursive: true });
  const before = page.viewportSize();
  const files: string[] = [];
  const fullPage = (await page.locator("dialog[open]").count()) === 0;
  const sideways: string[] = [];

  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    const file = path.join(folder, `${name}-${viewport.width}x${viewport.height}.png`);
    await page.screenshot({ path: file, fullPage, animations: "disabled" });
    files.push(file);
    const wide = await pageWidth(page);
    if (wide > viewport.width) sideways.push(`${wide} px wide at ${viewport.width} px`);
  }

  if (before) await page.setViewportSize(before);
  console.log(`screenshots of ${name}: ${files.join(", ")}`);
  // A page wider than the window scrolls sideways: unreadable on a phone.
  if (sideways.length > 0) {
    throw new Error(`${name} scrolls sideways: ${sideways.join(", ")} (${files.join(", ")})`);
  }

  return files;
}

/** How wide the document is laid out, in CSS pixels; wider than the viewport scrolls sideways. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = globalThis as unknown as {
      document: { documentElement: { scrollWidth: number } };
    };

    return root.document.documentElement.scrollWidth;
  });
}
