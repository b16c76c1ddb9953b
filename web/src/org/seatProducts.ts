import { api, ApiError } from "../api.ts";
import { useLoad } from "./hooks.ts";
import type { Subscription } from "./types.ts";

/** A product seats can be assigned for, with how many of its seats are taken. */
export interface SeatProduct {
  product: string;
  seats: number | null;
  seatsInUse: number | null;
}

/** Whether a subscription still covers seats now: active, or cancelled within its period. */
export function isLive(subscription: Subscription, now = Date.now()): boolean {
  if (subscription.status === "active") return true;

  return (
    subscription.status === "cancelled" && new Date(subscription.currentPeriodEnd).getTime() > now
  );
}

async function loadSeatProducts(orgId: string): Promise<SeatProduct[]> {
  const base = `/organizations/${encodeURIComponent(orgId)}`;
  try {
    const { subscriptions } = await api<{ subscriptions: Subscription[] }>(
      "GET",
      `${base}/subscriptions`,
    );
    return subscriptions
      .filter((s) => isLive(s))
      .map((s) => ({
        product: s.product,
        seats: Math.min(s.seats, s.nextPeriodSeats ?? s.seats),
        seatsInUse: s.seatsInUse,
      }));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 403) throw error;
  }

  const { products } = await api<{ products: SeatProduct[] }>("GET", `${base}/seat-products`);
  return products;
}

/** The products of the organization's live subscriptions. */
export function useSeatProducts(orgId: string, enabled: boolean) {
  return useLoad(() => (enabled ? loadSeatProducts(orgId) : Promise.resolve([])), [orgId]);
}

/** "conda (3 of 5 seats taken)" */
export function describeProduct(product: SeatProduct): string {
  if (product.seats === null || product.seatsInUse === null) return product.product;

  return `${product.product} (${product.seatsInUse} of ${product.seats} seats taken)`;
}
