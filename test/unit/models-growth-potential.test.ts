import { describe, expect, it } from 'vitest';
import {
  hiddenGems,
  parseGrowthPotentialConfig,
  scoreGrowthPotential,
} from '../../lambdas/core/models/growth-potential.ts';

const config = parseGrowthPotentialConfig(undefined);
// Last six months 2,000 a month then 3,000 a month: the recent trend is +50%.
const months = [...new Array<number>(18).fill(1000), 2000, 2000, 2000, 3000, 3000, 3000];

describe('scoreGrowthPotential', () => {
  it('weighs headroom and momentum, spreading the missing engagement weight over them', () => {
    const g = scoreGrowthPotential(
      {
        accountId: 'acme',
        industry: 'Software',
        employeeCount: 100,
        revenueT12m: 30_000,
        revenuePriorT12m: 24_000,
        monthlyRevenue: months,
      },
      config,
    );
    // wallet 100 x 1,500 = 150,000; headroom 1 - 30/150 = 0.8
    // momentum: mean of YoY +25% -> 0.625 and recent +50% -> 0.75 = 0.6875
    // score = 100 (0.5 x 0.8 + 0.3 x 0.6875) / 0.8 = 75.78 -> 76
    expect(g.estimatedWallet).toBe(150_000);
    expect(g.headroom).toBeCloseTo(0.8, 12);
    expect(g.momentum).toBeCloseTo(0.6875, 12);
    expect(g.engagement).toBeNull();
    expect(g.score).toBe(76);
    expect(g.reasons).toEqual([
      'revenue 30,000 is 20% of an estimated wallet of 150,000 (100 employees x 1,500 for Software)',
      'revenue up 25% YoY, last 3 months up 50% on the 3 before',
      'no engagement data: its weight spread over the rest',
    ]);
  });

  it('uses engagement when given: 100 (0.4 + 0.20625 + 0.2 x 0.5) / 1 = 70.6 -> 71', () => {
    const g = scoreGrowthPotential(
      {
        accountId: 'acme',
        industry: 'software',
        employeeCount: 100,
        revenueT12m: 30_000,
        revenuePriorT12m: 24_000,
        monthlyRevenue: months,
        engagement: 0.5,
      },
      config,
    );
    expect(g.score).toBe(71);
    expect(g.reasons).toHaveLength(3);
    expect(g.reasons[2]).toBe('engagement 0.50 of 1');
  });

  it('falls back to the default spend for an unlisted industry and caps headroom at 0', () => {
    const g = scoreGrowthPotential(
      {
        accountId: 'big',
        industry: 'Mining',
        employeeCount: 10,
        revenueT12m: 50_000,
        revenuePriorT12m: 50_000,
        monthlyRevenue: [],
      },
      config,
    );
    // wallet 10 x 1,000 = 10,000 < revenue: headroom 0; momentum flat 0.5; score 100 (0 + 0.15) / 0.8 = 18.75 -> 19
    expect(g.headroom).toBe(0);
    expect(g.score).toBe(19);
    expect(g.reasons[1]).toBe(
      'revenue 50,000 already meets the estimated wallet of 10,000 (10 employees x 1,000 default spend)',
    );
  });

  it('has no score without any component, and says why', () => {
    const g = scoreGrowthPotential(
      {
        accountId: 'new',
        industry: null,
        employeeCount: null,
        revenueT12m: 500,
        revenuePriorT12m: 0,
        monthlyRevenue: [],
      },
      config,
    );
    expect(g.score).toBeNull();
    expect(g.reasons).toEqual([
      'no employee count, so no wallet estimate: headroom left out and its weight spread over the rest',
      'no prior revenue to measure a trend: momentum left out and its weight spread over the rest',
      'no engagement data: its weight spread over the rest',
    ]);
  });

  it('matches industries case-insensitively and names a bad config value', () => {
    const custom = parseGrowthPotentialConfig({ spendPerEmployee: { 'Heavy Industry': 200 } });
    expect(custom.spendPerEmployee['heavy industry']).toBe(200);
    expect(() => parseGrowthPotentialConfig({ weights: { headroom: -1 } })).toThrow(/weights\.headroom/);
    expect(() =>
      parseGrowthPotentialConfig({ weights: { headroom: 0, momentum: 0, engagement: 0 } }),
    ).toThrow(/at least one weight/);
  });
});

describe('hiddenGems', () => {
  it('keeps Low and Medium accounts in the top decile of potential, best first', () => {
    // Scores 5, 10, ..., 100; the 90th percentile of 20 values is 92.5, so 95 and 100 are in the top decile.
    const accounts = Array.from({ length: 20 }, (_, i) => ({
      accountId: `a${String(i + 1).padStart(2, '0')}`,
      segment: i === 19 ? 'High' : i % 2 === 0 ? 'Low' : 'Medium',
      score: (i + 1) * 5,
    }));
    expect(hiddenGems([...accounts, { accountId: 'none', segment: 'Low', score: null }], config)).toEqual([
      { accountId: 'a19', segment: 'Low', score: 95 },
    ]);
  });
  it('returns nothing when no account has a score', () => {
    expect(hiddenGems([{ accountId: 'a', segment: 'Low', score: null }], config)).toEqual([]);
  });
});
