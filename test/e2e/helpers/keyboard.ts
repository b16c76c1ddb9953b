import type { Locator, Page } from "playwright-core";
import { isFocused } from "./app.ts";

/** Keyboard moves for the tests of keyboard use. */

/** Presses Tab until `target` has the focus; fails after `most` presses. */
export async function tabTo(page: Page, target: Locator, most = 40): Promise<void> {
  for (let presses = 0; presses < most; presses += 1) {
    if (await isFocused(target)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab did not reach the element in ${most} presses`);
}

/** The text of the element that has the keyboard focus. */
export function focusedText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { activeElement: { textContent: string } } })
      .document;

    return doc.activeElement.textContent.trim();
  });
}
