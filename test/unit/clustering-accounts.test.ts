import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex } from '../../lambdas/core/clustering/adjusted-rand-index.ts';
import { clusterAccounts } from '../../lambdas/core/clustering/cluster-accounts.ts';
import { parseClusteringConfig } from '../../lambdas/core/clustering/clustering-config.ts';
import { describeCluster } from '../../lambdas/core/clustering/describe-cluster.ts';
import type { ClusterInput } from '../../lambdas/core/clustering/features.ts';

interface Blob {
  readonly size: number;
  readonly revenue: number;
  readonly invoices: number;
  readonly recency: number;
  readonly growth: number;
  readonly tenure: number;
}

/** Well-separated planted segments of a book; noise is small next to the gaps between centres. */
const BLOBS: readonly Blob[] = [
  { size: 200, revenue: 250_000, invoices: 50, recency: 10, growth: 0.3, tenure: 2000 },
  { size: 300, revenue: 30_000, invoices: 12, recency: 60, growth: 0, tenure: 900 },
  { size: 500, revenue: 2_000, invoices: 2, recency: 250, growth: -0.5, tenure: 300 },
  { size: 200, revenue: 8_000, invoices: 6, recency: 30, growth: 1.5, tenure: 120 },
  { size: 100, revenue: 120_000, invoices: 4, recency: 200, growth: -0.3, tenure: 3000 },
];

