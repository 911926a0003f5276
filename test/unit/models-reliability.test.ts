import { describe, expect, it } from 'vitest';
import { forecastRevenueBySegment } from '../../lambdas/core/models/forecast.ts';
import { assessFitReliability, type FitSummary } from '../../lambdas/core/models/reliability.ts';

const good: FitSummary = {
  model: 'BG/NBD',
  converged: true,
  reason: null,
  repeatCustomers: 946,
  params: { r: 0.243, alpha: 4.414 },
  standardErrors: { r: 0.0126, alpha: 0.378 },
};

describe('assessFitReliability', () => {
  it('has no caveat for a converged, well-determined fit on enough repeat customers', () => {
    expect(assessFitReliability(good)).toEqual({ reliable: true, caveats: [] });
  });
  it('lists every reason a number should carry a caveat', () => {
    const result = assessFitReliability({
      ...good,
      converged: false,
      reason: 'b runs off towards infinity',
      repeatCustomers: 12,
      standardErrors: { r: 0.0126, alpha: 3.5 },
    });
    expect(result.reliable).toBe(false);
    expect(result.caveats).toEqual([
      'BG/NBD fit did not converge (b runs off towards infinity): treat its numbers as unreliable',
      'BG/NBD rests on only 12 repeat customers (fewer than 50): figures are rough',
      'BG/NBD parameter alpha is uncertain (standard error 79% of the estimate, above 50%)',
    ]);
  });
  it('says when uncertainty is unknown', () => {
    const result = assessFitReliability({ ...good, standardErrors: null }, { minRepeatCustomers: 10 });
    expect(result.caveats).toEqual([
      'BG/NBD parameter uncertainty is unknown (the Hessian is not positive definite)',
    ]);
  });
});

describe('forecastRevenueBySegment', () => {
  it('sums expected transactions x expected spend per segment, in report order', () => {
    const result = forecastRevenueBySegment(
      [
        { segment: 'Low', expectedTransactions: 2, expectedSpend: 50 },
        { segment: 'High', expectedTransactions: 3, expectedSpend: 1000 },
        { segment: 'Low', expectedTransactions: 1.5, expectedSpend: 40 },
        { segment: 'Low', expectedTransactions: 1, expectedSpend: null },
      ],
      ['High', 'Medium', 'Low'],
    );
    expect(result).toEqual([
      {
        segment: 'High',
        accounts: 1,
        expectedTransactions: 3,
        expectedRevenue: 3000,
        accountsWithoutSpend: 0,
      },
      {
        segment: 'Low',
        accounts: 3,
        expectedTransactions: 4.5,
        expectedRevenue: 160,
        accountsWithoutSpend: 1,
      },
    ]);
  });
});
