import type { Context } from "./context.ts";
import type { App } from "./http/types.ts";

/** Every feature's routes under /api/v1, besides the accounts'. */
export async function featureRoutes(app: App, ctx: Context): Promise<void> {
  void app;
  void ctx;
}
