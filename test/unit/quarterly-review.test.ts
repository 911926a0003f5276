import { describe, expect, it } from 'vitest';
import type { ClusteringResult, ClusterProfile } from '../../lambdas/core/clustering/cluster-accounts.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { RevsegError } from '../../lambdas/core/errors.ts';
import type { CohortCell } from '../../lambdas/core/models/cohorts.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { parsePlaybook } from '../../lambdas/core/playbook/playbook-config.ts';
import {
  buildQuarterlyReview,
  clusterSegmentMix,
  cohortTrends,
  largestChanges,
  planPeriod,
  type QuarterPerformance,
  reviewQuarterIds,
  runPlaybook,
  type SegmentQuarter,
  summarizeMigration,
} from '../../lambdas/core/quarterly-review.ts';
import { createFormatter } from '../../lambdas/core/report/format.ts';
import { renderText } from '../../lambdas/core/report/render-text.ts';
import type { ReportContext } from '../../lambdas/core/report/report-context.ts';
import { quarterlyReviewBlocks, resourcePlanBlocks } from '../../lambdas/core/report/review-sections.ts';
import { buildSnapshotTables } from '../../lambdas/core/snapshot/tables.ts';
import type { MigrationCell } from '../../lambdas/core/types.ts';
import { segmentQuarterFromRow } from '../../lambdas/jobs/steps/snapshot-history.ts';
import { analysisFor, quarantine, quarantinedRows } from '../fixtures/snapshot-analysis.ts';

const config = parseRunConfig({});
const segments = config.segments;
const fmt = createFormatter('en-US', 'USD');

const cell = (fromSegment: string, toSegment: string, accounts: number, prev: number, now: number) =>
  ({ fromSegment, toSegment, accounts, previousRevenueT12m: prev, revenueT12m: now }) satisfies MigrationCell;

const sq = (segment: string, rank: number, over: Partial<SegmentQuarter> = {}): SegmentQuarter => ({
  segment,
  rank,
  accounts: 10,
  revenueT12m: 100_000,
  revenueShare: 0.25,
  arpa: 10_000,
  nrr: 1,
  grr: 0.9,
  ...over,
});

function profile(clusterId: number, label: string, accounts: number): ClusterProfile {
  return {
    clusterId,
    label,
    accounts,
    revenueT12m: 0,
    revenueShare: 0,
    meanRevenueT12m: 0,
    meanInvoicesT12m: 0,
    meanRecencyDays: 0,
    meanGrowthYoy: null,
    meanTenureDays: 0,
    centroid: { revenue: 0, frequency: 0, recency: 0, growth: 0, tenure: 0 },
  };
}

function clustering(assignments: [string, number | null][], profiles: ClusterProfile[]): ClusteringResult {
  return {
    status: 'clustered',
    reason: null,
    k: profiles.length,
    silhouette: 0.5,
    silhouetteByK: [{ k: profiles.length, silhouette: 0.5 }],
    seed: 42,
    clusteredAccounts: assignments.filter(([, c]) => c !== null).length,
    fitSampleSize: assignments.length,
    silhouetteSampleSize: assignments.length,
    assignments: assignments.map(([accountId, clusterId]) => ({
      accountId,
      clusterId,
      clusterLabel: clusterId === null ? null : (profiles[clusterId]?.label ?? null),
    })),
    profiles,
  };
}

