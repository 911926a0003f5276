/**
 * Money is aggregated in integer cents: each account's amount is rounded to the cent once, and sums of
 * integers are exact, so segment totals add up to the portfolio total and every revenue bridge
 * reconciles to the cent, whatever the number of accounts.
 */

/** An amount in the reporting currency as whole cents (rounded half away from zero). */
export function toCents(amount: number): number {
  const cents = Math.round(Math.abs(amount) * 100);
  return amount < 0 && cents !== 0 ? -cents : cents;
}

/** Whole cents back to an amount in the reporting currency. */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** `numerator / denominator`, or null when the ratio is undefined (denominator 0 or not finite). */
export function ratioOrNull(numerator: number, denominator: number): number | null {
  if (denominator === 0 || !Number.isFinite(denominator)) return null;
  const value = numerator / denominator;
  return Number.isFinite(value) ? value : null;
}
