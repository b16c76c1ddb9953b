import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "../context.ts";
import { redactUrl, writeRequestLine } from "../http/logging.ts";
import { answerCheck, type CheckQuestion, type CheckReply, errorReply } from "./check-answers.ts";

const CHECK = "/auth/check";
const PATH_FORM = "/auth/check/t/";

/** The path and query of a check request, or `undefined` for any other request. */
function checkTarget(request: IncomingMessage): { path: string; query: string } | undefined {
  const url = request.url ?? "";
  if (!url.startsWith(CHECK)) return undefined;
  if (request.method !== "GET" && request.method !== "HEAD") return undefined;

  const mark = url.indexOf("?");
  const path = mark < 0 ? url : url.slice(0, mark);
  if (path !== CHECK && !path.startsWith(PATH_FORM)) return undefined;

  return { path, query: mark < 0 ? "" : url.slice(mark + 1) };
}

const INVALID_URL = errorReply("request.invalid", { reason: "the URL is not valid" });

function single(name: string): CheckReply {
  return errorReply("request.invalid", {
    fields: [{ path: `/querystring/${name}`, message: "must be string" }],
  });
}

/** The question a check request asks, or the 400 it gets for a URL that cannot be read. */
function questionOf(
  request: IncomingMessage,
  path: string,
  query: string,
): CheckQuestion | CheckReply {
  const question: CheckQuestion = {
    authorization: request.headers.authorization,
    originalUri: header(request, "x-original-uri"),
  };

  if (path.startsWith(PATH_FORM)) {
    let rest: string;
    try {
      rest = decodeURIComponent(path.slice(PATH_FORM.length));
    } catch {
      return INVALID_URL;
    }
    question.pathToken = rest.split("/")[0] ?? "";
  }

  if (query) {
    const products = new URLSearchParams(query).getAll("product");
    if (products.length > 1) return single("product");
    question.product = products[0];
  }

  return question;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];

  return typeof value === "string" ? value : undefined;
}

function send(response: ServerResponse, reply: CheckReply): void {
  response.writeHead(reply.status, reply.headers);
  response.end(reply.body);
}

async function serve(
  ctx: Context,
  request: IncomingMessage,
  response: ServerResponse,
  target: { path: string; query: string },
): Promise<void> {
  const started = performance.now();

  let reply: CheckReply;
  try {
    const question = questionOf(request, target.path, target.query);
    reply = "status" in question ? question : await answerCheck(ctx, question);
  } catch (error) {
    ctx.log.error({ err: error }, "token check failed");
    reply = errorReply("request.internal");
  }
  send(response, reply);

  writeRequestLine(ctx.log, reply.status, () => ({
    method: request.method ?? "GET",
    url: redactUrl(request.url ?? ""),
    durationMs: performance.now() - started,
    ip: request.socket.remoteAddress,
  }));
}

/**
 * The token check straight from Node's HTTP server, ahead of Fastify. The check is asked before
 * every download, and Fastify's work per request (its request and reply objects, hooks, schema
 * checks) costs several times the check itself. The answers are the `checkToken` routes' own
 * (`answerCheck`); those routes stay for the API reference and for `inject`. Answers `true`
 * when it took the request, `false` to hand it on.
 */
export function checkLane(
  ctx: Context,
): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const target = checkTarget(request);
    if (!target) return false;

    void serve(ctx, request, response, target);

    return true;
  };
}
