import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "../context.ts";
import { parse as parseQuery } from "fast-querystring";
import { redactUrl, writeRequestLine } from "../http/logging.ts";
import { findUnstorable, UNSTORABLE } from "../http/text-guard.ts";
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

function invalidField(path: string, message: string): CheckReply {
  return errorReply("request.invalid", { fields: [{ path, message }] });
}

/**
 * The question a check request asks, or the 400 it gets, as the route would give it: a URL
 * that does not decode, text no column can keep (`rejectUnstorableText`), or a repeated
 * `product`. The query is read by the parser Fastify's router uses, so both agree on it.
 */
function questionOf(
  request: IncomingMessage,
  path: string,
  query: string,
): CheckQuestion | CheckReply {
  let rest: string | undefined;
  if (path.startsWith(PATH_FORM)) {
    try {
      rest = decodeURIComponent(path.slice(PATH_FORM.length));
    } catch {
      return INVALID_URL;
    }
  }
  const parsed = query ? (parseQuery(query) as Record<string, string | string[]>) : {};

  const unstorable =
    findUnstorable(parsed, "/querystring") ??
    (rest === undefined ? undefined : findUnstorable({ "*": rest }, "/params"));
  if (unstorable) return invalidField(unstorable, UNSTORABLE);

  const product = parsed.product;
  if (Array.isArray(product)) return invalidField("/querystring/product", "must be string");

  return {
    authorization: request.headers.authorization,
    originalUri: header(request, "x-original-uri"),
    pathToken: rest === undefined ? undefined : (rest.split("/")[0] ?? ""),
    product,
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];

  return typeof value === "string" ? value : undefined;
}

function send(response: ServerResponse, reply: CheckReply): void {
  response.writeHead(reply.status, reply.headers);
  response.end(reply.body);
}

/**
 * Checks shed under overload, counted and logged at most once a second: a line for each would
 * add work exactly when there is none to spare.
 */
class ShedCount {
  private shed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: Context) {}

  add(): void {
    this.shed += 1;
    if (this.timer) return;

    this.timer = setTimeout(() => {
      this.ctx.log.warn({ shed: this.shed }, "token checks shed for lack of room");
      this.shed = 0;
      this.timer = undefined;
    }, 1_000);
    this.timer.unref();
  }
}

async function serve(
  ctx: Context,
  shed: ShedCount,
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

  if (reply.status === 503) {
    shed.add();
    return;
  }
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
  const shed = new ShedCount(ctx);

  return (request, response) => {
    const target = checkTarget(request);
    if (!target) return false;

    void serve(ctx, shed, request, response, target);

    return true;
  };
}
