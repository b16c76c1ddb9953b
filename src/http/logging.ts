import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";

/** `%74` and the other escapes of ASCII characters decoded, the rest left as they are. */
function decodeAscii(path: string): string {
  return path.replace(/%([0-7][0-9A-Fa-f])/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/**
 * A URL as it may appear in a log: no query string, and no token or link secret from the
 * path (`/t/<token>/...`, `/invite/<secret>`, `/api/v1/invitation-links/<secret>`). Escapes
 * are decoded first, since the router decodes `/%74/<token>` to `/t/<token>`, and anything
 * token-shaped left over is withheld too.
 */
export function redactUrl(url: string): string {
  const path = decodeAscii(url.split("?")[0] ?? "");

  return path
    .replace(/\/t\/[^/]*/gi, "/t/[redacted]")
    .replace(/\/(invite|invitation-links)\/[^/]+/gi, "/$1/[redacted]")
    .replace(/tsr_[0-9A-Za-z]*/g, "tsr_[redacted]");
}

/** Whether the logger writes `level`; the silent logger of `logger: false` writes nothing. */
function writes(log: FastifyBaseLogger, level: string): boolean {
  const pino = log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };

  return pino.isLevelEnabled?.(level) ?? false;
}

/** What the one line per request says. */
export interface RequestLine {
  method: string;
  /** Already through `redactUrl`. */
  url: string;
  durationMs: number;
  ip: string | undefined;
}

/**
 * Writes a request's line: 5xx at error, everything else at info. The token check answers
 * thousands a second, so `describe` is called only when the level writes something.
 */
export function writeRequestLine(
  log: FastifyBaseLogger,
  statusCode: number,
  describe: () => RequestLine,
): void {
  const level = statusCode >= 500 ? "error" : "info";
  if (!writes(log, level)) return;

  const { method, url, durationMs, ip } = describe();
  const entry = { method, url, statusCode, durationMs: Math.round(durationMs * 10) / 10, ip };
  if (level === "error") log.error(entry, "request failed");
  else log.info(entry, "request");
}

/** The Fastify hook that writes every routed request's line. */
export function logRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  writeRequestLine(request.log, reply.statusCode, () => ({
    method: request.method,
    url: redactUrl(request.url),
    durationMs: reply.elapsedTime,
    ip: request.ip,
  }));

  done();
}
