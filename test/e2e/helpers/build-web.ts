import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../../..");
const web = path.join(root, "web");
const built = path.join(web, "dist", "index.html");

/** The newest change time of the web app's sources (everything in web/ but the build). */
function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const full = path.join(folder, entry.name);
    const time = entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs;
    newest = Math.max(newest, time);
  }

  return newest;
}

/** Builds the web app before the browser tests when the build is missing or older than web/. */
export default function setup(): void {
  if (!existsSync(web)) throw new Error("web/ does not exist: there is no app to test");
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(web)) return;

  const scripts = (
    JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
      scripts?: Record<string, string>;
    }
  ).scripts;
  if (!scripts?.["build:web"]) throw new Error("package.json has no build:web script");

  console.log("building the web app (npm run build:web)");
  execFileSync("npm", ["run", "build:web"], { cwd: root, stdio: "inherit" });
}
