import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/helpers/db.ts";
import { builtinProvider } from "./builtin.ts";
import type { BillingProvider, Charge } from "./provider.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

async function subscriptionRow(orgId: string): Promise<string> {
  const { db } = database;
  await db.query(`insert into organizations (org_id, name) values ($1, $1)`, [orgId]);
  const result = await db.query<{ id: string }>(
    `insert into subscriptions (org_id, plan_id, product, period, price_per_seat, currency, seats,
                                current_period_start, current_period_end)
     values ($1, 'p', 'conda', 'month', 1500, 'USD', 2, $2, $3)
     returning subscription_id as id`,
    [orgId, new Date("2030-01-01T00:00:00Z"), new Date("2030-02-01T00:00:00Z")],
  );

  return result.rows[0]?.id as string;
}

function charge(orgId: string, subscriptionId: string, amount: number): Charge {
  return {
    orgId,
    subscriptionId,
    kind: "renewal",
    description: `Renewal for ${amount}`,
    seats: 2,
    unitPrice: 1500,
    amount,
    currency: "USD",
    periodStart: new Date("2030-02-01T00:00:00Z"),
    periodEnd: new Date("2030-03-01T00:00:00Z"),
    issuedAt: new Date("2030-02-01T00:00:05Z"),
  };
}

// What every provider must do; a card provider would run the same suite.
describe.each<BillingProvider>([builtinProvider])("billing provider $name", (provider) => {
  it("answers one invoice reference per charge, in order, each invoice as charged", async () => {
    const orgId = `provider-${provider.name}`;
    const subscriptionId = await subscriptionRow(orgId);
    const charges = [charge(orgId, subscriptionId, 3000), charge(orgId, subscriptionId, 1)];

    const references = await database.db.transaction((tx) => provider.charge(tx, charges));

    expect(references).toHaveLength(2);
    const stored = await database.db.query(
      `select invoice_id as "invoiceId", amount, description, period_start as "periodStart"
         from invoices where org_id = $1`,
      [orgId],
    );
    const byId = new Map(stored.rows.map((row) => [row.invoiceId, row]));
    expect(references.map((r) => byId.get(r.invoiceId))).toEqual([
      {
        invoiceId: references[0]?.invoiceId,
        amount: 3000,
        description: "Renewal for 3000",
        periodStart: new Date("2030-02-01T00:00:00Z"),
      },
      {
        invoiceId: references[1]?.invoiceId,
        amount: 1,
        description: "Renewal for 1",
        periodStart: new Date("2030-02-01T00:00:00Z"),
      },
    ]);
  });

  it("charges nothing for an empty list", async () => {
    expect(await database.db.transaction((tx) => provider.charge(tx, []))).toEqual([]);
  });
});
