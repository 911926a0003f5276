import { RevsegError } from '../errors.ts';
import type { SeasonalityPoint } from '../types.ts';

/**
 * Seasonality index per calendar month (1..12): the mean revenue of that calendar month over the window
 * divided by the mean monthly revenue. `monthlyTotals[i]` is the portfolio revenue of the window's
 * month i (0 when nothing was invoiced) and `calendarMonths[i]` its calendar month. When the mean
 * monthly revenue is not positive, or a calendar month is not in the window, its index is 0.
 */
export function seasonality(
  monthlyTotals: readonly number[],
  calendarMonths: readonly number[],
): SeasonalityPoint[] {
  const totals = new Array<number>(12).fill(0);
  const occurrences = new Array<number>(12).fill(0);
  let grandTotal = 0;
  monthlyTotals.forEach((value, i) => {
    const slot = (calendarMonths[i] ?? 0) - 1;
    if (slot < 0 || slot > 11) throw new RevsegError(`calendar month ${calendarMonths[i]} is not 1..12`);
    totals[slot] = (totals[slot] ?? 0) + value;
    occurrences[slot] = (occurrences[slot] ?? 0) + 1;
    grandTotal += value;
  });
  const monthlyMean = monthlyTotals.length > 0 ? grandTotal / monthlyTotals.length : 0;
  return totals.map((total, slot) => {
    const count = occurrences[slot] ?? 0;
    return { month: slot + 1, index: monthlyMean > 0 && count > 0 ? total / count / monthlyMean : 0 };
  });
}
