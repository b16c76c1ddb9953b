import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * Fails a response whose status the route did not declare, so a test notices an undocumented
 * answer. Routes without a response schema (docs, static files) pass.
 */
export async function guardResponseStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  const declared = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
  if (!declared || !request.routeOptions.url) return payload;

  const status = String(reply.statusCode);
  if (status in declared || `${status[0]}xx` in declared || "default" in declared) return payload;

  request.log.error({ url: request.routeOptions.url, status }, "undeclared response status");
  reply.code(500);

  return JSON.stringify({
    error: { code: "request.internal", message: `undeclared status ${status}` },
  });
}
