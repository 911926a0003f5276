import { describe, expect, it } from 'vitest';
import { clusterAccounts } from '../../lambdas/core/clustering/cluster-accounts.ts';
import { parseClusteringConfig } from '../../lambdas/core/clustering/clustering-config.ts';
import { describeCluster } from '../../lambdas/core/clustering/describe-cluster.ts';
import {
  type AccountActivity,
  assessEngagement,
  describeEngagement,
  summarizeEngagement,
  withEngagementRisk,
  withEngagementScores,
} from '../../lambdas/core/engagement/engagement.ts';
import type { ChurnRisk } from '../../lambdas/core/models/churn-risk.ts';
import {
  parseGrowthPotentialConfig,
  scoreGrowthPotential,
} from '../../lambdas/core/models/growth-potential.ts';

const activity = (accountId: string, recentEvents: number, baselineEvents: number): AccountActivity => ({
  accountId,
  recentEvents,
  baselineEvents,
});

// One High segment of four accounts; recent events sorted: Z 0, Y 2, W 3, X 8 -> median (2 + 3) / 2 = 2.5.
// X: usual 16 / 4 = 4 a quarter, trend 2 -> trend score 1; mid-rank percentile (3 + 0.5) / 4 = 0.875 -> 0.9375.
// Y: usual 40 / 4 = 10, trend 0.2 -> 0.1; percentile (1 + 0.5) / 4 = 0.375 -> 0.2375, falling (<= half, usual >= 2).
// W: no history, some activity -> trend score 1; percentile (2 + 0.5) / 4 = 0.625 -> 0.8125.
// Z: nothing at all -> level none (score 0.5 * 0.125 = 0.0625).
const ACCOUNTS = ['X', 'Y', 'W', 'Z'].map((accountId) => ({ accountId, segment: 'High' }));
const ACTIVITY = [activity('X', 8, 16), activity('Y', 2, 40), activity('W', 3, 0)];

describe('assessEngagement', () => {
  const engagement = assessEngagement(ACCOUNTS, ACTIVITY);

  it.each([
    ['X', 0.9375, 'high', 2, false],
    ['Y', 0.2375, 'low', 0.2, true],
    ['W', 0.8125, 'high', null, false],
    ['Z', 0.0625, 'none', null, false],
  ] as const)('%s: score %s, level %s, trend %s, falling %s', (id, score, level, trend, falling) => {
    const e = engagement.get(id);
    expect(e?.score).toBeCloseTo(score, 12);
    expect(e?.level).toBe(level);
    expect(e?.trend === null ? null : (e?.trend ?? Number.NaN)).toBe(trend === null ? null : trend);
    expect(e?.falling).toBe(falling);
    expect(e?.segmentMedian).toBe(2.5);
  });

  it('says why in words: recent activity, the usual quarter and the segment median', () => {
    expect(engagement.get('X')?.reason).toBe(
      '8 activities in the last 3 months, usually 4 a quarter (2x); High median 2.5',
    );
    expect(engagement.get('Y')?.reason).toBe(
      '2 activities in the last 3 months, usually 10 a quarter (down 80%); High median 2.5',
    );
    expect(engagement.get('W')?.reason).toBe(
      '3 activities in the last 3 months, no activity in the year before; High median 2.5',
    );
    expect(describeEngagement(engagement.get('Z') as never)).toBe(
      'none engagement: 0 activities in the last 3 months, no activity in 15 months; High median 2.5',
    );
  });

  it('compares an account with its own segment only', () => {
    const mixed = assessEngagement(
      [
        { accountId: 'X', segment: 'High' },
        { accountId: 'L', segment: 'Low' },
      ],
      [activity('X', 8, 16), activity('L', 1, 0)],
    );
    // alone in its segment, each account sits at the mid-rank percentile 0.5
    expect(mixed.get('L')?.segmentPercentile).toBe(0.5);
    expect(mixed.get('L')?.segmentMedian).toBe(1);
    expect(mixed.get('X')?.segmentMedian).toBe(8);
  });

  it('summarizes levels and falling revenue per segment in report order', () => {
    const revenue = { X: 200_000, Y: 150_000.25, W: 120_000, Z: 0 } as const;
    const summary = summarizeEngagement(
      ACCOUNTS.map((a) => ({ ...a, revenueT12m: revenue[a.accountId as keyof typeof revenue] })),
      engagement,
      ['High', 'Medium'],
    );
    expect(summary).toEqual([
      {
        segment: 'High',
        accounts: 4,
        levels: { high: 2, medium: 0, low: 1, none: 1 },
        falling: 1,
        fallingRevenueT12m: 150_000.25,
        medianRecentEvents: 2.5,
      },
      {
        segment: 'Medium',
        accounts: 0,
        levels: { high: 0, medium: 0, low: 0, none: 0 },
        falling: 0,
        fallingRevenueT12m: 0,
        medianRecentEvents: 0,
      },
    ]);
  });
});

