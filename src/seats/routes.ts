import { Type } from "typebox";
import type { Context } from "../context.ts";
import { AppError, ERRORS, type ErrorCode } from "../errors.ts";
import { errors, OrgIdParam, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { authorize } from "../members/access.ts";
import {
  assignSeats,
  listSeatProducts,
  listSeats,
  revokeSeat,
  type SeatOutcome,
  type SeatResult,
} from "./service.ts";

const Product = Type.String({ pattern: "^[a-z0-9][a-z0-9-]{0,62}$", description: "A product" });
const UserId = Type.String({ minLength: 1, maxLength: 200 });

const Seat = Type.Object({
  product: Type.String(),
  userId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  assignedAt: Timestamp,
});

const ResultItem = Type.Object({
  userId: Type.String(),
  outcome: Type.Union([
    Type.Literal("assigned"),
    Type.Literal("already_assigned"),
    Type.Literal("not_member"),
    Type.Literal("limit_reached"),
    Type.Literal("no_subscription"),
  ]),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

/** The error each failed outcome stands for. */
const FAILURES: Record<Exclude<SeatOutcome, "assigned">, ErrorCode> = {
  already_assigned: "seat.already_assigned",
  not_member: "member.not_found",
  limit_reached: "seat.limit_reached",
  no_subscription: "seat.no_subscription",
};

interface ExplainedResult extends SeatResult {
  error?: { code: ErrorCode; message: string };
}

function explain(result: SeatResult): ExplainedResult {
  if (result.outcome === "assigned") return result;

  const code = FAILURES[result.outcome];
  return { ...result, error: { code, message: ERRORS[code][1] } };
}

const SeatProduct = Type.Object({
  product: Type.String(),
  seats: Type.Integer({ description: "Seats that may be held now" }),
  seatsInUse: Type.Integer(),
});

export async function seatRoutes(app: App, ctx: Context): Promise<void> {
  app.get(
    "/organizations/:orgId/seat-products",
    {
      schema: {
        operationId: "listSeatProducts",
        tags: ["seats"],
        summary: "The products seats can be assigned for now, with seats held and free",
        description:
          "One entry per live subscription (active, or cancelled and still in its period). " +
          "`seats` is the lower of this period's and a pending next period's count, as " +
          "assignments count it. Readable by anyone who may read seats, billing role or not.",
        params: OrgIdParam,
        response: {
          200: Type.Object({ products: Type.Array(SeatProduct) }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      await authorize(ctx, request, orgId, "seat.read");

      return { products: await listSeatProducts(ctx, orgId) };
    },
  );

  app.get(
    "/organizations/:orgId/seats",
    {
      schema: {
        operationId: "listSeats",
        tags: ["seats"],
        summary: "The organization's seats and who holds them",
        params: OrgIdParam,
        querystring: Type.Object({ product: Type.Optional(Product) }),
        response: { 200: Type.Object({ seats: Type.Array(Seat) }), ...errors(401, 404) },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      await authorize(ctx, request, orgId, "seat.read");
      const seats = await listSeats(ctx, orgId, request.query.product);

      return {
        seats: seats.map((seat) => ({ ...seat, assignedAt: seat.assignedAt.toISOString() })),
      };
    },
  );

  app.post(
    "/organizations/:orgId/seats",
    {
      schema: {
        operationId: "assignSeat",
        tags: ["seats"],
        summary: "Give members a seat of a product",
        description:
          "Answers one result per member. When every one failed, answers with the first " +
          "failure's error (409 for seats, 404 for someone who is not a member) and the " +
          "results in `details.results`. At most as many assignments " +
          "succeed as there are free seats (fewer while a decrease is pending).",
        params: OrgIdParam,
        body: Type.Object({
          product: Product,
          userIds: Type.Array(UserId, { minItems: 1, maxItems: 1000 }),
        }),
        response: {
          200: Type.Object({ results: Type.Array(ResultItem) }),
          ...errors(401, 404, 409),
        },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      const { user } = await authorize(ctx, request, orgId, "seat.manage");
      const { product, userIds } = request.body;
      const outcomes = await assignSeats(ctx, { orgId, product, userIds, actorId: user.id });
      const results = outcomes.map(explain);

      const [first] = results;
      const allFailed = results.every((r) => r.outcome !== "assigned");
      if (allFailed && first?.error) throw new AppError(first.error.code, { results });

      return { results };
    },
  );

  app.delete(
    "/organizations/:orgId/seats/:product/:userId",
    {
      schema: {
        operationId: "revokeSeat",
        tags: ["seats"],
        summary: "Take a member's seat of a product away",
        params: Type.Object({ ...OrgIdParam.properties, product: Product, userId: UserId }),
        response: { 204: Type.Null(), ...errors(401, 404) },
      },
    },
    async (request, reply) => {
      const { orgId, product, userId } = request.params;
      const { user } = await authorize(ctx, request, orgId, "seat.manage");
      await revokeSeat(ctx, { orgId, product, userId, actorId: user.id });

      return reply.code(204).send(null);
    },
  );
}
