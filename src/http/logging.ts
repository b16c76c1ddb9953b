import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";

/**
 * A URL as it may appear in a log: no query string, and no token or link secret from the
 * path (`/t/<token>/...`, `/invite/<secret>`, `/api/v1/invitation-links/<secret>`).
 */
export function redactUrl(url: string): string {
  const path = url.split("?")[0] ?? "";

  return path
    .replace(/\/t\/[^/]*/g, "/t/[redacted]")
    .replace(/\/(invite|invitation-links)\/[^/]+/g, "/$1/[redacted]");
}

/** Whether the logger writes `level`; the silent logger of `logger: false` writes nothing. */
function writes(log: FastifyBaseLogger, level: string): boolean {
  const pino = log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };

  return pino.isLevelEnabled?.(level) ?? false;
}

/** One line per request: 5xx at error, everything else at info. */
export function logRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  // The token check answers thousands a second: build nothing for a level that writes nothing.
  const level = reply.statusCode >= 500 ? "error" : "info";
  if (!writes(request.log, level)) {
    done();
    return;
  }

  const entry = {
    method: request.method,
    url: redactUrl(request.url),
    statusCode: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 10) / 10,
    ip: request.ip,
  };
  if (reply.statusCode >= 500) request.log.error(entry, "request failed");
  else request.log.info(entry, "request");

  done();
}
