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

function requestHeaders(request: FastifyRequest): Headers {
  const headers = new Headers();
  for (const name of ["cookie", "authorization"]) {
    const value = request.headers[name];
    if (typeof value === "string") headers.set(name, value);
  }

  return headers;
}

/** The signed-in user behind the request's cookie or bearer session token, if any. */
export async function findUser(
  ctx: Context,
  request: FastifyRequest,
): Promise<SignedInUser | null> {
  if (!request.headers.cookie && !request.headers.authorization) return null;

  const session = await ctx.auth.api.getSession({ headers: requestHeaders(request) });
  if (!session) return null;

  const { id, name, email, emailVerified, createdAt } = session.user;

  return { id, name, email, emailVerified, createdAt };
}

/** The signed-in user, or `auth.required`. */
export async function requireUser(ctx: Context, request: FastifyRequest): Promise<SignedInUser> {
  const user = await findUser(ctx, request);
  if (!user) throw new AppError("auth.required");

  return user;
}
