/** The length of a billing period. */
export type Period = "month" | "year";

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * The end of a period that starts at `start`: one calendar month or year later in UTC, at the
 * same time of day. A day of the month that the target month lacks is clamped to its last day,
 * so Jan 31 is followed by Feb 28 (or 29), and Feb 29 by Feb 28 of the next year.
 */
export function addPeriod(start: Date, period: Period): Date {
  const months = period === "month" ? 1 : 12;
  const total = start.getUTCFullYear() * 12 + start.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const day = Math.min(start.getUTCDate(), daysInMonth(year, month));

  const end = new Date(start.getTime());
  end.setUTCFullYear(year, month, day);

  return end;
}

/**
 * What `seats` more seats cost for the rest of a period: seats * price * remaining / length,
 * rounded to the nearest minor unit (halves up). Computed in integers, so no amount loses
 * precision. `now` outside the period is clamped to it.
 */
export function prorate(
  seats: number,
  pricePerSeat: number,
  period: { start: Date; end: Date },
  now: Date,
): number {
  const length = BigInt(period.end.getTime() - period.start.getTime());
  if (length <= 0n) return 0;

  const at = Math.min(Math.max(now.getTime(), period.start.getTime()), period.end.getTime());
  const remaining = BigInt(period.end.getTime() - at);
  const numerator = BigInt(seats) * BigInt(pricePerSeat) * remaining;

  return Number((2n * numerator + length) / (2n * length));
}