function plantedBook(blobs: readonly Blob[], seed: number): { accounts: ClusterInput[]; truth: number[] } {
  const rng = xoroshiro128plus(seed);
  const gauss = () => {
    const u = 1 - uniformFloat64(rng);
    const v = uniformFloat64(rng);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const accounts: ClusterInput[] = [];
  const truth: number[] = [];
  blobs.forEach((b, blob) => {
    for (let i = 0; i < b.size; i++) {
      accounts.push({
        accountId: `B${blob}-${i}`,
        revenueT12m: b.revenue * Math.exp(0.25 * gauss()),
        invoicesT12m: Math.max(1, Math.round(b.invoices * Math.exp(0.1 * gauss()))),
        recencyDays: Math.max(0, Math.round(b.recency + 8 * gauss())),
        growthYoy: b.growth + 0.08 * gauss(),
        tenureDays: Math.max(1, Math.round(b.tenure + 50 * gauss())),
      });
      truth.push(blob);
    }
  });
  return { accounts, truth };
}

describe('clusterAccounts on planted clusters', () => {
  it.each([3, 4, 5])('recovers %i planted clusters (k by silhouette, ARI > 0.9)', (planted) => {
    const { accounts, truth } = plantedBook(BLOBS.slice(0, planted), 100 + planted);
    const result = clusterAccounts(accounts);
    expect(result.status).toBe('clustered');
    expect(result.k).toBe(planted);
    expect(result.silhouetteByK.map((s) => s.k)).toEqual([3, 4, 5, 6]);
    const predicted = result.assignments.map((a) => a.clusterId as number);
    expect(adjustedRandIndex(truth, predicted)).toBeGreaterThan(0.9);
    expect(result.profiles.reduce((s, p) => s + p.accounts, 0)).toBe(accounts.length);
  });

  it('refines a sample fit on the whole book when the book is larger than the fit sample', () => {
    const { accounts, truth } = plantedBook(
      BLOBS.map((b) => ({ ...b, size: b.size * 4 })),
      9,
    );
    const config = parseClusteringConfig({ fitSample: 800, silhouetteSample: 300 });
    const result = clusterAccounts(accounts, config);
    expect(result.fitSampleSize).toBe(800);
    expect(result.silhouetteSampleSize).toBe(300);
    expect(result.k).toBe(5);
    expect(
      adjustedRandIndex(
        truth,
        result.assignments.map((a) => a.clusterId as number),
      ),
    ).toBeGreaterThan(0.9);
  });

  it('gives the same labels for the same seed', () => {
    const { accounts } = plantedBook(BLOBS, 5);
    const config = parseClusteringConfig({ seed: 1234, restarts: 2 });
    expect(clusterAccounts(accounts, config)).toEqual(clusterAccounts(accounts, config));
  });

  it('orders clusters by mean revenue and describes them from their centroids', () => {
    // By hand from the blob centres of the first three blobs (sizes 200/300/500), in population sd units:
    // log1p revenue 12.43/10.31/7.60, mean 9.37, sd 1.91 -> z +1.6 / +0.5 / -0.9
    // log1p invoices 3.93/2.56/1.10, mean 2.10, sd 1.11 -> z +1.6 / +0.4 / -0.9
    // recency 10/60/250, mean 145, sd 106 -> z -1.3 / -0.8 / +1.0
    // growth 0.3/0/-0.5, mean -0.19, sd 0.33 -> z +1.5 / +0.6 / -0.9 (cluster means +0.3 / 0 / -0.5)
    // tenure 2000/900/300, mean 820, sd 644 -> z +1.8 / +0.1 / -0.8
    const { accounts } = plantedBook(BLOBS.slice(0, 3), 103);
    const result = clusterAccounts(accounts);
    expect(result.profiles.map((p) => p.accounts)).toEqual([200, 300, 500]);
    expect(result.profiles[0]?.label).toBe('large, frequent, growing, long-standing');
    expect(result.profiles[2]?.label).toBe('small, infrequent, shrinking, lapsing, new');
    const means = result.profiles.map((p) => p.meanRevenueT12m);
    expect(means).toEqual([...means].sort((a, b) => b - a));
    expect(result.profiles[0]?.meanInvoicesT12m).toBeCloseTo(50, -1);
    expect(result.profiles[2]?.meanRecencyDays).toBeCloseTo(250, -1);
    expect(result.profiles.reduce((s, p) => s + p.revenueShare, 0)).toBeCloseTo(1, 12);
  });

  it('leaves accounts without revenue unclustered', () => {
    const { accounts } = plantedBook(BLOBS.slice(0, 3), 1);
    const inactive: ClusterInput = {
      accountId: 'gone',
      revenueT12m: 0,
      invoicesT12m: 0,
      recencyDays: 500,
      growthYoy: -1,
      tenureDays: 900,
    };
    const result = clusterAccounts([inactive, ...accounts]);
    expect(result.assignments[0]).toEqual({ accountId: 'gone', clusterId: null, clusterLabel: null });
    expect(result.clusteredAccounts).toBe(accounts.length);
  });

  it('skips with a reason when there are too few accounts', () => {
    const { accounts } = plantedBook([{ ...(BLOBS[0] as Blob), size: 3 }], 1);
    const result = clusterAccounts(accounts);
    expect(result.status).toBe('insufficient-data');
    expect(result.reason).toMatch(/3 accounts with revenue/);
    expect(result.assignments.every((a) => a.clusterId === null)).toBe(true);
  });

  it('skips with a reason when accounts are identical', () => {
    const same: ClusterInput = {
      accountId: 'x',
      revenueT12m: 100,
      invoicesT12m: 1,
      recencyDays: 3,
      growthYoy: null,
      tenureDays: 30,
    };
    const result = clusterAccounts(Array.from({ length: 10 }, (_, i) => ({ ...same, accountId: `x${i}` })));
    expect(result.status).toBe('insufficient-data');
    expect(result.reason).toMatch(/only 1 distinct feature profiles/);
  });
});

describe('describeCluster', () => {
  const flat = { revenue: 0, frequency: 0, recency: 0, growth: 0, tenure: 0 };
  it.each([
    [{ ...flat, revenue: 1.2, frequency: 0.8, growth: 0.9 }, 0.4, 'large, frequent, growing'],
    [{ ...flat, revenue: -1, recency: 1.1 }, 0, 'small, lapsing'],
    [flat, 0, 'mid-sized'],
    // Above-average growth while the cluster still shrinks is not called growing.
    [{ ...flat, growth: 1 }, -0.1, 'mid-sized'],
    [{ ...flat, growth: -1, tenure: -0.6, frequency: -0.7 }, -0.2, 'mid-sized, infrequent, shrinking, new'],
  ])('%j with mean growth %d is "%s"', (centroid, meanGrowth, label) => {
    expect(describeCluster(centroid, meanGrowth)).toBe(label);
  });
});

describe('parseClusteringConfig', () => {
  it('defaults to k 3..6, seed 42 and a 2,000-account silhouette sample', () => {
    expect(parseClusteringConfig(undefined)).toMatchObject({
      kMin: 3,
      kMax: 6,
      seed: 42,
      silhouetteSample: 2000,
    });
  });

  it('names the field of every problem', () => {
    expect(() => parseClusteringConfig({ kMin: 5, kMax: 4, restarts: 0 })).toThrow(
      'clustering config is invalid:\n' +
        '  - clustering.restarts: Too small: expected number to be >=1\n' +
        '  - clustering.kMin: kMin (5) must not exceed kMax (4)',
    );
    expect(() => parseClusteringConfig({ growthClip: { min: 2, max: 1 } })).toThrow(
      'clustering.growthClip: growthClip.min must be below growthClip.max',
    );
  });
});
