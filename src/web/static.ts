import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { App } from "../http/types.ts";

/** The folder the web app is built into: web/dist at the root of the checkout. */
export function defaultWebRoot(): string {
  let folder = import.meta.dirname;
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) return path.resolve("web/dist");
    folder = parent;
  }

  // Run from dist/src/web the first package.json up is still the checkout's own.
  return path.join(folder, "web", "dist");
}

/** True when a web build is in the folder. */
export function hasWebBuild(root: string): boolean {
  return existsSync(path.join(root, "index.html"));
}

// First path segments that are never a page (compared lowercased, and any starting with `_` or
// `.`): the server's own, build files and conda's `/t/<token>/`. nginx's `auth_request` takes
// any 2xx as a yes, so the app's page at a mistyped check URL would let every download through.
const SERVER_SEGMENTS = new Set([
  "api",
  "auth",
  "t",
  "dev",
  "assets",
  "static",
  "healthz",
  "readyz",
]);

/** A path's first non-empty segment, decoded and lowercased; `undefined` if it won't decode. */
function firstSegment(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }

  return (decoded.split("/").find((part) => part !== "") ?? "").toLowerCase();
}

function isServerSegment(segment: string | undefined): boolean {
  // A path that does not decode is no page either.
  if (segment === undefined) return true;

  return SERVER_SEGMENTS.has(segment) || segment.startsWith("_") || segment.startsWith(".");
}

// What browsers (text/html) and tools such as curl (*/*) accept. nginx asks the token check with
// no client header at all: a check URL mistyped into its configuration then gets the 404 too.
const ACCEPTS_PAGES = /text\/html|text\/\*|\*\/\*/;

/** Whether an unknown path should be answered with the app, so client routes survive reload. */
export function isAppPath(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (!ACCEPTS_PAGES.test(request.headers.accept ?? "")) return false;

  const pathname = request.url.split("?")[0] ?? "";

  return !isServerSegment(firstSegment(pathname));
}

function setCacheHeaders(res: { setHeader(name: string, value: string): void }, file: string) {
  // Vite puts content-hashed names under assets/: they never change, so cache them for good.
  const hashed = file.split(path.sep).includes("assets");
  res.setHeader("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  res.setHeader("x-content-type-options", "nosniff");
}

/**
 * Serves the built web app from `root` at `/`: hashed assets with a long cache, everything
 * else revalidated. Unknown app paths are the not-found handler's to answer with `sendApp`.
 */
export async function webRoutes(app: App, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    cacheControl: false,
    setHeaders: setCacheHeaders,
    // GET /* looks the file up when asked; a missing one goes on to the not-found handler.
    wildcard: true,
    index: ["index.html"],
  });
}

/** Answers with the app's index.html (the client router then shows the page for the path). */
export function sendApp(reply: FastifyReply) {
  return reply
    .code(200)
    .header("cache-control", "no-cache")
    .header("x-content-type-options", "nosniff")
    .type("text/html; charset=utf-8")
    .sendFile("index.html");
}
