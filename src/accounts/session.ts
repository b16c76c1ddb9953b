import type { FastifyRequest } from "fastify";
import type { Context } from "../context.ts";
import { AppError } from "../errors.ts";

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  createdAt: Date;
}

/** Headers that carry the request's session to the auth library's server-side calls. */
export function requestHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const name of ["cookie", "authorization"]) {
    const value = request.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }

  return headers;
}

/** The signed-in user and the ID of their current session. */
export interface SignedInSession {
  user: SignedInUser;
  sessionId: string;
}

async function findSession(ctx: Context, request: FastifyRequest): Promise<SignedInSession | null> {
  if (!request.headers.cookie && !request.headers.authorization) return null;

  const session = await ctx.auth.api.getSession({ headers: requestHeaders(request) });
  if (!session) return null;

  const { id, name, email, emailVerified, createdAt } = session.user;

  return { user: { id, name, email, emailVerified, createdAt }, sessionId: session.session.id };
}

/** The signed-in user behind the request's cookie or bearer session token, if any. */
export async function findUser(
  ctx: Context,
  request: FastifyRequest,
): Promise<SignedInUser | null> {
  return (await findSession(ctx, request))?.user ?? null;
}

/** The signed-in user with their current session's ID, or `auth.required`. */
export async function requireSession(
  ctx: Context,
  request: FastifyRequest,
): Promise<SignedInSession> {
  const session = await findSession(ctx, request);
  if (!session) throw new AppError("auth.required");

  return session;
}

/** The signed-in user, or `auth.required`. */
export async function requireUser(ctx: Context, request: FastifyRequest): Promise<SignedInUser> {
  const user = await findUser(ctx, request);
  if (!user) throw new AppError("auth.required");

  return user;
}
