import { Type } from "typebox";
import type { Context } from "../context.ts";
import { errors, Nullable, OrgIdParam, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { authorize } from "../members/access.ts";
import { activateToken, getMyToken, reissueToken } from "./service.ts";

const Products = Type.Array(Type.String(), {
  description: "Every product the member holds a seat of with a live subscription, sorted",
});

const MyToken = Type.Object({
  hasSeat: Type.Boolean({ description: "At least one seat with a live subscription" }),
  products: Products,
  token: Nullable(
    Type.Object({
      status: Type.Union([Type.Literal("active"), Type.Literal("inactive")], {
        description: "inactive while no live seat covers the token: the check refuses it",
      }),
      hint: Type.String({ description: "The token's last 4 characters" }),
      createdAt: Timestamp,
      lastUsedAt: Nullable(Timestamp),
      usesToday: Type.Integer({
        description: "Checks the token passed today (UTC); written every few seconds",
      }),
    }),
  ),
});

const IssuedToken = Type.Object({
  token: Type.String({ description: "The token itself: shown in this answer only" }),
  hint: Type.String(),
  products: Products,
  channelUrl: Type.String({ description: "The package channel URL with the token in it" }),
  instructions: Type.Object({
    condaConfig: Type.String({ description: "A conda command that adds the channel" }),
    condarc: Type.String({ description: "The same as lines of a .condarc file" }),
  }),
});

const ISSUED =
  "The token is in this answer and in a mail to the member, nowhere else: Tessera keeps only " +
  "its SHA-256.";

/** A member's own token in an organization: see it, activate it, reissue it. */
export async function tokenRoutes(app: App, ctx: Context): Promise<void> {
  app.get(
    "/organizations/:orgId/token",
    {
      schema: {
        operationId: "getMyToken",
        tags: ["tokens"],
        summary: "Your seats and token in this organization (never the token itself)",
        params: OrgIdParam,
        response: { 200: MyToken, ...errors(401, 404) },
      },
    },
    async (request) => {
      const caller = await authorize(ctx, request, request.params.orgId, "token.use");
      const mine = await getMyToken(ctx, caller);

      return {
        ...mine,
        token: mine.token && {
          ...mine.token,
          createdAt: mine.token.createdAt.toISOString(),
          lastUsedAt: mine.token.lastUsedAt?.toISOString() ?? null,
        },
      };
    },
  );

  app.post(
    "/organizations/:orgId/token",
    {
      schema: {
        operationId: "activateToken",
        tags: ["tokens"],
        summary: "Activate your token: needs a seat with a live subscription",
        description: `${ISSUED} One active token per member and organization.`,
        params: OrgIdParam,
        response: { 201: IssuedToken, ...errors(401, 404, 409) },
      },
    },
    async (request, reply) => {
      const caller = await authorize(ctx, request, request.params.orgId, "token.use");
      const issued = await activateToken(ctx, caller);

      return reply.code(201).header("cache-control", "no-store").send(issued);
    },
  );

  app.post(
    "/organizations/:orgId/token/reissue",
    {
      schema: {
        operationId: "reissueToken",
        tags: ["tokens"],
        summary: "Replace your token with a new one; the old one stops working at once",
        description: ISSUED,
        params: OrgIdParam,
        response: { 201: IssuedToken, ...errors(401, 404, 409) },
      },
    },
    async (request, reply) => {
      const caller = await authorize(ctx, request, request.params.orgId, "token.use");
      const issued = await reissueToken(ctx, caller);

      return reply.code(201).header("cache-control", "no-store").send(issued);
    },
  );
}
