import { describe, expect, it } from 'vitest';
import { concentration } from '../../lambdas/core/metrics/concentration.ts';

/** Gini by its definition: mean absolute difference over all ordered pairs / (2 x mean). */
function pairwiseGini(values: readonly number[]): number {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  let diff = 0;
  for (const x of values) for (const y of values) diff += Math.abs(x - y);
  return diff / (2 * n * n * mean);
}

function lorenzAt(result: ReturnType<typeof concentration>, accountShare: number): number | undefined {
  return result.lorenz.find((p) => Math.abs(p.accountShare - accountShare) < 1e-9)?.revenueShare;
}

describe('concentration', () => {
  it.each([
    // revenues, top 1%, top 10%, top 20%, Gini, HHI, Lorenz at 10%, 25%, 50%
    ['1,2,3,4', [4, 2, 1, 3], 0.4, 0.4, 0.4, 0.25, 0.3, 0.04, 0.1, 0.3],
    ['non-positive ignored', [0, -5, 1, 2, 3, 4], 0.4, 0.4, 0.4, 0.25, 0.3, 0.04, 0.1, 0.3],
    ['one account', [500], 1, 1, 1, 0, 1, 0.1, 0.25, 0.5],
    ['four equal', [5, 5, 5, 5], 0.25, 0.25, 0.25, 0, 0.25, 0.1, 0.25, 0.5],
  ])('%s', (_name, revenues, top1, top10, top20, gini, hhi, l10, l25, l50) => {
    const c = concentration(revenues);
    expect(c.top1Share).toBeCloseTo(top1, 12);
    expect(c.top10Share).toBeCloseTo(top10, 12);
    expect(c.top20Share).toBeCloseTo(top20, 12);
    expect(c.gini).toBeCloseTo(gini, 12);
    expect(c.hhi).toBeCloseTo(hhi, 12);
    expect(lorenzAt(c, 0.1)).toBeCloseTo(l10, 12);
    expect(lorenzAt(c, 0.25)).toBeCloseTo(l25, 12);
    expect(lorenzAt(c, 0.5)).toBeCloseTo(l50, 12);
    expect(c.lorenz).toHaveLength(21);
    expect(c.lorenz[0]).toEqual({ accountShare: 0, revenueShare: 0 });
    expect(c.lorenz[20]).toEqual({ accountShare: 1, revenueShare: 1 });
  });

  it('takes ceil(n x pct) accounts without floating-point residue (30 accounts: 1, 3, 6)', () => {
    const c = concentration(Array.from({ length: 30 }, () => 1));
    expect([c.top1Share, c.top10Share, c.top20Share]).toEqual([1 / 30, 3 / 30, 6 / 30]);
  });

  it('matches the pairwise definition of Gini and a direct HHI on uneven data', () => {
    const revenues = [120_000, 108_000, 5_000, 2_000, 1_000, 6_000, 45_500.5, 9_999.99];
    const c = concentration(revenues);
    const total = revenues.reduce((s, v) => s + v, 0);
    expect(c.gini).toBeCloseTo(pairwiseGini(revenues), 12);
    expect(c.hhi).toBeCloseTo(
      revenues.reduce((s, v) => s + (v / total) ** 2, 0),
      12,
    );
    // 8 accounts: top 20% = ceil(1.6) = 2 accounts.
    expect(c.top20Share).toBeCloseTo(228_000 / total, 12);
    for (let i = 1; i < c.lorenz.length; i++) {
      expect(c.lorenz[i]?.revenueShare).toBeGreaterThanOrEqual(c.lorenz[i - 1]?.revenueShare ?? 0);
    }
  });

  it('is the line of equality with zero shares when nobody has revenue', () => {
    const c = concentration([0, -3]);
    expect([c.top1Share, c.top10Share, c.top20Share, c.gini, c.hhi]).toEqual([0, 0, 0, 0, 0]);
    expect(c.lorenz.every((p) => p.revenueShare === p.accountShare)).toBe(true);
  });
});
