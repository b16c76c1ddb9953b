import type { Context } from "./context.ts";
import type { App } from "./http/types.ts";
import { billingRoutes } from "./billing/routes.ts";
import { seatRoutes } from "./seats/routes.ts";
import { invitationRoutes } from "./invitations/routes.ts";
import { tokenRoutes } from "./tokens/routes.ts";
import { organizationRoutes } from "./organizations/routes.ts";
import { memberRoutes } from "./members/routes.ts";
import { auditRoutes } from "./audit/routes.ts";
import { uploadRoutes } from "./invitations/uploads/routes.ts";

/** Every feature's routes under /api/v1, besides the accounts'. */
export async function featureRoutes(app: App, ctx: Context): Promise<void> {
  void app;
  void ctx;
  await tokenRoutes(app, ctx);
  await invitationRoutes(app, ctx);
  // A scope of its own: its raw-body parser must not reach the JSON routes.
  await app.register(async (scope) => uploadRoutes(scope, ctx));
  await billingRoutes(app, ctx);
  await seatRoutes(app, ctx);
  await organizationRoutes(app, ctx);
  await memberRoutes(app, ctx);
  await auditRoutes(app, ctx);
}
