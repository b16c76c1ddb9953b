import { describe, expect, it } from "vitest";
import { addPeriod, prorate } from "./periods.ts";

const at = (iso: string) => new Date(iso);

describe("addPeriod", () => {
  it("adds a calendar month, keeping the time of day", () => {
    expect(addPeriod(at("2025-03-15T10:20:30.456Z"), "month").toISOString()).toBe(
      "2025-04-15T10:20:30.456Z",
    );
    expect(addPeriod(at("2025-12-10T00:00:00.000Z"), "month").toISOString()).toBe(
      "2026-01-10T00:00:00.000Z",
    );
  });

  it("clamps the day of the month to the last day of a shorter month", () => {
    expect(addPeriod(at("2025-01-31T08:00:00.000Z"), "month").toISOString()).toBe(
      "2025-02-28T08:00:00.000Z",
    );
    expect(addPeriod(at("2024-01-31T08:00:00.000Z"), "month").toISOString()).toBe(
      "2024-02-29T08:00:00.000Z",
    );
    expect(addPeriod(at("2025-03-31T23:59:59.999Z"), "month").toISOString()).toBe(
      "2025-04-30T23:59:59.999Z",
    );
  });

  it("adds a calendar year, clamping Feb 29", () => {
    expect(addPeriod(at("2025-06-01T12:00:00.000Z"), "year").toISOString()).toBe(
      "2026-06-01T12:00:00.000Z",
    );
    expect(addPeriod(at("2024-02-29T12:00:00.000Z"), "year").toISOString()).toBe(
      "2025-02-28T12:00:00.000Z",
    );
  });
});

describe("prorate", () => {
  const period = { start: at("2025-04-01T00:00:00Z"), end: at("2025-05-01T00:00:00Z") };

  it("charges the remaining share of the period, rounded to the nearest minor unit", () => {
    expect(prorate(1, 1500, period, at("2025-04-16T00:00:00Z"))).toBe(750);
    expect(prorate(2, 1500, period, at("2025-04-01T00:00:00Z"))).toBe(3000);
    // 10 of 30 days remain: 1000 / 3 = 333.33 -> 333 and 2000 / 3 = 666.67 -> 667.
    expect(prorate(1, 1000, period, at("2025-04-21T00:00:00Z"))).toBe(333);
    expect(prorate(2, 1000, period, at("2025-04-21T00:00:00Z"))).toBe(667);
  });

  it("rounds halves up", () => {
    const day = { start: at("2025-04-01T00:00:00Z"), end: at("2025-04-03T00:00:00Z") };
    expect(prorate(1, 3, day, at("2025-04-02T00:00:00Z"))).toBe(2);
  });

  it("charges nothing at the period's end and in full before it starts", () => {
    expect(prorate(3, 1500, period, period.end)).toBe(0);
    expect(prorate(3, 1500, period, at("2025-03-01T00:00:00Z"))).toBe(4500);
  });

  it("keeps precision for large amounts", () => {
    const year = { start: at("2025-01-01T00:00:00Z"), end: at("2026-01-01T00:00:00Z") };
    expect(prorate(100_000, 999_999, year, at("2025-07-02T12:00:00Z"))).toBe(49_999_950_000);
  });
});