describe('reviewQuarterIds', () => {
  it.each([
    ['2026-Q3', 1, ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']],
    ['2026-Q1', 1, ['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']],
    ['2026-Q1', 4, ['2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']],
  ] as const)('%s (fiscal year from month %i) covers %j', (id, fy, expected) => {
    expect(reviewQuarterIds(parsePeriod(id, 'quarterly', fy), fy)).toEqual(expected);
  });
});

describe('summarizeMigration', () => {
  const cells = [
    cell('High', 'High', 2, 300_000, 320_000),
    cell('Medium', 'High', 1, 90_000, 110_000),
    cell('Low', 'Medium', 3, 27_000, 33_000),
    cell('High', 'Medium', 1, 120_000, 95_000),
    cell('Low', 'Inactive', 4, 2_000, 0),
    cell('Inactive', 'Low', 1, 0, 500),
    cell('(new)', 'Low', 5, 0, 4_000),
    cell('Gold', 'Medium', 1, 50_000, 40_000),
    cell('Medium', 'Low', 0, 0, 0),
  ];
  const summary = summarizeMigration(cells, 'snapshot', segments);

  it('sums the cells by direction (rank 0 = High, Inactive below every bracket)', () => {
    expect(summary.stayed).toEqual({ accounts: 2, previousRevenueT12m: 300_000, revenueT12m: 320_000 });
    // Medium->High (1) and Low->Medium (3).
    expect(summary.upgraded).toEqual({ accounts: 4, previousRevenueT12m: 117_000, revenueT12m: 143_000 });
    expect(summary.downgraded).toEqual({ accounts: 1, previousRevenueT12m: 120_000, revenueT12m: 95_000 });
    expect(summary.churned).toEqual({ accounts: 4, previousRevenueT12m: 2_000, revenueT12m: 0 });
    expect(summary.reactivated).toEqual({ accounts: 1, previousRevenueT12m: 0, revenueT12m: 500 });
    expect(summary.newAccounts).toEqual({ accounts: 5, previousRevenueT12m: 0, revenueT12m: 4_000 });
    expect(summary.other).toEqual({ accounts: 1, previousRevenueT12m: 50_000, revenueT12m: 40_000 });
    expect(summary.basis).toBe('snapshot');
  });

  it('lists the three largest moves between different segments, new accounts excluded', () => {
    // 4 (Low->Inactive), 3 (Low->Medium), then the 1-account moves by previous revenue: High->Medium 120K.
    expect(summary.largestMoves.map((m) => `${m.fromSegment}>${m.toSegment}`)).toEqual([
      'Low>Inactive',
      'Low>Medium',
      'High>Medium',
    ]);
  });
});

describe('clusterSegmentMix', () => {
  it('counts each cluster’s accounts per segment and names the main one', () => {
    const clusters = clustering(
      [
        ['a', 0],
        ['b', 0],
        ['c', 0],
        ['d', 1],
        ['e', 1],
        ['f', null],
      ],
      [profile(0, 'large', 3), profile(1, 'small', 2)],
    );
    const accounts = [
      { accountId: 'a', segment: 'High' },
      { accountId: 'b', segment: 'Medium' },
      { accountId: 'c', segment: 'Medium' },
      { accountId: 'd', segment: 'Low' },
      { accountId: 'e', segment: 'Medium' },
      { accountId: 'f', segment: 'Inactive' },
    ];
    expect(clusterSegmentMix(clusters, accounts, segments)).toEqual([
      {
        clusterId: 0,
        bySegment: [
          { segment: 'High', accounts: 1 },
          { segment: 'Medium', accounts: 2 },
        ],
        mainSegment: 'Medium',
      },
      // A tie keeps the higher segment.
      {
        clusterId: 1,
        bySegment: [
          { segment: 'Medium', accounts: 1 },
          { segment: 'Low', accounts: 1 },
        ],
        mainSegment: 'Medium',
      },
    ]);
  });
});

describe('cohortTrends', () => {
  const c = (cohort: string, age: number, logo: number, revenue: number | null): CohortCell => ({
    cohort,
    ageQuarters: age,
    quarter: cohort,
    cohortAccounts: 4,
    activeAccounts: logo * 4,
    revenue: 0,
    revenueRetention: revenue,
    logoRetention: logo,
  });

  it('reads retention one and four quarters after acquisition, newest cohort first', () => {
    const cells = [
      c('2025-01-01', 0, 1, 1),
      c('2025-01-01', 1, 0.75, 0.9),
      c('2025-01-01', 4, 0.5, 1.2),
      c('2025-01-01', 5, 0.5, 1.1),
      c('2026-01-01', 0, 1, 1),
      c('2026-01-01', 1, 0.25, 0.3),
    ];
    expect(cohortTrends(cells)).toEqual([
      {
        cohort: '2026-01-01',
        cohortAccounts: 4,
        ageQuarters: 1,
        logoRetentionQ1: 0.25,
        logoRetentionQ4: null,
        revenueRetentionQ4: null,
      },
      {
        cohort: '2025-01-01',
        cohortAccounts: 4,
        ageQuarters: 5,
        logoRetentionQ1: 0.75,
        logoRetentionQ4: 0.5,
        revenueRetentionQ4: 1.2,
      },
    ]);
    expect(cohortTrends(cells, 1)).toHaveLength(1);
  });
});

describe('largestChanges', () => {
  const q1: QuarterPerformance = {
    periodId: '2025-Q4',
    segments: [
      sq('High', 0, { revenueT12m: 500_000, revenueShare: 0.5, accounts: 5, arpa: 100_000, nrr: 1.1 }),
      sq('Low', 2, { revenueT12m: 50_000, revenueShare: 0.05, accounts: 40, arpa: 1_250, nrr: 0.8 }),
    ],
  };
  const q4: QuarterPerformance = {
    periodId: '2026-Q3',
    segments: [
      sq('High', 0, { revenueT12m: 450_000, revenueShare: 0.45, accounts: 5, arpa: 90_000, nrr: null }),
      sq('Low', 2, { revenueT12m: 80_000, revenueShare: 0.08, accounts: 32, arpa: 2_500, nrr: 0.7 }),
    ],
  };

  it('picks, per measure, the segment that moved most from the first to the last quarter', () => {
    const changes = largestChanges([q1, { periodId: '2026-Q1', segments: [] }, q4]);
    expect(changes.map((c) => [c.measure, c.segment, c.from, c.to])).toEqual([
      // High -50K beats Low +30K.
      ['revenue', 'High', 500_000, 450_000],
      // High -5 pts beats Low +3 pts.
      ['share', 'High', 0.5, 0.45],
      // High unchanged; Low -8.
      ['accounts', 'Low', 40, 32],
      ['arpa', 'High', 100_000, 90_000],
      // High has no NRR now, so Low's -10 pts is the only one.
      ['nrr', 'Low', 0.8, 0.7],
    ]);
    expect(changes[0]).toMatchObject({ fromPeriodId: '2025-Q4', toPeriodId: '2026-Q3', delta: -50_000 });
    expect(changes[4]?.delta).toBeCloseTo(-0.1, 12);
  });

  it('has nothing to say about a single quarter', () => {
    expect(largestChanges([q4])).toEqual([]);
    expect(largestChanges([])).toEqual([]);
  });
});

describe('buildQuarterlyReview', () => {
  const analysis = analysisFor('2026-Q3', 'quarterly');
  const clusters = clustering(
    [
      ['A-1', 0],
      ['A-2', 1],
      ['A-3', null],
    ],
    [profile(0, 'large, frequent', 1), profile(1, 'small, new', 1)],
  );
  const history: QuarterPerformance[] = [
    { periodId: '2026-Q1', segments: [sq('Low', 2), sq('High', 0, { revenueT12m: 120_000 })] },
    // Outside the four-quarter window: ignored.
    { periodId: '2025-Q2', segments: [sq('High', 0)] },
  ];
  const review = buildQuarterlyReview({
    analysis,
    history,
    clusters,
    segments,
    fiscalYearStartMonth: 1,
  });

  it('keeps the quarters of the window that have a snapshot, oldest first, and names the missing ones', () => {
    expect(review.quarters.map((q) => q.periodId)).toEqual(['2026-Q1', '2026-Q3']);
    expect(review.missingQuarters).toEqual(['2025-Q4', '2026-Q2']);
    expect(review.quarters[0]?.segments.map((s) => s.segment)).toEqual(['High', 'Low']);
    expect(review.quarters[1]?.segments.map((s) => [s.segment, s.revenueT12m, s.nrr])).toEqual([
      ['High', 150_000, 1.25],
      ['Medium', 0, null],
      ['Low', 5_000, 0],
      ['Inactive', 0, null],
    ]);
    // Low fell from 100K to 5K (-95K), more than High rose (120K to 150K).
    expect(review.changes.find((c) => c.measure === 'revenue')).toMatchObject({
      segment: 'Low',
      from: 100_000,
      to: 5_000,
    });
  });

  it('adds cluster mix and bracket advice, and cohorts only when given', () => {
    expect(review.clusterMix.map((m) => m.mainSegment)).toEqual(['High', 'Low']);
    // Two active accounts cannot fill three brackets: the advice says why instead of guessing.
    expect(review.bracketAdvice.status).toBe('insufficient-data');
    expect(review.cohorts).toBeNull();
    const withCohorts = buildQuarterlyReview({
      analysis,
      history: [],
      clusters,
      segments,
      fiscalYearStartMonth: 1,
      cohorts: [],
    });
    expect(withCohorts.cohorts).toEqual([]);
    expect(withCohorts.changes).toEqual([]);
  });

  it('refuses a monthly analysis', () => {
    expect(() =>
      buildQuarterlyReview({
        analysis: analysisFor('2026-09'),
        history: [],
        clusters,
        segments,
        fiscalYearStartMonth: 1,
      }),
    ).toThrow(RevsegError);
  });
});

describe('planPeriod', () => {
  it('plans hours from the 60/30/10 split and flags the owner above capacity', () => {
    // Owners: jane (A-1 High, A-3 Inactive) and jose (A-2 Low), 120 h each by default: 240 h.
    const { resourcePlan, clusters } = planPeriod(
      analysisFor('2026-10'),
      config,
      parsePlaybook({}, config.segments),
    );
    expect(clusters.status).toBe('insufficient-data');
    expect(resourcePlan.teamHoursPerMonth).toBe(240);
    const high = resourcePlan.segments.find((s) => s.segment === 'High');
    // 60% of 240 h over one High account.
    expect(high?.hoursPerAccountPerMonth).toBe(144);
    // Medium has no account: its 30% (72 h) is unallocated.
    expect(resourcePlan.unallocatedHoursPerMonth).toBe(72);
    // jane carries 144 h against an assumed 120 h: 1.2 times an assumed capacity is an uneven split, not an overload.
    expect(resourcePlan.overloadedOwners).toEqual([]);
    expect(resourcePlan.owners.find((o) => o.ownerEmail === 'jose@example.com')?.plannedHoursPerMonth).toBe(
      24,
    );
  });
});

describe('runPlaybook', () => {
  const twoBrackets = {
    segments: {
      brackets: [
        { name: 'Key', min: 50_000 },
        { name: 'Other', min: 0, minInclusive: false },
      ],
    },
  };

  it('uses the defaults for the default brackets', () => {
    expect(Object.keys(runPlaybook(config))).toEqual(['High', 'Medium', 'Low']);
  });

  it('gives custom brackets without a playbook an empty one instead of failing the run', () => {
    const custom = parseRunConfig(twoBrackets);
    expect(runPlaybook(custom)).toEqual({});
    const plan = planPeriod(analysisFor('2026-10'), custom, runPlaybook(custom)).resourcePlan;
    expect(plan.segments).toEqual([]);
    expect(plan.reviewsDue).toEqual([]);
  });

  it('uses a configured playbook for custom brackets', () => {
    const entry = {
      pitchApproach: 'Direct',
      keyElements: ['Value'],
      services: [],
      marketing: 'Automated',
      supportLevel: 'Portal',
      reviewCadence: 'annual',
    };
    const custom = parseRunConfig({
      ...twoBrackets,
      playbook: { Key: { ...entry, salesTimeShare: 70 }, Other: { ...entry, salesTimeShare: 30 } },
    });
    expect(runPlaybook(custom).Other?.salesTimeShare).toBe(30);
  });
});

describe('snapshot with clusters', () => {
  const analysis = analysisFor('2026-Q3', 'quarterly');
  const clusters = clustering(
    [
      ['A-1', 0],
      ['A-2', 1],
      ['A-3', null],
    ],
    [
      { ...profile(0, 'large, frequent', 1), revenueT12m: 150_000, revenueShare: 150 / 155 },
      { ...profile(1, 'small, new', 1), revenueT12m: 5_000, revenueShare: 5 / 155 },
    ],
  );
  const build = (withClusters: boolean) =>
    buildSnapshotTables({
      analysis,
      quarantine,
      quarantinedRows,
      config,
      generatedAt: new Date('2026-10-02T06:00:00Z'),
      clusters: withClusters ? clusters : undefined,
    });

  it('puts each account’s cluster beside its segment and writes segment_clusters', () => {
    const tables = build(true).tables;
    const accounts = tables.find((t) => t.name === 'account_segments')?.rows ?? [];
    expect(accounts.map((r) => [r.account_id, r.segment, r.cluster_id, r.cluster_label])).toEqual([
      ['A-1', 'High', 0, 'large, frequent'],
      ['A-2', 'Low', 1, 'small, new'],
      ['A-3', 'Inactive', null, null],
    ]);
    const profiles = tables.find((t) => t.name === 'segment_clusters')?.rows ?? [];
    expect(profiles).toMatchObject([
      {
        cluster_id: 0,
        cluster_label: 'large, frequent',
        revenue_t12m: 150_000,
        k: 2,
        seed: 42,
        silhouette: 0.5,
      },
      { cluster_id: 1, cluster_label: 'small, new', revenue_t12m: 5_000, clustered_accounts: 2 },
    ]);
    expect(profiles[0]).toMatchObject({ period_start: '2026-07-01', period_end: '2026-09-30' });
  });

  it('leaves cluster columns empty and writes no segment_clusters without a clustering', () => {
    const tables = build(false).tables;
    expect(tables.map((t) => t.name)).not.toContain('segment_clusters');
    const accounts = tables.find((t) => t.name === 'account_segments')?.rows ?? [];
    expect(accounts.every((r) => r.cluster_id === null && r.cluster_label === null)).toBe(true);
  });
});

describe('segmentQuarterFromRow', () => {
  const row = {
    segment: 'High',
    rank: 0,
    accounts: 3,
    revenue_t12m: 1_000,
    revenue_share: 0.5,
    arpa: null,
    retention_nrr: 1.1,
    retention_grr: null,
  };

  it('reads a segment_kpis row', () => {
    expect(segmentQuarterFromRow(row, 'here')).toEqual({
      segment: 'High',
      rank: 0,
      accounts: 3,
      revenueT12m: 1_000,
      revenueShare: 0.5,
      arpa: null,
      nrr: 1.1,
      grr: null,
    });
  });

  it.each([
    [{ ...row, revenue_t12m: null }, /row 2: revenue_t12m must be a number, got null/],
    [{ ...row, segment: '' }, /row 2: segment must be set/],
    [{ ...row, retention_nrr: 'x' }, /row 2: retention_nrr must be a number or null, got "x"/],
  ])('names the row and field of a bad value', (bad, message) => {
    expect(() => segmentQuarterFromRow(bad, 'segment_kpis of quarterly 2026-Q2, row 2')).toThrow(message);
  });
});

describe('review and resource plan sections', () => {
  const analysis = analysisFor('2026-Q3', 'quarterly');
  const playbook = parsePlaybook({}, config.segments);
  const { resourcePlan, clusters } = planPeriod(analysis, config, playbook);
  const review = buildQuarterlyReview({ analysis, history: [], clusters, segments, fiscalYearStartMonth: 1 });
  const ctx: ReportContext = {
    config,
    analysis,
    quarantine,
    generatedAt: new Date('2026-10-02T06:00:00Z'),
    snapshotLocation: '/tmp/store',
    review,
    clusters,
    resourcePlan,
  };
  const text = (blocks: ReturnType<typeof resourcePlanBlocks>) =>
    renderText({ title: 't', preheader: '', blocks, footer: [] }, Number.POSITIVE_INFINITY);

  it('says what is missing instead of inventing a trend', () => {
    const out = text(quarterlyReviewBlocks(ctx, fmt));
    expect(out).toContain('No complete quarterly snapshot of Q4 2025, Q1 2026, Q2 2026: run those quarters');
    expect(out).toContain('Not clustered: 2 accounts with revenue');
    expect(out).toContain('No advice this quarter: 2 distinct revenue values');
    expect(out).toContain('- Only this quarter has a snapshot, so there is no four-quarter comparison yet');
    expect(out).toContain('Q3 2026, each quarter');
    expect(out).not.toContain('Cohort trends');
  });

  it('says when no playbook applies instead of planning zero hours', () => {
    const out = text(resourcePlanBlocks({ ...ctx, resourcePlan: { ...resourcePlan, segments: [] } }, fmt));
    expect(out).toContain('No playbook applies to the configured segments');
    expect(out).not.toContain('Overloaded');
  });

  it('is empty without a review (monthly runs)', () => {
    expect(quarterlyReviewBlocks({ ...ctx, review: undefined }, fmt)).toEqual([]);
    expect(resourcePlanBlocks({ ...ctx, resourcePlan: undefined }, fmt)).toEqual([]);
  });

  it('shows each owner’s load and hours, and does not call 120% of an assumed capacity overloaded', () => {
    // jane: 144 h for A-1 (60% of 240 h) against an assumed 120 h = 120%.
    const out = text(resourcePlanBlocks(ctx, fmt));
    expect(out).not.toContain('OVERLOADED');
    expect(out).toMatch(/Jane Doe \(jane@example\.com\)\s+2\s+144\.0 h\s+120\.0 h \(default\)\s+120\.0%/);
    expect(out).toContain('72.0 h per month go to segments without accounts.');
  });
});
