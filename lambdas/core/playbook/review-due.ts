import { InputContractError } from '../errors.ts';
import type { Period } from '../period.ts';
import type { ReviewCadence } from './playbook-config.ts';

/** Months between two reviews of each cadence. */
export const CADENCE_MONTHS: Readonly<Record<ReviewCadence, number>> = {
  monthly: 1,
  quarterly: 3,
  annual: 12,
};

/** The dates a review schedule is derived from; a `ClassifiedAccount` plus an optional last review date. */
export interface ReviewHistory {
  readonly accountId: string;
  readonly createdOn: string | null;
  readonly firstInvoiceOn: string | null;
  /** Date of the last account review, when the accounts table has one. */
  readonly lastReviewOn?: string | null;
}

/** A review that falls due in the period. */
export interface ReviewDue {
  readonly cadence: ReviewCadence;
  /** The date the review fell due (ISO). */
  readonly dueOn: string;
  /** `last-review`: cadence months after the last review; `anniversary`: on the account's anniversary schedule. */
  readonly basis: 'last-review' | 'anniversary';
  /** The anchor the due date was counted from (last review, created_on or first invoice). */
  readonly from: string;
  /** Due before the period started and still not reviewed (only with a last review date). */
  readonly overdue: boolean;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkedDate(value: string, accountId: string, field: string): string {
  const m = ISO_DATE.exec(value);
  const parsed = m ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new InputContractError(`account '${accountId}': ${field} '${value}' is not a date; use YYYY-MM-DD`);
  }
  return value;
}

function monthIndex(iso: string): number {
  return Number(iso.slice(0, 4)) * 12 + Number(iso.slice(5, 7)) - 1;
}

/**
 * `iso` plus `months` calendar months; the day is clamped to the target month's last day
 * (2026-01-31 + 1 month = 2026-02-28).
 */
export function addMonths(iso: string, months: number): string {
  const target = monthIndex(iso) + months;
  const year = Math.floor(target / 12);
  const month = target - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(Number(iso.slice(8, 10)), lastDay);
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

/**
 * Whether an account is due a review in `period`, and when.
 *
 * - With a last review date L: the review is due on L + cadence months (day clamped to month end). It is
 *   due this period when that date is on or before the period's end; before the period's start it is
 *   overdue. A review after the period's end means nothing is due.
 * - Otherwise on the anniversary schedule from A = created_on, or the first invoice when there is no
 *   created_on: due dates are A + n x cadence months for n >= 1 (day clamped). It is due when one of them
 *   falls inside the period (the first one is returned); never overdue, since a missed anniversary rolls on.
 * - With neither date there is nothing to count from: null.
 *
 * Throws InputContractError naming the account and field when a date is not YYYY-MM-DD.
 */
export function reviewDue(account: ReviewHistory, cadence: ReviewCadence, period: Period): ReviewDue | null {
  const interval = CADENCE_MONTHS[cadence];
  if (account.lastReviewOn) {
    const last = checkedDate(account.lastReviewOn, account.accountId, 'lastReviewOn');
    const dueOn = addMonths(last, interval);
    if (dueOn > period.end) return null;
    return { cadence, dueOn, basis: 'last-review', from: last, overdue: dueOn < period.start };
  }
  const anchor = account.createdOn
    ? checkedDate(account.createdOn, account.accountId, 'createdOn')
    : account.firstInvoiceOn
      ? checkedDate(account.firstInvoiceOn, account.accountId, 'firstInvoiceOn')
      : null;
  if (!anchor) return null;
  // Periods start on the 1st, so a due date is inside the period exactly when its month is.
  const monthsToStart = monthIndex(period.start) - monthIndex(anchor);
  const n = Math.max(1, Math.ceil(monthsToStart / interval));
  const dueOn = addMonths(anchor, n * interval);
  if (dueOn > period.end) return null;
  return { cadence, dueOn, basis: 'anniversary', from: anchor, overdue: false };
}
