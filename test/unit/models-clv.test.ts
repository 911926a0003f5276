import { describe, expect, it } from 'vitest';
import type { BgNbdModel } from '../../lambdas/core/models/bgnbd.ts';
import { customerLifetimeValue, parseClvOptions } from '../../lambdas/core/models/clv.ts';
import { durationIn, formatDuration } from '../../lambdas/core/models/time-unit.ts';

// r=2, alpha=1, a=2, b=1 make 2F1 equal to 1, so for x=1, t_x=1, T=2 the expectation over t weeks is
// 3 z P(alive) with z = t / (3 + t) and P(alive) = 4/31 (worked out in models-bgnbd.test.ts).
const model: BgNbdModel = { unit: 'weeks', params: { r: 2, alpha: 1, a: 2, b: 1 } };
const history = { accountId: 'acme', frequency: 1, recency: 1, age: 2 };
const weeksPerMonth = 365.25 / 12 / 7;
const cumulative = (months: number) => {
  const t = months * weeksPerMonth;
  return ((3 * t) / (3 + t)) * (4 / 31);
};

describe('customerLifetimeValue', () => {
  it('discounts each month by its end: two months, 50% margin, 1% a month, spend 100', () => {
    const e1 = cumulative(1);
    const e2 = cumulative(2);
    const expected = (e1 / 1.01 + (e2 - e1) / 1.01 ** 2) * 100 * 0.5;
    const clv = customerLifetimeValue(model, history, 100, {
      horizonMonths: 2,
      grossMargin: 0.5,
      monthlyDiscountRate: 0.01,
    });
    expect(clv.clv).toBeCloseTo(expected, 10);
    expect(clv.expectedTransactions).toBeCloseTo(e2, 12);
    expect(clv.horizonMonths).toBe(2);
  });

  it('without discounting is expected transactions x spend x margin', () => {
    const clv = customerLifetimeValue(model, history, 250, {
      horizonMonths: 12,
      grossMargin: 0.4,
      monthlyDiscountRate: 0,
    });
    expect(clv.clv).toBeCloseTo(cumulative(12) * 250 * 0.4, 10);
  });

  it('defaults to 12 months, full margin and 1% a month, and names a bad option', () => {
    expect(parseClvOptions(undefined)).toEqual({
      horizonMonths: 12,
      grossMargin: 1,
      monthlyDiscountRate: 0.01,
    });
    expect(() => parseClvOptions({ grossMargin: 1.5 })).toThrow(/grossMargin/);
    expect(() => parseClvOptions({ horizonMonths: 0 })).toThrow(/horizonMonths/);
  });
});

describe('time units', () => {
  it.each([
    [{ value: 12, unit: 'months' as const }, 'weeks' as const, 365.25 / 7],
    [{ value: 2, unit: 'weeks' as const }, 'days' as const, 14],
    [{ value: 30.4375, unit: 'days' as const }, 'months' as const, 1],
  ])('%j is %f %s', (duration, unit, expected) => {
    expect(durationIn(duration, unit)).toBeCloseTo(expected, 12);
  });
  it('prints the unit with every figure', () => {
    expect(formatDuration({ value: 1, unit: 'weeks' })).toBe('1 week');
    expect(formatDuration({ value: 52.1786, unit: 'weeks' })).toBe('52.18 weeks');
  });
  it('refuses a negative horizon', () => {
    expect(() => durationIn({ value: -1, unit: 'months' }, 'days')).toThrow(/not a non-negative number/);
  });
});
