import { Type } from "typebox";
import type { Context } from "../context.ts";
import { isMigrated } from "../db/migrate.ts";
import type { App } from "../http/types.ts";

const Status = Type.Object({ status: Type.String() });

/** Liveness and readiness, for load balancers and orchestrators. */
export async function operationsRoutes(app: App, ctx: Context): Promise<void> {
  app.get("/healthz", { schema: { hide: true, response: { 200: Status } } }, async () => ({
    status: "ok",
  }));

  app.get(
    "/readyz",
    { schema: { hide: true, response: { 200: Status, 503: Status } } },
    async (_request, reply) => {
      const ready = await isMigrated(ctx.db).catch(() => false);

      return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready" });
    },
  );
}