describe('withEngagementRisk', () => {
  const engagement = assessEngagement(ACCOUNTS, ACTIVITY);
  const risk = (level: ChurnRisk['level'], reason = 'revenue down 20% YoY'): ChurnRisk => ({
    accountId: 'Y',
    level,
    reason,
    signals: [{ kind: 'revenue_trend', level, text: reason }],
    revenueAtRisk: level === 'none' ? 0 : 150_000,
  });

  it.each([
    ['none', 'low'],
    ['low', 'medium'],
    ['medium', 'high'],
    ['high', 'high'],
  ] as const)('falling engagement steps %s up to %s and says so', (from, to) => {
    const out = withEngagementRisk(risk(from), engagement.get('Y'), 150_000);
    expect(out.level).toBe(to);
    expect(out.reason).toBe(
      'revenue down 20% YoY; engagement down 80% (2 activities in the last 3 months, usually 10)',
    );
    expect(out.revenueAtRisk).toBe(150_000);
  });

  it('adds the engagement level to the reason of an account at risk for other reasons', () => {
    const out = withEngagementRisk({ ...risk('medium'), accountId: 'X' }, engagement.get('X'), 200_000);
    expect(out.level).toBe('medium');
    expect(out.reason).toBe(
      'revenue down 20% YoY; high engagement: 8 activities in the last 3 months, usually 4 a quarter (2x); High median 2.5',
    );
  });

  it('leaves an account alone that is not at risk, has no revenue, or has no engagement', () => {
    const calm = { ...risk('none', 'revenue up 5% YoY'), accountId: 'X' };
    expect(withEngagementRisk(calm, engagement.get('X'), 200_000)).toBe(calm);
    expect(withEngagementRisk(risk('none'), engagement.get('Y'), 0)).toEqual(risk('none'));
    expect(withEngagementRisk(risk('medium'), undefined, 150_000)).toEqual(risk('medium'));
  });
});

describe('engagement in growth potential', () => {
  const config = parseGrowthPotentialConfig({});
  const base = {
    accountId: 'A',
    industry: null,
    employeeCount: null,
    revenueT12m: 1_000,
    revenuePriorT12m: 1_000,
    monthlyRevenue: [],
  };

  it('weighs the engagement score with its reason in words', () => {
    // momentum: YoY flat -> 0.5 (weight 0.3); engagement 0.9 (weight 0.2): (0.15 + 0.18) / 0.5 = 0.66 -> 66
    const g = scoreGrowthPotential(
      { ...base, engagement: 0.9, engagementNote: 'high engagement: 8 activities' },
      config,
    );
    expect(g.score).toBe(66);
    expect(g.reasons).toContain('engagement 0.90 of 1 (high engagement: 8 activities)');
  });

  it('says engagement is not available when the activities input is absent', () => {
    const g = scoreGrowthPotential({ ...base, engagementNote: 'not available: needs activities' }, config);
    expect(g.score).toBe(50);
    expect(g.reasons).toContain(
      'engagement not available: needs activities: its weight spread over the rest',
    );
  });
});

describe('engagement as a clustering feature', () => {
  // Two revenue groups; within each, half the accounts are engaged (0.9) and half are not (0.1).
  const accounts = Array.from({ length: 40 }, (_, i) => ({
    accountId: `A${String(i).padStart(2, '0')}`,
    revenueT12m: i < 20 ? 200_000 : 5_000,
    invoicesT12m: 12,
    recencyDays: 20,
    growthYoy: 0,
    tenureDays: 1000,
  }));
  const engagement = new Map(
    accounts.map((a, i) => [a.accountId, { score: i % 2 === 0 ? 0.9 : 0.1 }] as const),
  );
  const config = parseClusteringConfig({ kMin: 2, kMax: 4 });

  it('clusters on engagement too when the run has it, and profiles each cluster by it', () => {
    const scored = withEngagementScores(
      accounts,
      new Map([...engagement].map(([id, e]) => [id, { score: e.score } as never])),
    );
    const result = clusterAccounts(scored, config);
    expect(result.features).toEqual(['revenue', 'frequency', 'recency', 'growth', 'tenure', 'engagement']);
    // four groups: revenue x engagement, each a pure cluster
    expect(result.k).toBe(4);
    for (const profile of result.profiles) {
      const members = result.assignments.filter((a) => a.clusterId === profile.clusterId);
      const independentMean =
        members.reduce((s, a) => s + (engagement.get(a.accountId)?.score ?? 0), 0) / members.length;
      expect(profile.meanEngagement).toBeCloseTo(independentMean, 12);
      expect([0.1, 0.9]).toContain(Number(profile.meanEngagement?.toFixed(12)));
      expect(profile.label).toMatch((profile.meanEngagement ?? 0) > 0.5 ? /, engaged$/ : /, disengaged$/);
    }
  });

  it('clusters on the five revenue features alone without engagement', () => {
    const result = clusterAccounts(accounts, config);
    expect(result.features).toEqual(['revenue', 'frequency', 'recency', 'growth', 'tenure']);
    expect(result.k).toBe(2);
    expect(result.profiles.every((p) => p.meanEngagement === undefined)).toBe(true);
  });

  it('names engagement in the cluster label only beyond the threshold', () => {
    const centroid = { revenue: 0, frequency: 0, recency: 0, growth: 0, tenure: 0 };
    expect(describeCluster(centroid, 0, 0.5, 0.6)).toBe('mid-sized, engaged');
    expect(describeCluster(centroid, 0, 0.5, -0.6)).toBe('mid-sized, disengaged');
    expect(describeCluster(centroid, 0, 0.5, 0.4)).toBe('mid-sized');
    expect(describeCluster(centroid, 0, 0.5)).toBe('mid-sized');
  });
});
