import { describe, expect, it } from 'vitest';
import { type CostInputRow, checkCosts } from '../../lambdas/core/sales/costs.ts';

const context = {
  accountIds: new Set(['A1', 'A2']),
  segmentNames: ['High', 'Medium', 'Low', 'Inactive'],
  source: 'costs (test.csv)',
};
const good: CostInputRow = {
  period: '2026-10',
  accountId: 'A1',
  segment: null,
  kind: 'service',
  amount: '300',
};

describe('checkCosts', () => {
  it('keeps account and segment costs of a month as they are, kind in any case', () => {
    const check = checkCosts(
      [
        good,
        { period: '2026-09', accountId: null, segment: 'Medium', kind: ' Acquisition ', amount: '1000.25' },
      ],
      context,
    );
    expect(check.rejected).toEqual([]);
    expect(check.costs).toEqual([
      { month: '2026-10-01', kind: 'service', accountId: 'A1', segment: null, amount: 300 },
      { month: '2026-09-01', kind: 'acquisition', accountId: null, segment: 'Medium', amount: 1000.25 },
    ]);
  });

  it('spreads a quarter evenly over its three months, with the fiscal year of the config', () => {
    const calendar = checkCosts([{ ...good, period: '2026-q3', amount: '900' }], context);
    expect(calendar.costs.map((c) => [c.month, c.amount])).toEqual([
      ['2026-07-01', 300],
      ['2026-08-01', 300],
      ['2026-09-01', 300],
    ]);
    // Fiscal year starting in April: FY2026 Q1 is April to June 2026.
    const fiscal = checkCosts([{ ...good, period: '2026-Q1', amount: '90' }], {
      ...context,
      fiscalYearStartMonth: 4,
    });
    expect(fiscal.costs.map((c) => [c.month, c.amount])).toEqual([
      ['2026-04-01', 30],
      ['2026-05-01', 30],
      ['2026-06-01', 30],
    ]);
  });

  it('spreads a quarter in whole cents, the last month taking the remainder, so the months add up to the row', () => {
    const check = checkCosts([{ ...good, period: '2026-Q3', amount: '1000' }], context);
    expect(check.costs.map((c) => c.amount)).toEqual([333.33, 333.33, 333.34]);
  });

  it('checks costs outside the kept months but keeps only the months of the run', () => {
    const check = checkCosts(
      [
        { ...good, period: '2025-Q4', amount: '300' },
        { ...good, period: '2025-09', amount: '5' },
        { ...good, period: '2024-10', amount: '-5' },
      ],
      { ...context, keep: { start: '2025-11-01', end: '2026-10-31' } },
    );
    expect(check.costs.map((c) => [c.month, c.amount])).toEqual([
      ['2025-11-01', 100],
      ['2025-12-01', 100],
    ]);
    expect(check.rejected.map((r) => r.reason)).toEqual(['negative_cost']);
  });

  it.each([
    ['unparsable_cost_period', { period: '2026-13' }, 'period "2026-13" is neither a month nor a quarter'],
    ['unparsable_cost_period', { period: '2026-10-01' }, 'use YYYY-MM'],
    ['unparsable_cost_period', { period: null }, 'period null'],
    ['unknown_cost_kind', { kind: 'marketing' }, 'kind "marketing" is not acquisition or service'],
    ['missing_cost_target', { accountId: ' ', segment: null }, 'account_id and segment are both empty'],
    ['ambiguous_cost_target', { segment: 'Low' }, "both account_id 'A1' and segment 'Low' are given"],
    ['unparsable_amount', { amount: 'n/a' }, 'amount "n/a" is not a number'],
    ['negative_cost', { amount: '-250' }, 'amount -250 is negative'],
    ['unknown_account', { accountId: 'A9' }, "account 'A9' is not in the accounts table"],
    [
      'unknown_segment',
      { accountId: null, segment: 'high' },
      "segment 'high' is not configured: use one of High, Medium, Low, Inactive",
    ],
  ] as const)('sets aside a row with %s: %j', (reason, change, message) => {
    const check = checkCosts([{ ...good, ...change }], context);
    expect(check.costs).toEqual([]);
    expect(check.rejected.map((r) => r.reason)).toEqual([reason]);
    expect(check.rejected[0]?.message).toMatch(/^costs \(test\.csv\) row 1: /);
    expect(check.rejected[0]?.message).toContain(message);
  });

  it('counts rows checked and keeps the raw values of a rejected row', () => {
    const check = checkCosts([good, { ...good, kind: 'travel', amount: '12.5' }], context);
    expect(check.rowsChecked).toBe(2);
    expect(check.rejected).toEqual([
      {
        table: 'costs',
        row: 2,
        reason: 'unknown_cost_kind',
        message: expect.any(String),
        accountId: 'A1',
        amount: '12.5',
        detail: 'row=2; period=2026-10; segment=; kind=travel',
      },
    ]);
  });
});
