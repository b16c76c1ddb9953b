import { randomUUID } from "node:crypto";
import type { Queryable } from "../../db/database.ts";
import type { BillingProvider, Charge, InvoiceReference } from "./provider.ts";

/**
 * The built-in provider: writes each charge as an invoice and moves no money, for invoiced and
 * self-hosted customers who pay outside Tessera. Many charges go in one statement.
 */
export const builtinProvider: BillingProvider = {
  name: "builtin",

  async charge(tx: Queryable, charges: readonly Charge[]): Promise<InvoiceReference[]> {
    if (charges.length === 0) return [];

    const ids = charges.map(() => randomUUID());
    const column = <T>(pick: (charge: Charge) => T) => charges.map(pick);
    await tx.query(
      `insert into invoices (org_id, invoice_id, subscription_id, kind, description, seats,
                             unit_price, amount, currency, period_start, period_end, issued_at)
       select * from unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],
                            $6::int[], $7::int[], $8::int[], $9::text[], $10::timestamptz[],
                            $11::timestamptz[], $12::timestamptz[])`,
      [
        column((c) => c.orgId),
        ids,
        column((c) => c.subscriptionId),
        column((c) => c.kind),
        column((c) => c.description),
        column((c) => c.seats),
        column((c) => c.unitPrice),
        column((c) => c.amount),
        column((c) => c.currency),
        column((c) => c.periodStart.toISOString()),
        column((c) => c.periodEnd.toISOString()),
        column((c) => c.issuedAt.toISOString()),
      ],
    );

    return ids.map((invoiceId) => ({ invoiceId }));
  },
};
