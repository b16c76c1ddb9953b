import { existsSync } from "node:fs";
import path from "node:path";
import { hasWebBuild } from "./static.ts";

/**
 * Builds the web app into `root` with Vite when no build is there yet, so a fresh checkout's
 * `npm start` serves the pages too. A failed build is reported and the API still starts.
 */
export async function ensureWebBuild(
  root: string,
  print: (line: string) => void,
  configFile = path.join(path.dirname(root), "vite.config.ts"),
): Promise<void> {
  if (hasWebBuild(root)) return;
  // A deployment of the built server alone has no web sources to build.
  if (!existsSync(configFile)) return;

  print(`tessera: building the web pages into ${root} (first start only)`);
  try {
    const vite = await import("vite");
    await vite.build({ configFile, logLevel: "warn", build: { outDir: root, emptyOutDir: true } });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    print(`tessera: could not build the web pages, serving the API only: ${reason}`);
  }
}
