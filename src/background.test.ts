import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { organization, person, subscription } from "../test/helpers/fixtures.ts";
import { startTestServer, type TestServer } from "../test/helpers/server.ts";
import { startBackground } from "./background.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.stop();
});

async function periodEnd(subscriptionId: string): Promise<Date> {
  const result = await server.tessera.ctx.db.query<{ end: Date }>(
    `select current_period_end as end from subscriptions where subscription_id = $1`,
    [subscriptionId],
  );

  return result.rows[0]?.end as Date;
}

describe("startBackground", () => {
  it("renews due subscriptions when it starts, and stop waits for the run", async () => {
    const orgId = await organization(server, await person(server, "owner"));
    const subscriptionId = await subscription(server, orgId, 2);
    const before = await periodEnd(subscriptionId);
    server.clock.advance(31 * 86_400_000);

    const background = startBackground(server.tessera.ctx, false);
    await background.stop();

    expect((await periodEnd(subscriptionId)).getTime()).toBeGreaterThan(before.getTime());
    const invoices = await server.tessera.ctx.db.query(
      `select kind, seats, amount from invoices where org_id = $1`,
      [orgId],
    );
    expect(invoices.rows).toEqual([{ kind: "renewal", seats: 2, amount: 3000 }]);
  });

  it("runs nothing in manual mode", async () => {
    const orgId = await organization(server, await person(server, "owner"));
    const subscriptionId = await subscription(server, orgId, 1);
    const before = await periodEnd(subscriptionId);
    server.clock.advance(31 * 86_400_000);

    const background = startBackground(server.tessera.ctx, true);
    await background.stop();

    expect(await periodEnd(subscriptionId)).toEqual(before);
  });
});
