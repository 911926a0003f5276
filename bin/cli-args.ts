import { InvalidArgumentError } from 'commander';
import { RevsegError } from '../lambdas/core/errors.ts';
import type { Cadence } from '../lambdas/core/period.ts';

/** `1_000_000`-style whole numbers above zero. */
export function positiveInt(value: string): number {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`'${value}' is not a positive whole number, e.g. 50000`);
  }
  return n;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A calendar day as `YYYY-MM-DD`, refused rather than rolled over when the day does not exist
 * (`2026-02-30` is not 2 March).
 */
export function isoDay(value: string): string {
  const m = ISO_DAY.exec(value);
  if (!m) throw new InvalidArgumentError(`'${value}' is not a date: use YYYY-MM-DD, e.g. 2026-11-02`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) {
    throw new InvalidArgumentError(`'${value}' is not a date: month ${m[2]} does not exist (01-12)`);
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) {
    throw new InvalidArgumentError(
      `'${value}' is not a date: ${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth} days`,
    );
  }
  return value;
}

const MONTH_ID = /^(\d{4})-(\d{2})$/;
const QUARTER_ID = /^(\d{4})-Q(\d)$/i;

/** A period id as typed: `2026-10` or `2026-Q3`; checked for shape here, against the cadence later. */
export function periodId(value: string): string {
  const month = MONTH_ID.exec(value);
  if (month) {
    const n = Number(month[2]);
    if (n < 1 || n > 12) {
      throw new InvalidArgumentError(`'${value}' is not a period: month ${month[2]} does not exist (01-12)`);
    }
    return value;
  }
  const quarter = QUARTER_ID.exec(value);
  if (quarter) {
    const n = Number(quarter[2]);
    if (n < 1 || n > 4) {
      throw new InvalidArgumentError(`'${value}' is not a period: quarters are Q1-Q4`);
    }
    return `${quarter[1]}-Q${n}`;
  }
  throw new InvalidArgumentError(
    `'${value}' is not a period: use YYYY-MM for a month (2026-10) or YYYY-Qn for a quarter (2026-Q3)`,
  );
}

/** Refuses a period whose shape does not match the cadence, saying which flag to add or drop. */
export function checkPeriodCadence(period: string | undefined, cadence: Cadence): void {
  if (!period) return;
  const isQuarter = QUARTER_ID.test(period);
  if (isQuarter && cadence === 'monthly') {
    throw new RevsegError(
      `--period ${period} is a quarter but the cadence is monthly: add --cadence quarterly (or give a month, e.g. ${period.slice(0, 4)}-09)`,
    );
  }
  if (!isQuarter && cadence === 'quarterly') {
    throw new RevsegError(
      `--period ${period} is a month but the cadence is quarterly: drop --cadence quarterly (or give a quarter, e.g. ${period.slice(0, 4)}-Q3)`,
    );
  }
}
