import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../lambdas/core/clustering/adjusted-rand-index.ts';
import { deterministicSample } from '../../lambdas/core/clustering/deterministic-sample.ts';
import { DEFAULT_GROWTH_CLIP, featureVector, standardize } from '../../lambdas/core/clustering/features.ts';
import { silhouetteScore } from '../../lambdas/core/clustering/silhouette.ts';

describe('adjustedRandIndex', () => {
  it('matches a hand-worked contingency table', () => {
    // truth x predicted: [[2,1,0],[0,1,2]]; sum C(nij,2) = 2; rows 3,3 -> 6; cols 2,2,2 -> 3; C(6,2) = 15
    // expected = 6*3/15 = 1.2; max = (6+3)/2 = 4.5; ARI = (2-1.2)/(4.5-1.2) = 8/33
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo(8 / 33, 12);
  });

  it.each([
    // cells 2,1,1 -> 1; rows 2,2 -> 2; cols 2,1,1 -> 1; E = 2/6; max = 1.5 -> (2/3)/(7/6) = 4/7
    [[0, 0, 1, 1], [0, 0, 1, 2], 4 / 7],
    // identical up to renaming
    [[0, 0, 1, 1, 2], [5, 5, 3, 3, 9], 1],
    // cells all 1 -> 0; rows 2; cols 2; E = 4/6; max = 2 -> (-2/3)/(4/3) = -1/2
    [[0, 0, 1, 1], [0, 1, 0, 1], -0.5],
    // both trivial (one cluster each): 0/0, defined as 1
    [[1, 1, 1], [7, 7, 7], 1],
  ])('ARI(%j, %j) = %d', (truth, predicted, expected) => {
    expect(adjustedRandIndex(truth, predicted)).toBeCloseTo(expected, 12);
  });

  it('rejects labellings of different lengths', () => {
    expect(() => adjustedRandIndex([0, 1], [0])).toThrow(/2 true labels but 1 predicted/);
  });
});

describe('silhouetteScore', () => {
  it('matches a hand-worked 1-D example', () => {
    // points 0, 2 | 10, 13
    // 0: a = 2, b = (10+13)/2 = 11.5 -> 9.5/11.5;  2: a = 2, b = (8+11)/2 = 9.5 -> 7.5/9.5
    // 10: a = 3, b = (10+8)/2 = 9 -> 6/9;          13: a = 3, b = (13+11)/2 = 12 -> 9/12
    const expected = (9.5 / 11.5 + 7.5 / 9.5 + 6 / 9 + 9 / 12) / 4;
    expect(silhouetteScore([[0], [2], [10], [13]], [0, 0, 1, 1])).toBeCloseTo(expected, 12);
  });

  it('uses Euclidean distance in several dimensions and scores a singleton 0', () => {
    // (0,0) and (3,4) together (distance 5), (0,10) alone.
    // (0,0): a = 5, b = 10 -> 0.5; (3,4): a = 5, b = sqrt(9+36) = sqrt(45) -> (sqrt(45)-5)/sqrt(45); (0,10): 0
    const expected = (0.5 + (Math.sqrt(45) - 5) / Math.sqrt(45) + 0) / 3;
    expect(
      silhouetteScore(
        [
          [0, 0],
          [3, 4],
          [0, 10],
        ],
        [1, 1, 2],
      ),
    ).toBeCloseTo(expected, 12);
  });

  it('is null for a single cluster', () => {
    expect(silhouetteScore([[0], [1]], [4, 4])).toBeNull();
  });
});

describe('deterministicSample', () => {
  it('returns every index when the population is small enough', () => {
    expect(deterministicSample(4, 10, 1)).toEqual([0, 1, 2, 3]);
  });

  it('draws distinct sorted indices, the same for the same seed', () => {
    const a = deterministicSample(10_000, 500, 7);
    expect(a).toHaveLength(500);
    expect(new Set(a).size).toBe(500);
    expect(a).toEqual([...a].sort((x, y) => x - y));
    expect(a.every((i) => i >= 0 && i < 10_000)).toBe(true);
    expect(deterministicSample(10_000, 500, 7)).toEqual(a);
    expect(deterministicSample(10_000, 500, 8)).not.toEqual(a);
  });

  it('spreads over the whole population', () => {
    const sample = deterministicSample(10_000, 2000, 3);
    const firstHalf = sample.filter((i) => i < 5000).length;
    // Binomial(2000, 0.5) has sd 22; 6 sd either side.
    expect(Math.abs(firstHalf - 1000)).toBeLessThan(135);
  });
});

describe('features', () => {
  it('builds log1p revenue and invoices, recency, clipped growth (null -> 0) and tenure', () => {
    const base = {
      accountId: 'A',
      revenueT12m: Math.E - 1,
      invoicesT12m: 0,
      recencyDays: 12,
      tenureDays: 400,
    };
    expect(featureVector({ ...base, growthYoy: 9 })).toEqual([1, 0, 12, DEFAULT_GROWTH_CLIP.max, 400]);
    expect(featureVector({ ...base, growthYoy: null })).toEqual([1, 0, 12, 0, 400]);
    expect(featureVector({ ...base, growthYoy: -0.25 })[3]).toBe(-0.25);
  });

  it('standardizes to z-scores and leaves a constant column at 0', () => {
    // column 0: mean 2, population sd sqrt(((1)^2 + 0 + 1^2)/3) = sqrt(2/3)
    const { scaled, scaling } = standardize([
      [1, 5],
      [2, 5],
      [3, 5],
    ]);
    const sd = Math.sqrt(2 / 3);
    expect(scaling.means).toEqual([2, 5]);
    expect(scaling.sds[0]).toBeCloseTo(sd, 12);
    expect(scaled.map((r) => r[0])).toEqual([-1 / sd, 0, 1 / sd].map((v) => expect.closeTo(v, 12)));
    expect(scaled.map((r) => r[1])).toEqual([0, 0, 0]);
  });
});
