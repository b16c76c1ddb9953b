import { Type } from "typebox";
import type { Context } from "../context.ts";
import { errors, Nullable, OrgIdParam, Timestamp } from "../http/schemas.ts";
import type { App } from "../http/types.ts";
import { authorize } from "../members/access.ts";
import type { InvoiceRow } from "./queries.ts";
import {
  createSubscription,
  listInvoices,
  listPlans,
  listSubscriptions,
  updateSubscription,
  type SubscriptionView,
} from "./service.ts";

const Period = Type.Union([Type.Literal("month"), Type.Literal("year")]);
const MinorUnits = Type.Integer({ description: "Integer minor units of the currency (cents)" });

const Plan = Type.Object({
  id: Type.String(),
  product: Type.String(),
  name: Type.String(),
  pricePerSeat: MinorUnits,
  currency: Type.String(),
  period: Period,
});

const Subscription = Type.Object({
  subscriptionId: Type.String(),
  planId: Type.String(),
  product: Type.String(),
  period: Period,
  pricePerSeat: MinorUnits,
  currency: Type.String(),
  seats: Type.Integer(),
  nextPeriodSeats: Nullable(Type.Integer({ description: "A decrease from the next period" })),
  seatsInUse: Type.Integer(),
  status: Type.Union([Type.Literal("active"), Type.Literal("cancelled"), Type.Literal("lapsed")]),
  currentPeriodStart: Timestamp,
  currentPeriodEnd: Timestamp,
  costPerPeriod: MinorUnits,
});

const Invoice = Type.Object({
  invoiceId: Type.String(),
  subscriptionId: Type.String(),
  kind: Type.Union([
    Type.Literal("purchase"),
    Type.Literal("renewal"),
    Type.Literal("seats_added"),
  ]),
  description: Type.String(),
  seats: Type.Integer(),
  unitPrice: MinorUnits,
  amount: MinorUnits,
  currency: Type.String(),
  periodStart: Timestamp,
  periodEnd: Timestamp,
  issuedAt: Timestamp,
});

const Seats = Type.Integer({ minimum: 1, maximum: 100_000, description: "Number of seats" });

function subscriptionOut(s: SubscriptionView) {
  return {
    subscriptionId: s.subscriptionId,
    planId: s.planId,
    product: s.product,
    period: s.period,
    pricePerSeat: s.pricePerSeat,
    currency: s.currency,
    seats: s.seats,
    nextPeriodSeats: s.nextPeriodSeats,
    seatsInUse: s.seatsInUse,
    status: s.status,
    currentPeriodStart: s.currentPeriodStart.toISOString(),
    currentPeriodEnd: s.currentPeriodEnd.toISOString(),
    costPerPeriod: s.costPerPeriod,
  };
}

function invoiceOut(i: InvoiceRow) {
  return {
    ...i,
    periodStart: i.periodStart.toISOString(),
    periodEnd: i.periodEnd.toISOString(),
    issuedAt: i.issuedAt.toISOString(),
  };
}

export async function billingRoutes(app: App, ctx: Context): Promise<void> {
  app.get(
    "/plans",
    {
      schema: {
        operationId: "listPlans",
        tags: ["billing"],
        summary: "The plans on offer; no sign-in needed",
        response: { 200: Type.Object({ plans: Type.Array(Plan) }), ...errors() },
      },
    },
    async () => ({ plans: [...listPlans(ctx)] }),
  );

  app.post(
    "/organizations/:orgId/subscriptions",
    {
      schema: {
        operationId: "createSubscription",
        tags: ["billing"],
        summary: "Buy seats of a plan",
        description:
          "The first period starts now and is invoiced in full at the plan's current price, " +
          "which the subscription keeps for its renewals. One live subscription per product.",
        params: OrgIdParam,
        body: Type.Object({ planId: Type.String({ minLength: 1, maxLength: 100 }), seats: Seats }),
        response: {
          201: Type.Object({ subscription: Subscription, invoice: Invoice }),
          ...errors(401, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const { orgId } = request.params;
      const { user } = await authorize(ctx, request, orgId, "billing.manage");
      const { planId, seats } = request.body;
      const result = await createSubscription(ctx, { orgId, planId, seats, actorId: user.id });

      return reply.code(201).send({
        subscription: subscriptionOut(result.subscription),
        invoice: invoiceOut(result.invoice),
      });
    },
  );

  app.patch(
    "/organizations/:orgId/subscriptions/:subscriptionId",
    {
      schema: {
        operationId: "updateSubscription",
        tags: ["billing"],
        summary: "Change the seat count, or cancel or resume",
        description:
          "More seats take effect at once with a prorated invoice. Fewer seats take effect " +
          "at the next period and never below the seats in use; while such a decrease is " +
          "pending, no assignment above it is accepted. `cancel: true` lets the subscription " +
          "run to the end of its period and then lapse; `cancel: false` resumes it.",
        params: Type.Object({
          ...OrgIdParam.properties,
          subscriptionId: Type.String({ format: "uuid" }),
        }),
        body: Type.Object({ seats: Type.Optional(Seats), cancel: Type.Optional(Type.Boolean()) }),
        response: {
          200: Type.Object({ subscription: Subscription, invoice: Nullable(Invoice) }),
          ...errors(401, 404, 409),
        },
      },
    },
    async (request) => {
      const { orgId, subscriptionId } = request.params;
      const { user } = await authorize(ctx, request, orgId, "billing.manage");
      const { seats, cancel } = request.body;
      const result = await updateSubscription(ctx, {
        orgId,
        subscriptionId,
        seats,
        cancel,
        actorId: user.id,
      });

      return {
        subscription: subscriptionOut(result.subscription),
        invoice: result.invoice ? invoiceOut(result.invoice) : null,
      };
    },
  );

  app.get(
    "/organizations/:orgId/subscriptions",
    {
      schema: {
        operationId: "listSubscriptions",
        tags: ["billing"],
        summary: "The organization's subscriptions, with seats in use and cost per period",
        params: OrgIdParam,
        response: {
          200: Type.Object({ subscriptions: Type.Array(Subscription) }),
          ...errors(401, 404),
        },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      await authorize(ctx, request, orgId, "billing.read");

      return { subscriptions: (await listSubscriptions(ctx, orgId)).map(subscriptionOut) };
    },
  );

  app.get(
    "/organizations/:orgId/invoices",
    {
      schema: {
        operationId: "listInvoices",
        tags: ["billing"],
        summary: "The organization's invoices, newest first",
        params: OrgIdParam,
        response: { 200: Type.Object({ invoices: Type.Array(Invoice) }), ...errors(401, 404) },
      },
    },
    async (request) => {
      const { orgId } = request.params;
      await authorize(ctx, request, orgId, "billing.read");

      return { invoices: (await listInvoices(ctx, orgId)).map(invoiceOut) };
    },
  );
}
