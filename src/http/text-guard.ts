import type { FastifyRequest } from "fastify";
import { AppError } from "../errors.ts";

/** True for text PostgreSQL cannot store: a NUL character or a lone UTF-16 surrogate. */
function unstorable(text: string): boolean {
  // isWellFormed is in Node 20 but not in the ES2023 library types this project compiles with.
  const checked = text as string & { isWellFormed(): boolean };

  return text.includes("\u0000") || !checked.isWellFormed();
}

/** What a refused field is told: the same words wherever text is checked. */
export const UNSTORABLE = "holds a NUL character or broken Unicode";

/** The JSON pointer of the first text in `value` (under `path`) no column can keep, if any. */
export function findUnstorable(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return unstorable(value) ? path : undefined;
  if (typeof value !== "object" || value === null) return undefined;

  for (const [key, inner] of Object.entries(value)) {
    const found = unstorable(key) ? `${path}/${key}` : findUnstorable(inner, `${path}/${key}`);
    if (found) return found;
  }

  return undefined;
}

/**
 * Refuses a request whose body, query or path holds text no column can keep, before any
 * route (or the auth library) sees it: such text would otherwise fail deep in a query.
 */
export async function rejectUnstorableText(request: FastifyRequest): Promise<void> {
  // A raw upload arrives as a stream, which its route reads and checks itself.
  const raw = typeof (request.body as { pipe?: unknown } | null)?.pipe === "function";
  const parts = {
    body: raw ? undefined : request.body,
    querystring: request.query,
    params: request.params,
  };
  for (const [part, value] of Object.entries(parts)) {
    const path = findUnstorable(value, `/${part}`);
    if (path) {
      throw new AppError("request.invalid", {
        fields: [{ path, message: UNSTORABLE }],
      });
    }
  }
}
