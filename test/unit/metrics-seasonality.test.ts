import { describe, expect, it } from 'vitest';
import { seasonality } from '../../lambdas/core/metrics/seasonality.ts';

// A 24-month window from November to October.
const calendar = Array.from({ length: 24 }, (_, i) => ((i + 10) % 12) + 1);

describe('seasonality', () => {
  it('is 1 everywhere for flat revenue', () => {
    expect(seasonality(new Array(24).fill(250), calendar).map((p) => p.index)).toEqual(new Array(12).fill(1));
  });

  it('relates each calendar month to the monthly mean', () => {
    // December (indices 1 and 13) at 400, every other month 100: total 3,000, mean 125.
    const totals = calendar.map((month) => (month === 12 ? 400 : 100));
    const result = seasonality(totals, calendar);
    expect(result.map((p) => p.month)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(result[11]?.index).toBeCloseTo(3.2, 12);
    expect(result[0]?.index).toBeCloseTo(0.8, 12);
  });

  it('counts a month with revenue only once in the window at half weight', () => {
    // Only index 2 (January, first year) has revenue: January's mean is 1,200 / 2, the monthly mean 1,200 / 24.
    const totals = new Array(24).fill(0);
    totals[2] = 1_200;
    const result = seasonality(totals, calendar);
    expect(result[0]?.index).toBeCloseTo(12, 12);
    expect(result[1]?.index).toBe(0);
  });

  it.each([
    ['no revenue', new Array(24).fill(0)],
    ['net credits', new Array(24).fill(-10)],
  ])('is 0, never NaN, with %s', (_name, totals) => {
    expect(seasonality(totals, calendar).map((p) => p.index)).toEqual(new Array(12).fill(0));
  });
});
