import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a change authenticated by cookie when a browser says it comes from another site.
 * Scripts that send `Authorization: Bearer` carry no ambient credentials, so they pass.
 */
export function checkOrigin(publicOrigin: string) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (SAFE.has(request.method) || !request.headers.cookie) return;
    if (request.headers.authorization) return;

    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origin !== publicOrigin) throw new AppError("request.cross_origin");
      return;
    }

    const site = request.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site") throw new AppError("request.cross_origin");

    const referer = request.headers.referer;
    if (referer !== undefined && originOf(referer) !== publicOrigin) {
      throw new AppError("request.cross_origin");
    }
  };
}
