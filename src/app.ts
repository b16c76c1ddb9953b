import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import Fastify, {
  LogController,
  type FastifyServerFactory,
  type FastifyServerOptions,
} from "fastify";
import { TokenChecks } from "./tokens/checks.ts";
import { createAuth } from "./accounts/auth.ts";
import { accountRoutes } from "./accounts/routes.ts";
import type { Clock } from "./clock.ts";
import { systemClock } from "./clock.ts";
import type { Config } from "./config.ts";
import type { Context } from "./context.ts";
import type { Database } from "./db/database.ts";
import { ERRORS } from "./errors.ts";
import {
  handleClientError,
  handleError,
  handleFrameworkError,
  handleNotFound,
} from "./http/errors.ts";
import { logRequest } from "./http/logging.ts";
import { checkOrigin } from "./http/origin.ts";
import { rejectUnstorableText } from "./http/text-guard.ts";
import { guardResponseStatus } from "./http/response-guard.ts";
import type { App } from "./http/types.ts";
import { validatorCompiler } from "./http/validation.ts";
import { operationsRoutes } from "./operations/routes.ts";
import { mailboxRoutes } from "./mail/mailbox-routes.ts";
import { Sealer } from "./mail/sealing.ts";
import { featureRoutes } from "./routes.ts";
import { checkLane } from "./tokens/check-lane.ts";
import { tokenCheckRoutes } from "./tokens/check-routes.ts";
import { defaultWebRoot, hasWebBuild, isAppPath, sendApp, webRoutes } from "./web/static.ts";

export interface AppOptions {
  config: Config;
  db: Database;
  clock?: Clock;
  /** Fail a response whose status its route did not declare (tests turn this on). */
  strictResponses?: boolean;
  logger?: FastifyServerOptions["logger"];
  /** The built web app to serve at `/` (default web/dist); nothing is served if it is empty. */
  webRoot?: string;
}

function errorTable(): string {
  const rows = Object.entries(ERRORS).map(([code, [status, message]]) => {
    return `| \`${code}\` | ${status} | ${message} |`;
  });

  return ["| code | status | message |", "| --- | --- | --- |", ...rows].join("\n");
}

async function documentation(app: App, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Tessera API",
        version: "1",
        description:
          "Organizations, seats and access tokens for a package repository.\n\n" +
          'Errors answer `{ "error": { "code", "message", "details"? } }` with these codes:\n\n' +
          errorTable(),
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "tessera.session_token" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: "/api/docs" });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}

type Lane = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Node's HTTP server as Fastify makes one (its timeouts included), with a lane in front that
 * may answer a request before Fastify sees it.
 */
function serverWithLane(lane: () => Lane | undefined): FastifyServerFactory {
  return (handler, options) => {
    // Fastify hands over its settings with defaults filled in, typed loosely.
    const timeouts = options as Partial<
      Record<"keepAliveTimeout" | "requestTimeout" | "connectionTimeout", number>
    >;
    const server = createServer((request, response) => {
      if (!lane()?.(request, response)) handler(request, response);
    });
    server.keepAliveTimeout = timeouts.keepAliveTimeout ?? 72_000;
    server.requestTimeout = timeouts.requestTimeout ?? 0;
    server.setTimeout(timeouts.connectionTimeout ?? 0);

    return server;
  };
}

/** Builds the whole Fastify app: every feature's routes on one shared context. */
export async function buildApp(options: AppOptions): Promise<{ app: App; ctx: Context }> {
  const { config, db } = options;
  // The token check is answered ahead of Fastify (see checkLane), once the context exists.
  const ahead: { lane?: Lane } = {};
  const app = Fastify({
    serverFactory: serverWithLane(() => ahead.lane),
    logger: options.logger ?? {
      level: config.logLevel,
      // Nothing logs these today; the paths keep it so if someone adds a careless line.
      redact: ["req.headers.authorization", "req.headers.cookie", "*.password", "*.token"],
    },
    // One line per request comes from our own hook, with secrets taken out of the URL.
    logController: new LogController({ disableRequestLogging: true }),
    // A hop count is accepted at run time; the type declarations leave numbers out.
    trustProxy: config.trustProxy as boolean | string[],
    bodyLimit: 1024 * 1024,
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const sealer = new Sealer(config.secret);
  const ctx: Context = {
    config,
    db,
    clock: options.clock ?? systemClock,
    sealer,
    auth: createAuth({ config, db, sealer, log: app.log }),
    log: app.log,
    tokenChecks: new TokenChecks(config, db, app.log),
  };
  ahead.lane = checkLane(ctx);

  app.setValidatorCompiler(validatorCompiler());
  app.setErrorHandler(handleError);
  const webRoot = options.webRoot ?? defaultWebRoot();
  const serveWeb = hasWebBuild(webRoot);
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes: a reload of /orgs/acme/members gets the app, which shows the page.
    if (serveWeb && isAppPath(request)) return sendApp(reply);

    return handleNotFound(request, reply);
  });
  app.addHook("onRequest", checkOrigin(new URL(config.publicUrl).origin));
  app.addHook("preValidation", rejectUnstorableText);
  app.addHook("onResponse", logRequest);
  if (options.strictResponses) app.addHook("onSend", guardResponseStatus);

  await documentation(app, config);
  await app.register(async (ops) => operationsRoutes(ops, ctx));
  await app.register(async (scope) => tokenCheckRoutes(scope, ctx));
  if (!config.smtpUrl) await app.register(async (dev) => mailboxRoutes(dev, ctx));
  await app.register(
    async (api) => {
      await accountRoutes(api, ctx);
      await featureRoutes(api, ctx);
    },
    { prefix: "/api/v1" },
  );
  if (serveWeb) await webRoutes(app, webRoot);

  return { app, ctx };
}
