import type { Context } from "../context.ts";
import { ERRORS, type ErrorCode } from "../errors.ts";
import type { Yes } from "./cache.ts";
import { checkToken, type Refusal, type Verdict } from "./service.ts";

/** What a package repository's check request carries, however it arrived. */
export interface CheckQuestion {
  authorization?: string | undefined;
  /** nginx's `X-Original-URI`: the download's own path, which may hold `/t/<token>/`. */
  originalUri?: string | undefined;
  /** The `<token>` of the path form `/auth/check/t/<token>/...`, when that form was asked. */
  pathToken?: string | undefined;
  product?: string | undefined;
}

/** A whole HTTP answer: the same bytes whichever server writes it. */
export interface CheckReply {
  status: number;
  /** Content-Length included, so the answer goes out in one write rather than chunked. */
  headers: Record<string, string>;
  body: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;
// The path's first `/t/<token>` only, the one nginx's rewrite and access log treat as the
// token: a channel URL never puts it in the query string, so `?/t/<token>` proves nothing.
const TOKEN_IN_PATH = /^[^?#]*?\/t\/([^/?#]+)/;

// Errors too: a cached "no" would outlive a seat given back, a cached "yes" a revocation.
const NO_STORE = "no-store";
const JSON_TYPE = "application/json; charset=utf-8";

function jsonHeaders(body: string): Record<string, string> {
  return {
    "content-type": JSON_TYPE,
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": NO_STORE,
  };
}

/**
 * The token from `Authorization: Bearer`, else from a `/t/<token>/` in the path of
 * X-Original-URI (never its query or fragment).
 */
export function tokenOf(question: CheckQuestion): string | undefined {
  if (question.pathToken !== undefined) return question.pathToken || undefined;

  const bearer = BEARER.exec(question.authorization ?? "");
  if (bearer) return bearer[1];

  return TOKEN_IN_PATH.exec(question.originalUri ?? "")?.[1];
}

/** The API's error body for `code`, with the headers every check answer has. */
export function errorReply(code: ErrorCode, details?: Record<string, unknown>): CheckReply {
  const [status, message] = ERRORS[code];
  const body = JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } });
  const headers = jsonHeaders(body);
  if (code === "token.overloaded") headers["retry-after"] = "1";
  // A 401 names the scheme that would do; nginx's auth_request hands it on to the client.
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="tessera"';

  return { status, headers, body };
}

// Most refusals are the same few bytes every time: build them once.
const REFUSALS = new Map<Refusal, CheckReply>();

function refusal(verdict: Verdict & { ok: false }): CheckReply {
  if (verdict.product !== undefined) {
    return errorReply(verdict.code, { product: verdict.product });
  }

  let reply = REFUSALS.get(verdict.code);
  if (!reply) {
    reply = errorReply(verdict.code);
    REFUSALS.set(verdict.code, reply);
  }

  return reply;
}

// A cached standing answers yes with the same object every time: its answer is built once.
const YES = new WeakMap<Yes, CheckReply>();

function yesReply({ organization, products }: Yes): CheckReply {
  const body = JSON.stringify({ organization, products });
  const headers = jsonHeaders(body);
  headers["x-tessera-organization"] = organization;
  headers["x-tessera-products"] = products.join(",");

  return { status: 200, headers, body };
}

/**
 * The check as HTTP: 200 with the organization and products in headers (for the proxy to log)
 * and body, 401 or 403 for a refusal, 503 with Retry-After when too many lookups are in
 * flight. A database failure is thrown, for the caller to answer 500.
 */
export async function answerCheck(ctx: Context, question: CheckQuestion): Promise<CheckReply> {
  const verdict = await checkToken(ctx, tokenOf(question), question.product);
  if (!verdict.ok) return refusal(verdict);

  let reply = YES.get(verdict);
  if (!reply) {
    reply = yesReply(verdict);
    YES.set(verdict, reply);
  }

  return reply;
}
