import { describe, expect, it } from 'vitest';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import type { ReviewCadence } from '../../lambdas/core/playbook/playbook-config.ts';
import { addMonths, reviewDue } from '../../lambdas/core/playbook/review-due.ts';

const feb2026 = parsePeriod('2026-02', 'monthly');
const jan2026 = parsePeriod('2026-01', 'monthly');
const q1of2026 = parsePeriod('2026-Q1', 'quarterly');
/** Fiscal year starting in April: 2026-Q4 is January to March 2027. */
const fiscalQ4 = parsePeriod('2026-Q4', 'quarterly', 4);

const account = (dates: { lastReviewOn?: string; createdOn?: string; firstInvoiceOn?: string }) => ({
  accountId: 'A1',
  createdOn: dates.createdOn ?? null,
  firstInvoiceOn: dates.firstInvoiceOn ?? null,
  lastReviewOn: dates.lastReviewOn ?? null,
});

describe('addMonths', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2026-03-31', -1, '2026-02-28'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });
});

describe('reviewDue from the last review date', () => {
  it.each([
    // [last review, cadence, due on or null, overdue]
    ['2026-01-31', 'monthly', '2026-02-28', false], // day clamped to February's end: last day of the period
    ['2026-01-01', 'monthly', '2026-02-01', false], // first day of the period
    ['2025-12-31', 'monthly', '2026-01-31', true], // fell due the day before the period: overdue
    ['2026-02-01', 'monthly', null, false], // next one is 2026-03-01, after the period
    ['2025-11-30', 'quarterly', '2026-02-28', false],
    ['2025-12-01', 'quarterly', null, false], // 2026-03-01
    ['2025-02-28', 'annual', '2026-02-28', false],
    ['2024-02-29', 'annual', '2025-02-28', true],
    ['2026-03-10', 'monthly', null, false], // reviewed after the period's end
  ] as const)('last review %s, %s: due %s (overdue %s) in 2026-02', (last, cadence, dueOn, overdue) => {
    const due = reviewDue(account({ lastReviewOn: last, createdOn: '2020-01-01' }), cadence, feb2026);
    if (dueOn === null) expect(due).toBeNull();
    else expect(due).toEqual({ cadence, dueOn, basis: 'last-review', from: last, overdue });
  });

  it('crosses the year boundary', () => {
    expect(reviewDue(account({ lastReviewOn: '2025-12-15' }), 'monthly', jan2026)?.dueOn).toBe('2026-01-15');
  });
});

describe('reviewDue on the anniversary schedule', () => {
  it.each([
    // [period, anchor dates, cadence, due on or null]
    [feb2026, { createdOn: '2025-02-15' }, 'annual', '2026-02-15'],
    [feb2026, { createdOn: '2025-03-01' }, 'annual', null], // anniversary is 2026-03-01
    [feb2026, { createdOn: '2025-01-31' }, 'annual', null], // anniversary was 2026-01-31
    [feb2026, { createdOn: '2024-02-29' }, 'annual', '2026-02-28'], // leap day clamps to the 28th
    [feb2026, { createdOn: '2026-01-31' }, 'monthly', '2026-02-28'],
    [feb2026, { createdOn: '2026-02-10' }, 'monthly', null], // created in the period: first review next month
    [feb2026, { createdOn: '2026-03-05' }, 'monthly', null], // created after the period
    [feb2026, { firstInvoiceOn: '2025-11-20' }, 'quarterly', '2026-02-20'], // no created_on: first invoice
    [jan2026, { createdOn: '2025-11-20' }, 'quarterly', null], // quarterly months are 2026-02, 2026-05, ...
    [feb2026, { createdOn: '2025-02-15', firstInvoiceOn: '2025-05-01' }, 'annual', '2026-02-15'], // created_on wins
    [q1of2026, { createdOn: '2025-02-10' }, 'annual', '2026-02-10'],
    [q1of2026, { createdOn: '2025-04-01' }, 'annual', null],
    [q1of2026, { createdOn: '2025-12-31' }, 'quarterly', '2026-03-31'], // last day of the quarter
    [q1of2026, { createdOn: '2025-06-15' }, 'monthly', '2026-01-15'], // several in the quarter: the first
    [q1of2026, { createdOn: '2025-03-31' }, 'quarterly', '2026-03-31'],
    [fiscalQ4, { createdOn: '2026-03-31' }, 'annual', '2027-03-31'],
    [fiscalQ4, { createdOn: '2025-12-31' }, 'annual', null], // anniversary 2026-12-31, fiscal Q3
    [fiscalQ4, { createdOn: '2026-10-01' }, 'quarterly', '2027-01-01'],
  ] as const)('%# %j %s: due %s', (period, dates, cadence: ReviewCadence, dueOn) => {
    const due = reviewDue(account(dates), cadence, period);
    if (dueOn === null) {
      expect(due).toBeNull();
    } else {
      const from = 'createdOn' in dates ? dates.createdOn : dates.firstInvoiceOn;
      expect(due).toEqual({ cadence, dueOn, basis: 'anniversary', from, overdue: false });
    }
  });

  it('is null with no date to count from', () => {
    expect(reviewDue(account({}), 'monthly', feb2026)).toBeNull();
  });
});

describe('reviewDue input checks', () => {
  it.each([
    [{ lastReviewOn: '2026-02-30' }, "account 'A1': lastReviewOn '2026-02-30' is not a date; use YYYY-MM-DD"],
    [{ createdOn: '15/02/2025' }, "account 'A1': createdOn '15/02/2025' is not a date; use YYYY-MM-DD"],
    [{ firstInvoiceOn: '2025-1-5' }, "account 'A1': firstInvoiceOn '2025-1-5' is not a date; use YYYY-MM-DD"],
  ])('%j', (dates, message) => {
    expect(() => reviewDue(account(dates), 'annual', feb2026)).toThrow(new InputContractError(message));
  });
});
