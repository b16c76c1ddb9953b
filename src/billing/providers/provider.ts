import type { Queryable } from "../../db/database.ts";

/** Why an invoice was made. */
export type InvoiceKind = "purchase" | "renewal" | "seats_added";

/** One thing to charge an organization for, its prices copied from the subscription. */
export interface Charge {
  orgId: string;
  subscriptionId: string;
  kind: InvoiceKind;
  description: string;
  seats: number;
  /** Price of one seat for a whole period, in integer minor units. */
  unitPrice: number;
  /** The total, in integer minor units (prorated for seats added). */
  amount: number;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  issuedAt: Date;
}

/** Where a provider recorded a charge. */
export interface InvoiceReference {
  invoiceId: string;
}

/**
 * A payment provider. The subscription rules (periods, proration, renewal, lapse) stay in the
 * billing service; a provider is told what to charge for, in the service's transaction, and
 * answers where the invoice is. The built-in one records invoices without moving money; a card
 * provider would collect the amount as well and record the same invoices.
 */
export interface BillingProvider {
  readonly name: string;
  /** Charges for purchases, added seats or renewals; one reference per charge, in order. */
  charge(tx: Queryable, charges: readonly Charge[]): Promise<InvoiceReference[]>;
}
