import { RevsegError } from './errors.ts';

export type Cadence = 'monthly' | 'quarterly';
export const CADENCES: readonly Cadence[] = ['monthly', 'quarterly'];

/**
 * One closed reporting period. Dates are ISO `YYYY-MM-DD`; `end` is the last day, inclusive.
 * Quarters are fiscal: `2026-Q1` is the quarter starting in `fiscalYearStartMonth` of 2026.
 */
export interface Period {
  readonly id: string;
  readonly cadence: Cadence;
  readonly start: string;
  readonly end: string;
  /** Number of calendar months in the period (1 or 3). */
  readonly months: number;
}

const MONTH_ID = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER_ID = /^(\d{4})-Q([1-4])$/;

function iso(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function lastDay(year: number, month: number): string {
  return iso(year, month + 1, 0);
}

function fromMonthIndex(index: number): { year: number; month: number } {
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function monthPeriod(year: number, month: number): Period {
  const id = `${year}-${String(month).padStart(2, '0')}`;
  return { id, cadence: 'monthly', start: iso(year, month, 1), end: lastDay(year, month), months: 1 };
}

function quarterPeriod(fiscalYear: number, quarter: number, fiscalYearStartMonth: number): Period {
  const first = fromMonthIndex(fiscalYear * 12 + (fiscalYearStartMonth - 1) + (quarter - 1) * 3);
  const last = fromMonthIndex(first.year * 12 + first.month - 1 + 2);
  return {
    id: `${fiscalYear}-Q${quarter}`,
    cadence: 'quarterly',
    start: iso(first.year, first.month, 1),
    end: lastDay(last.year, last.month),
    months: 3,
  };
}

/** Parses `2026-10` (monthly) or `2026-Q3` (quarterly); the id must match the cadence. */
export function parsePeriod(id: string, cadence: Cadence, fiscalYearStartMonth = 1): Period {
  if (cadence === 'monthly') {
    const m = MONTH_ID.exec(id);
    if (!m) throw new RevsegError(`period '${id}' is not a month: use YYYY-MM, e.g. 2026-10`);
    return monthPeriod(Number(m[1]), Number(m[2]));
  }
  const q = QUARTER_ID.exec(id);
  if (!q) throw new RevsegError(`period '${id}' is not a quarter: use YYYY-Qn, e.g. 2026-Q3`);
  return quarterPeriod(Number(q[1]), Number(q[2]), fiscalYearStartMonth);
}

/** The period of the same cadence just before `period`. */
export function previousPeriod(period: Period, fiscalYearStartMonth = 1): Period {
  const start = new Date(`${period.start}T00:00:00Z`);
  const dayBefore = new Date(start.getTime() - 86_400_000).toISOString().slice(0, 10);
  return periodContaining(dayBefore, period.cadence, fiscalYearStartMonth);
}

/** The period of a cadence that contains the given ISO date. */
export function periodContaining(date: string, cadence: Cadence, fiscalYearStartMonth = 1): Period {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (cadence === 'monthly') return monthPeriod(year, month);
  const offset = (year * 12 + month - 1 - (fiscalYearStartMonth - 1)) | 0;
  const fiscalYear = Math.floor(offset / 12);
  const quarter = Math.floor((offset - fiscalYear * 12) / 3) + 1;
  return quarterPeriod(fiscalYear, quarter, fiscalYearStartMonth);
}

/** The last period of a cadence that has fully closed before `now` (UTC date). */
export function lastClosedPeriod(now: Date, cadence: Cadence, fiscalYearStartMonth = 1): Period {
  const current = periodContaining(now.toISOString().slice(0, 10), cadence, fiscalYearStartMonth);
  return previousPeriod(current, fiscalYearStartMonth);
}

/** ISO date `months` calendar months before the first day of `isoDate`'s month, as the first of that month. */
export function monthStartBefore(isoDate: string, months: number): string {
  const index = Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1 - months;
  const { year, month } = fromMonthIndex(index);
  return iso(year, month, 1);
}

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
