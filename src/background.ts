import { processDueSubscriptions } from "./billing/renewals.ts";
import type { Context } from "./context.ts";

export interface Background {
  stop(): Promise<void>;
}

/** How often renewals and lapses are looked for. */
const RENEWAL_INTERVAL_MS = 60_000;

/**
 * Periodic work besides mail: renews and lapses subscriptions whose period has ended, once at
 * start and then every minute. Several instances may run it at once. With `manual`, nothing
 * runs: tests call processDueSubscriptions themselves. `stop` waits for a run in progress.
 */
export function startBackground(ctx: Context, manual: boolean): Background {
  if (manual) return { stop: async () => {} };

  let running: Promise<void> | undefined;
  const run = () => {
    if (running) return;
    running = processDueSubscriptions(ctx)
      .then(() => undefined)
      .catch((error: unknown) => ctx.log.error({ err: error }, "renewals failed"))
      .finally(() => {
        running = undefined;
      });
  };

  run();
  const timer = setInterval(run, RENEWAL_INTERVAL_MS);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
