import { describe, expect, it } from 'vitest';
import { retention } from '../../lambdas/core/metrics/retention.ts';

const a = (revenuePriorT12m: number, revenueT12m: number) => ({ revenuePriorT12m, revenueT12m });

describe('retention', () => {
  it.each([
    // accounts, NRR, GRR, logo retention, base accounts, base revenue
    ['one steady account', [a(100, 100)], 1, 1, 1, 1, 100],
    ['expansion counts in NRR, not GRR', [a(100, 150), a(100, 50)], 1, 0.75, 1, 2, 200],
    ['a churned account is lost in all three', [a(300, 0), a(100, 100)], 0.25, 0.25, 0.5, 2, 400],
    ['a credit after churn lowers NRR only', [a(100, -20), a(100, 100)], 0.4, 0.5, 0.5, 2, 200],
    [
      'accounts without prior revenue are not in the base',
      [a(0, 500), a(-10, 5), a(50, 60)],
      1.2,
      1,
      1,
      1,
      50,
    ],
  ])('%s', (_name, accounts, nrr, grr, logo, baseAccounts, baseRevenue) => {
    expect(retention(accounts)).toEqual({ nrr, grr, logoRetention: logo, baseAccounts, baseRevenue });
  });

  it('is null, never NaN, for an empty base', () => {
    expect(retention([a(0, 100)])).toEqual({
      nrr: null,
      grr: null,
      logoRetention: null,
      baseAccounts: 0,
      baseRevenue: 0,
    });
  });
});
