import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** The impacts that fail a page; moderate and minor ones are printed only. */
const FAILING = new Set(["serious", "critical"]);

function describe(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ""}`)
        .join("\n");

      return `  [${v.impact ?? "?"}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join("\n");
}

/**
 * Runs axe-core inside the page and throws when it finds serious or critical violations,
 * listing each one with the elements it found it on.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const injected = await page.evaluate(() => "axe" in globalThis);
  if (!injected) await page.addScriptTag({ content: axeSource });

  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } })
      .axe;

    return (await axe.run()).violations;
  });

  const all = violations as Violation[];
  const failing = all.filter((v) => FAILING.has(v.impact ?? ""));
  const minor = all.filter((v) => !FAILING.has(v.impact ?? ""));
  if (minor.length > 0) console.log(`axe (${label}, not failing):\n${describe(minor)}`);
  if (failing.length > 0) {
    const text = `axe found serious or critical violations on ${label} (${page.url()}):\n`;
    console.error(text + describe(failing));
    throw new Error(text + describe(failing));
  }
}
