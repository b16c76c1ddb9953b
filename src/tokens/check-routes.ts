import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import type { Context } from "../context.ts";
import { ErrorBody } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { answerCheck, type CheckQuestion } from "./check-answers.ts";

const CheckBody = Type.Object(
  {
    organization: Type.String({ description: "The organization ID the token belongs to" }),
    products: Type.Array(Type.String(), { description: "Every product the token covers" }),
  },
  {
    description: "The token is good now.",
    headers: {
      "X-Tessera-Organization": {
        type: "string",
        description: "The organization ID the token belongs to",
      },
      "X-Tessera-Products": {
        type: "string",
        description: "Every product the token covers, comma-separated",
      },
      "Cache-Control": { type: "string", description: "Always no-store" },
    },
  },
);

const Query = Type.Object({
  product: Type.Optional(
    Type.String({ description: "Answer yes only if the token covers this product" }),
  ),
});

const CheckHeaders = Type.Object({
  authorization: Type.Optional(Type.String({ description: "`Bearer <token>`" })),
  "x-original-uri": Type.Optional(
    Type.String({ description: "The original request path holding `/t/<token>/`" }),
  ),
});

const answers = {
  200: CheckBody,
  400: ErrorBody,
  401: { ...ErrorBody, description: "token.missing, token.malformed or token.invalid" },
  403: { ...ErrorBody, description: "token.inactive or token.product_not_covered" },
  500: ErrorBody,
  503: {
    ...ErrorBody,
    description: "token.overloaded: too many checks at once; comes with Retry-After",
  },
};

/** Sends what `answerCheck` answered, byte for byte. */
async function send(reply: FastifyReply, ctx: Context, question: CheckQuestion) {
  const answer = await answerCheck(ctx, question);

  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

/**
 * The check a package repository asks before every download (nginx `auth_request` or a
 * proxy's equivalent). It answers 200, 401 and 403 for a well-formed request, which is what
 * `auth_request` passes on, and 503 with Retry-After under overload (the proxy must map it),
 * and never lets an answer be cached downstream. On a listening server `checkLane` answers
 * these paths before Fastify sees them; these routes give the same answers to `inject` and
 * describe the check in the API reference.
 */
export async function tokenCheckRoutes(app: App, ctx: Context): Promise<void> {
  // A thrown error's answer (a database failure) must not be cached downstream either.
  app.addHook("onRequest", (_request, reply, done) => {
    reply.header("cache-control", "no-store");
    done();
  });

  app.get(
    "/auth/check",
    {
      schema: {
        operationId: "checkToken",
        tags: ["tokens"],
        summary: "Is this token good now, and for which products?",
        description:
          "For package repositories. The token comes as `Authorization: Bearer <token>`, or " +
          "inside a conda-style path `/t/<token>/...` in the `X-Original-URI` header (what " +
          "nginx `auth_request` sends; its path only, not its query). The same check answers " +
          "at `/auth/check/t/<token>/...`. 200 with the organization and products in headers " +
          "and body; 401 for a missing, malformed, unknown or reissued token; 403 for a token " +
          "whose membership, seat or subscription has ended (a revoked last seat ends it for " +
          "good), or that does not cover `product`.",
        querystring: Query,
        headers: CheckHeaders,
        response: answers,
      },
    },
    async (request, reply) => {
      const { authorization } = request.headers;
      const originalUri = request.headers["x-original-uri"];

      return send(reply, ctx, { authorization, originalUri, product: request.query.product });
    },
  );

  app.get(
    "/auth/check/t/*",
    { schema: { hide: true, querystring: Query, response: answers } },
    async (request, reply) => {
      const rest = (request.params as Record<string, string | undefined>)["*"] ?? "";

      return send(reply, ctx, {
        pathToken: rest.split("/")[0] ?? "",
        product: request.query.product,
      });
    },
  );
}
