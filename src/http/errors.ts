import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, ERRORS, type ErrorCode, fromConstraint } from "../errors.ts";

function body(code: ErrorCode, details?: Record<string, unknown>) {
  return { error: { code, message: ERRORS[code][1], ...(details ? { details } : {}) } };
}

const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "request.malformed_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "request.malformed_json",
  FST_ERR_CTP_BODY_TOO_LARGE: "request.too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "request.unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "request.invalid",
};

/** The validation failure's field paths, as `/body/emails` style pointers. */
function fields(error: FastifyError) {
  return (error.validation ?? []).map((issue) => ({
    path: `/${error.validationContext ?? "body"}${issue.instancePath}`,
    message: issue.message ?? "is not valid",
  }));
}

// PostgreSQL's answers to values it cannot take: bad text encoding, a malformed uuid, a number
// out of range. Input checks catch these first; this keeps a missed one a 400.
const BAD_VALUE = new Set(["22021", "22P05", "22P02", "22003", "22007", "22008"]);

/** Turns anything thrown by a route into the API's one error body. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = fromConstraint(error);
  if (known instanceof AppError) {
    const retryAfter = known.details?.retryAfter;
    if (known.status === 429 && typeof retryAfter === "number") {
      reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfter))));
    }
    return reply.code(known.status).send(body(known.code, known.details));
  }

  if (BAD_VALUE.has((error as { code?: string }).code ?? "")) {
    return reply.code(400).send(body("request.invalid"));
  }

  if (error.validation) {
    return reply.code(400).send(body("request.invalid", { fields: fields(error) }));
  }

  const framework = error.code ? FRAMEWORK_CODES[error.code] : undefined;
  if (framework) return reply.code(ERRORS[framework][0]).send(body(framework));

  if (error instanceof SyntaxError) return reply.code(400).send(body("request.malformed_json"));
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return reply.code(error.statusCode).send(body("request.invalid"));
  }

  request.log.error({ err: error }, "request failed");

  return reply.code(500).send(body("request.internal"));
}

export function handleNotFound(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).header("cache-control", "no-store").send(body("request.not_found"));
}

const CLIENT_ERRORS: Record<string, ErrorCode> = {
  ERR_HTTP_REQUEST_TIMEOUT: "request.timeout",
  HPE_HEADER_OVERFLOW: "request.headers_too_large",
};

/**
 * A request Node could not even parse (headers too large, too slow, not HTTP): our error body,
 * written straight to the socket, which is then closed, as Node and Fastify do.
 */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;

  const code = CLIENT_ERRORS[error.code ?? ""] ?? "request.invalid";
  const status = ERRORS[code][0];
  const text = JSON.stringify(body(code));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
        `Cache-Control: no-store\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}

/**
 * Errors Fastify raises before routing (a URL that does not decode, a path part too long): our body, and nothing of
 * the URL echoed back, since it may hold a token.
 */
export function handleFrameworkError(
  _error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  // No-store: it may be a token check's answer, and none of those may be kept downstream.
  void reply
    .code(400)
    .header("cache-control", "no-store")
    .send(body("request.invalid", { reason: "the URL is not valid" }));
}
