import { describe, expect, it } from 'vitest';
import { buildCohorts, type CohortRevenueRow } from '../../lambdas/core/models/cohorts.ts';

// Accounts A and B first buy in 2025-Q1 (A: 100, 50 in Q2, 30 in Q4; B: 300, a credit note of -10 in Q3),
// C in 2025-Q2 (200, 200): one row per cohort and quarter with a revenue line, as sql/cohort_revenue.sql gives.
const rows: CohortRevenueRow[] = [
  { firstQuarter: '2025-01-01', quarter: '2025-01-01', cohortAccounts: 2, activeAccounts: 2, revenue: 400 },
  { firstQuarter: '2025-01-01', quarter: '2025-04-01', cohortAccounts: 2, activeAccounts: 1, revenue: 50 },
  { firstQuarter: '2025-01-01', quarter: '2025-07-01', cohortAccounts: 2, activeAccounts: 0, revenue: -10 },
  { firstQuarter: '2025-01-01', quarter: '2025-10-01', cohortAccounts: 2, activeAccounts: 1, revenue: 30 },
  { firstQuarter: '2025-04-01', quarter: '2025-04-01', cohortAccounts: 1, activeAccounts: 1, revenue: 200 },
  { firstQuarter: '2025-04-01', quarter: '2025-07-01', cohortAccounts: 1, activeAccounts: 1, revenue: 200 },
];

const cell = (
  cohort: string,
  ageQuarters: number,
  quarter: string,
  cohortAccounts: number,
  activeAccounts: number,
  revenue: number,
  revenueRetention: number | null,
  logoRetention: number,
) => ({
  cohort,
  ageQuarters,
  quarter,
  cohortAccounts,
  activeAccounts,
  revenue,
  revenueRetention,
  logoRetention,
});

describe('buildCohorts', () => {
  it('gives revenue and logo retention by age, counting quarters without revenue as 0', () => {
    expect(buildCohorts(rows)).toEqual([
      cell('2025-01-01', 0, '2025-01-01', 2, 2, 400, 1, 1),
      cell('2025-01-01', 1, '2025-04-01', 2, 1, 50, 0.125, 0.5),
      cell('2025-01-01', 2, '2025-07-01', 2, 0, -10, -0.025, 0), // a credit note is not an active quarter
      cell('2025-01-01', 3, '2025-10-01', 2, 1, 30, 0.075, 0.5),
      cell('2025-04-01', 0, '2025-04-01', 1, 1, 200, 1, 1),
      cell('2025-04-01', 1, '2025-07-01', 1, 1, 200, 1, 1),
      cell('2025-04-01', 2, '2025-10-01', 1, 0, 0, 0, 0),
    ]);
  });

  it('stops at lastQuarter when given', () => {
    const cells = buildCohorts(rows, { lastQuarter: '2025-04-01' });
    expect(cells.map((c) => `${c.cohort}/${c.ageQuarters}`)).toEqual([
      '2025-01-01/0',
      '2025-01-01/1',
      '2025-04-01/0',
    ]);
  });

  const row = (p: Partial<CohortRevenueRow>): CohortRevenueRow => ({
    firstQuarter: '2025-01-01',
    quarter: '2025-01-01',
    cohortAccounts: 2,
    activeAccounts: 1,
    revenue: 1,
    ...p,
  });

  it.each([
    [
      row({ firstQuarter: '2025-04-01', quarter: '2025-01-01' }),
      /row 1 \(cohort '2025-04-01'\): quarter '2025-01-01' is not a whole number of quarters/,
    ],
    [row({ quarter: '2025-02-01' }), /not a whole number of quarters/],
    [
      row({ firstQuarter: '2025-01-15', quarter: '2025-04-01' }),
      /first_quarter is '2025-01-15', not the first day of a quarter/,
    ],
    [row({ revenue: Number.NaN }), /revenue is NaN/],
    [row({ activeAccounts: 1.5 }), /active_accounts is 1.5, not a whole number >= 0/],
    [row({ cohortAccounts: -1, activeAccounts: 0 }), /cohort_accounts is -1, not a whole number >= 0/],
    [row({ activeAccounts: 3 }), /active_accounts 3 exceeds the cohort's 2 accounts/],
  ])('names the row, cohort and field of a bad row: %j', (bad, message) => {
    expect(() => buildCohorts([bad], { source: 'sql/cohort_revenue.sql' })).toThrow(message);
  });

  it('refuses a cohort whose rows disagree on its size', () => {
    expect(() => buildCohorts([row({}), row({ quarter: '2025-04-01', cohortAccounts: 3 })])).toThrow(
      /row 2 \(cohort '2025-01-01'\): cohort_accounts is 3, but 2 on an earlier row/,
    );
  });
});
