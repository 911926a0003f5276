import { RevsegError } from '../errors.ts';
import { monthStartBefore, type Period } from '../period.ts';
import { MONTHLY_WINDOW } from '../types.ts';

/** Where a period's windows fall, as dates and as indices into `AccountFeatures.monthlyRevenue`. */
export interface PeriodWindows {
  /** First day of the current T12M window. */
  readonly t12mStart: string;
  /** Last day of the previous period (of the same cadence). */
  readonly previousEnd: string;
  /** Index range [from, to) of the 12 months ending at the previous period's end. */
  readonly previousT12mFrom: number;
  readonly previousT12mTo: number;
  /** Index of the period's first month; the period runs to the end of the window. */
  readonly periodFrom: number;
  /** Calendar month (1..12) of each entry of the monthly window, oldest first. */
  readonly calendarMonths: readonly number[];
}

/** Computes the windows of a period over the MONTHLY_WINDOW monthly revenue buckets. */
export function periodWindows(period: Period): PeriodWindows {
  const months = period.months;
  if (!Number.isInteger(months) || months < 1 || months > MONTHLY_WINDOW - 12) {
    throw new RevsegError(
      `period ${period.id} has ${months} months; the ${MONTHLY_WINDOW}-month window supports 1 to ${MONTHLY_WINDOW - 12}`,
    );
  }
  const lastMonthIndex = Number(period.end.slice(0, 4)) * 12 + Number(period.end.slice(5, 7)) - 1;
  const calendarMonths = Array.from(
    { length: MONTHLY_WINDOW },
    (_, i) => ((lastMonthIndex - (MONTHLY_WINDOW - 1 - i)) % 12) + 1,
  );
  const previousEndDate = new Date(Date.parse(`${period.start}T00:00:00Z`) - 86_400_000);
  return {
    t12mStart: monthStartBefore(period.end, 11),
    previousEnd: previousEndDate.toISOString().slice(0, 10),
    previousT12mFrom: MONTHLY_WINDOW - 12 - months,
    previousT12mTo: MONTHLY_WINDOW - months,
    periodFrom: MONTHLY_WINDOW - months,
    calendarMonths,
  };
}

/** Sum of `values[from..to)`. */
export function sumRange(values: readonly number[], from: number, to: number): number {
  let total = 0;
  for (let i = from; i < to; i++) total += values[i] ?? 0;
  return total;
}
