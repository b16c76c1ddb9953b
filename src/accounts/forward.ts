import { isAPIError } from "better-auth/api";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { AppError, type ErrorCode } from "../errors.ts";
import { AUTH_BASE_PATH, CLIENT_IP_HEADER } from "./auth.ts";
import { requestHeaders } from "./session.ts";

// The library's error codes, as our registry names them.
const LIBRARY_CODES: Record<string, ErrorCode> = {
  INVALID_EMAIL_OR_PASSWORD: "auth.invalid_credentials",
  EMAIL_NOT_VERIFIED: "auth.email_not_verified",
  PASSWORD_TOO_SHORT: "auth.weak_password",
  PASSWORD_TOO_LONG: "auth.weak_password",
  INVALID_PASSWORD: "auth.weak_password",
  INVALID_TOKEN: "auth.invalid_link",
  TOKEN_EXPIRED: "auth.invalid_link",
  USER_ALREADY_EXISTS: "auth.email_taken",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "auth.email_taken",
  // A link for an account that is gone, or followed while signed in as someone else.
  USER_NOT_FOUND: "auth.invalid_link",
  INVALID_USER: "auth.invalid_link",
  SESSION_NOT_FRESH: "auth.session_not_fresh",
};

/** For calls that check the signed-in user's password: a wrong one is not a weak one. */
export const WRONG_PASSWORD = { INVALID_PASSWORD: "auth.invalid_credentials" } as const;

function toAppError(
  status: number,
  body: unknown,
  retryAfter: string | null,
  codes: Partial<Record<string, ErrorCode>> = {},
): AppError | Error {
  if (status === 429) {
    return new AppError("auth.rate_limited", retryAfter ? { retryAfter: Number(retryAfter) } : {});
  }

  const code = (body as { code?: string } | null)?.code;
  const mapped = code ? (codes[code] ?? LIBRARY_CODES[code]) : undefined;
  if (mapped) return new AppError(mapped);
  if (status === 401) return new AppError("auth.required");
  if (status < 500) return new AppError("request.invalid", { reason: code ?? `status ${status}` });

  return new Error(`auth library answered ${status}`);
}

export interface AuthCall {
  method: "GET" | "POST";
  path: string;
  body?: Record<string, unknown>;
  query?: Record<string, string>;
  /** Library codes this call maps differently, such as a wrong current password. */
  codes?: Partial<Record<string, ErrorCode>>;
}

/**
 * Calls the auth library's handler for one of our routes, so its rate limits, cookies and
 * checks apply, and passes its cookies back to the client. Its errors become ours.
 *
 * The origin is set to our own: the cross-origin rule is enforced once, for every route, by
 * the API's own hook before this runs.
 */
export async function callAuth<T>(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply | undefined,
  call: AuthCall,
): Promise<T> {
  return (await callAuthWithCookies<T>(ctx, request, reply, call)).body;
}

/** As callAuth, also giving the cookies the library set, as a Cookie header would carry them. */
export async function callAuthWithCookies<T>(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply | undefined,
  call: AuthCall,
): Promise<{ body: T; cookie: string }> {
  const url = new URL(AUTH_BASE_PATH + call.path, ctx.config.publicUrl);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);

  const headers = new Headers({ origin: new URL(ctx.config.publicUrl).origin });
  for (const name of ["cookie", "authorization", "user-agent"]) {
    const value = request.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }
  headers.set(CLIENT_IP_HEADER, request.ip);
  if (call.body) headers.set("content-type", "application/json");

  const response = await ctx.auth.handler(
    new Request(url, {
      method: call.method,
      headers,
      ...(call.body ? { body: JSON.stringify(call.body) } : {}),
    }),
  );

  const cookies = response.headers.getSetCookie();
  if (reply && cookies.length > 0) reply.header("set-cookie", cookies);
  const authToken = response.headers.get("set-auth-token");
  if (reply && authToken) reply.header("set-auth-token", authToken);

  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const retryAfter = response.headers.get("x-retry-after");
    throw toAppError(response.status, body, retryAfter, call.codes);
  }

  const cookie = cookies.map((line) => line.split(";")[0]).join("; ");

  return { body: body as T, cookie };
}

/**
 * Checks the signed-in user's password with the library; a wrong one is
 * `auth.invalid_credentials`. A server-side call: the library's rate limits do not count it.
 */
export async function confirmPassword(
  ctx: Context,
  request: FastifyRequest,
  password: string,
): Promise<void> {
  try {
    await ctx.auth.api.verifyPassword({ headers: requestHeaders(request), body: { password } });
  } catch (error) {
    if (!isAPIError(error)) throw error;
    throw toAppError(error.statusCode, error.body, null, WRONG_PASSWORD);
  }
}
