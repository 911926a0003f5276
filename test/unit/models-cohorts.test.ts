import { describe, expect, it } from 'vitest';
import { buildCohorts, type CohortRevenueRow } from '../../lambdas/core/models/cohorts.ts';

const rows: CohortRevenueRow[] = [
  { accountId: 'A', firstQuarter: '2025-01-01', quarter: '2025-01-01', revenue: 100 },
  { accountId: 'A', firstQuarter: '2025-01-01', quarter: '2025-04-01', revenue: 50 },
  { accountId: 'A', firstQuarter: '2025-01-01', quarter: '2025-10-01', revenue: 30 },
  { accountId: 'B', firstQuarter: '2025-01-01', quarter: '2025-01-01', revenue: 300 },
  { accountId: 'B', firstQuarter: '2025-01-01', quarter: '2025-07-01', revenue: -10 },
  { accountId: 'C', firstQuarter: '2025-04-01', quarter: '2025-04-01', revenue: 200 },
  { accountId: 'C', firstQuarter: '2025-04-01', quarter: '2025-07-01', revenue: 200 },
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

  it.each([
    [
      { accountId: 'X', firstQuarter: '2025-04-01', quarter: '2025-01-01', revenue: 1 },
      /row 1 \(account 'X'\): quarter '2025-01-01' is not a whole number of quarters/,
    ],
    [
      { accountId: 'X', firstQuarter: '2025-01-01', quarter: '2025-02-01', revenue: 1 },
      /not a whole number of quarters/,
    ],
    [
      { accountId: 'X', firstQuarter: '2025-01-15', quarter: '2025-04-01', revenue: 1 },
      /first_quarter is '2025-01-15', not the first day of a quarter/,
    ],
    [
      { accountId: 'X', firstQuarter: '2025-01-01', quarter: '2025-01-01', revenue: Number.NaN },
      /revenue is NaN/,
    ],
  ])('names the row, account and field of a bad row: %j', (bad, message) => {
    expect(() => buildCohorts([bad], { source: 'sql/cohort_revenue.sql' })).toThrow(message);
  });

  it('refuses two first quarters for one account', () => {
    expect(() =>
      buildCohorts([
        { accountId: 'X', firstQuarter: '2025-01-01', quarter: '2025-01-01', revenue: 1 },
        { accountId: 'X', firstQuarter: '2025-04-01', quarter: '2025-04-01', revenue: 1 },
      ]),
    ).toThrow(/row 2 \(account 'X'\): first_quarter '2025-04-01' differs from '2025-01-01'/);
  });
});
