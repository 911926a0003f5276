import { describe, expect, it } from 'vitest';
import { migrationMatrix, NEW_ACCOUNT_LABEL } from '../../lambdas/core/metrics/migration-matrix.ts';

const order = ['High', 'Low', 'Inactive'];
const row = (
  previousSegment: string | null,
  segment: string,
  previousRevenueT12m: number,
  revenueT12m: number,
) => ({
  previousSegment,
  segment,
  previousRevenueT12m,
  revenueT12m,
});

describe('migrationMatrix', () => {
  it('lists every cell in report order with counts and revenue at both ends', () => {
    const cells = migrationMatrix(
      [
        row('High', 'High', 150_000, 160_000.1),
        row('High', 'High', 120_000, 110_000.2),
        row('High', 'Low', 130_000, 9_000),
        row('Low', 'Inactive', 500, -20),
        row(null, 'Low', 0, 700),
        row('Gold', 'High', 200_000, 210_000),
      ],
      order,
    );
    expect(cells.map((c) => `${c.fromSegment}>${c.toSegment}`)).toEqual([
      'High>High',
      'High>Low',
      'High>Inactive',
      'Low>High',
      'Low>Low',
      'Low>Inactive',
      'Inactive>High',
      'Inactive>Low',
      'Inactive>Inactive',
      'Gold>High',
      'Gold>Low',
      'Gold>Inactive',
      `${NEW_ACCOUNT_LABEL}>High`,
      `${NEW_ACCOUNT_LABEL}>Low`,
      `${NEW_ACCOUNT_LABEL}>Inactive`,
    ]);
    const find = (from: string, to: string) =>
      cells.find((c) => c.fromSegment === from && c.toSegment === to);
    expect(find('High', 'High')).toEqual({
      fromSegment: 'High',
      toSegment: 'High',
      accounts: 2,
      revenueT12m: 270_000.3,
      previousRevenueT12m: 270_000,
    });
    expect(find('Low', 'Inactive')).toMatchObject({
      accounts: 1,
      revenueT12m: -20,
      previousRevenueT12m: 500,
    });
    expect(find('(new)', 'Low')).toMatchObject({ accounts: 1, revenueT12m: 700, previousRevenueT12m: 0 });
    expect(find('Gold', 'High')).toMatchObject({ accounts: 1, revenueT12m: 210_000 });
    expect(find('Inactive', 'Inactive')).toMatchObject({
      accounts: 0,
      revenueT12m: 0,
      previousRevenueT12m: 0,
    });
  });

  it('keeps the (new) row even without new accounts', () => {
    expect(migrationMatrix([], ['A', 'Inactive']).map((c) => c.fromSegment)).toEqual([
      'A',
      'A',
      'Inactive',
      'Inactive',
      '(new)',
      '(new)',
    ]);
  });
});
