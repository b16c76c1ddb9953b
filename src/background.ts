import type { Context } from "./context.ts";

export interface Background {
  stop(): Promise<void>;
}

/** Periodic work besides mail (billing renewals); nothing yet runs here. */
export function startBackground(_ctx: Context, _manual: boolean): Background {
  return { stop: async () => {} };
}
