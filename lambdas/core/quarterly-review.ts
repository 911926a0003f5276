import { adviseBrackets, type BracketAdvice } from './clustering/bracket-advice.ts';
import { type ClusteringResult, clusterAccounts } from './clustering/cluster-accounts.ts';
import { type RunConfig, type SegmentsConfig, segmentOrder } from './config.ts';
import { ConfigError, RevsegError } from './errors.ts';
import { NEW_ACCOUNT_LABEL } from './metrics/migration-matrix.ts';
import type { CohortCell } from './models/cohorts.ts';
import { type Period, previousPeriod } from './period.ts';
import { type Playbook, parsePlaybook } from './playbook/playbook-config.ts';
import { buildResourcePlan, type ResourcePlan } from './playbook/resource-plan.ts';
import type { MigrationCell, PortfolioAnalysis, SegmentKpi } from './types.ts';

/** How many quarters the review's segment performance covers, the current one included. */
export const REVIEW_QUARTERS = 4;

/** One segment's headline KPIs in one quarter, as the `segment_kpis` snapshot holds them. */
export interface SegmentQuarter {
  readonly segment: string;
  /** Position in report order, 0 = highest bracket. */
  readonly rank: number;
  readonly accounts: number;
  readonly revenueT12m: number;
  readonly revenueShare: number;
  readonly arpa: number | null;
  readonly nrr: number | null;
  readonly grr: number | null;
}

/** Every segment's headline KPIs in one quarter. */
export interface QuarterPerformance {
  readonly periodId: string;
  readonly segments: readonly SegmentQuarter[];
}

/** Accounts and revenue of one kind of move between segments over the quarter. */
export interface MigrationFlow {
  readonly accounts: number;
  /** Their T12M at the quarter's end. */
  readonly revenueT12m: number;
  /** Their T12M at the previous quarter's end. */
  readonly previousRevenueT12m: number;
}

/** The quarter's migration matrix summed by direction. */
export interface MigrationSummary {
  readonly basis: PortfolioAnalysis['migrationBasis'];
  readonly stayed: MigrationFlow;
  /** Moved to a higher revenue bracket. */
  readonly upgraded: MigrationFlow;
  /** Moved to a lower revenue bracket. */
  readonly downgraded: MigrationFlow;
  /** Moved from a revenue bracket to the inactive segment. */
  readonly churned: MigrationFlow;
  /** Moved from the inactive segment back into a revenue bracket. */
  readonly reactivated: MigrationFlow;
  /** Had no segment at the previous quarter's end. */
  readonly newAccounts: MigrationFlow;
  /** Moved from a segment that is no longer configured. */
  readonly other: MigrationFlow;
  /** The largest moves between two different segments (new accounts excluded), most accounts first, at most 3. */
  readonly largestMoves: readonly MigrationCell[];
}

/** How a cluster's accounts spread over the configured segments. */
export interface ClusterMix {
  readonly clusterId: number;
  /** Accounts per segment, in report order, segments without accounts left out. */
  readonly bySegment: readonly { readonly segment: string; readonly accounts: number }[];
  /** The segment holding most of the cluster's accounts (the higher segment on a tie). */
  readonly mainSegment: string;
}

/** One first-purchase cohort's retention at fixed ages, for the cohort trend table. */
export interface CohortTrend {
  /** First day of the cohort's first-purchase quarter (ISO). */
  readonly cohort: string;
  readonly cohortAccounts: number;
  /** Oldest age observed, in quarters. */
  readonly ageQuarters: number;
  /** Logo retention one quarter after acquisition; null until the cohort is that old. */
  readonly logoRetentionQ1: number | null;
  /** Logo and revenue retention four quarters after acquisition; null until the cohort is that old. */
  readonly logoRetentionQ4: number | null;
  readonly revenueRetentionQ4: number | null;
}

/** A measure the review compares between its first and last quarter. */
export type ReviewMeasure = 'revenue' | 'share' | 'accounts' | 'arpa' | 'nrr';

/** The segment whose measure moved most between the review's first and last quarter. */
export interface ReviewChange {
  readonly measure: ReviewMeasure;
  readonly segment: string;
  readonly fromPeriodId: string;
  readonly toPeriodId: string;
  readonly from: number;
  readonly to: number;
  /** `to - from` (a difference of ratios for share and NRR). */
  readonly delta: number;
}

/** The quarterly review for leadership (issue 5 item 3). */
export interface QuarterlyReview {
  readonly periodId: string;
  /** Quarters with a complete snapshot (and the current one), oldest first; at most REVIEW_QUARTERS. */
  readonly quarters: readonly QuarterPerformance[];
  /** Earlier quarters of the window without a complete quarterly snapshot, oldest first. */
  readonly missingQuarters: readonly string[];
  readonly migration: MigrationSummary;
  readonly clusters: ClusteringResult;
  /** One per cluster profile, same order. */
  readonly clusterMix: readonly ClusterMix[];
  /** Advice only: nothing is reclassified. */
  readonly bracketAdvice: BracketAdvice;
  /** Newest cohort first, at most 8; null when no cohort table was computed. */
  readonly cohorts: readonly CohortTrend[] | null;
  /** Largest move per measure, in ReviewMeasure order; empty with a single quarter. */
  readonly changes: readonly ReviewChange[];
}

/** What the review is built from. */
export interface QuarterlyReviewInput {
  readonly analysis: PortfolioAnalysis;
  /** Earlier quarters read from the snapshots, any order; quarters outside the window are ignored. */
  readonly history: readonly QuarterPerformance[];
  readonly clusters: ClusteringResult;
  readonly segments: SegmentsConfig;
  readonly fiscalYearStartMonth: number;
  /** The cohort table, when the models computed one. */
  readonly cohorts?: readonly CohortCell[];
}

/** Clusters and the resource plan: what every run computes beside the segments. */
export interface PeriodPlan {
  readonly clusters: ClusteringResult;
  readonly resourcePlan: ResourcePlan;
}

/**
 * The run's playbook: the configured one (checked at config load), or the defaults when none is given and
 * they fit the brackets. Custom brackets without a playbook get an empty one, so runs still work: no
 * reviews, hours or pitch guidance until a playbook is configured (the reports say so).
 */
export function runPlaybook(config: RunConfig): Playbook {
  if (Object.keys(config.playbook).length > 0) {
    return parsePlaybook(config.playbook, config.segments, 'config: playbook');
  }
  try {
    return parsePlaybook({}, config.segments, 'config: playbook');
  } catch (error) {
    if (error instanceof ConfigError) return {};
    throw error;
  }
}

/** A segment's KPI row reduced to what the quarterly trend shows. */
export function segmentQuarterOf(kpi: SegmentKpi): SegmentQuarter {
  return {
    segment: kpi.segment,
    rank: kpi.rank,
    accounts: kpi.accounts,
    revenueT12m: kpi.revenueT12m,
    revenueShare: kpi.revenueShare,
    arpa: kpi.arpa,
    nrr: kpi.retention.nrr,
    grr: kpi.retention.grr,
  };
}

/** Ids of the `count` quarters ending with `period`, oldest first. */
export function reviewQuarterIds(
  period: Period,
  fiscalYearStartMonth: number,
  count = REVIEW_QUARTERS,
): string[] {
  const ids = [period.id];
  let at = period;
  for (let i = 1; i < count; i++) {
    at = previousPeriod(at, fiscalYearStartMonth);
    ids.unshift(at.id);
  }
  return ids;
}

/**
 * Clusters the period's accounts (every run) and plans the team's time from the playbook and capacity
 * (see `clusterAccounts` and `buildResourcePlan`).
 */
export function planPeriod(analysis: PortfolioAnalysis, config: RunConfig, playbook: Playbook): PeriodPlan {
  return {
    clusters: clusterAccounts(analysis.accounts, config.clustering),
    resourcePlan: buildResourcePlan(analysis.accounts, playbook, config.capacity, analysis.period),
  };
}

const emptyFlow = (): { accounts: number; revenueT12m: number; previousRevenueT12m: number } => ({
  accounts: 0,
  revenueT12m: 0,
  previousRevenueT12m: 0,
});

/**
 * Sums the migration matrix by direction: the rank of a segment is its place in the configured brackets
 * (0 = highest), the inactive segment below them all.
 */
export function summarizeMigration(
  cells: readonly MigrationCell[],
  basis: PortfolioAnalysis['migrationBasis'],
  segments: SegmentsConfig,
): MigrationSummary {
  const rank = new Map(segmentOrder(segments).map((name, i) => [name, i]));
  const inactive = segments.inactiveName;
  const flows = {
    stayed: emptyFlow(),
    upgraded: emptyFlow(),
    downgraded: emptyFlow(),
    churned: emptyFlow(),
    reactivated: emptyFlow(),
    newAccounts: emptyFlow(),
    other: emptyFlow(),
  };
  for (const cell of cells) {
    if (cell.accounts === 0) continue;
    const from = rank.get(cell.fromSegment);
    const to = rank.get(cell.toSegment);
    let flow: keyof typeof flows;
    if (cell.fromSegment === NEW_ACCOUNT_LABEL) flow = 'newAccounts';
    else if (from === undefined || to === undefined) flow = 'other';
    else if (from === to) flow = 'stayed';
    else if (cell.toSegment === inactive) flow = 'churned';
    else if (cell.fromSegment === inactive) flow = 'reactivated';
    else flow = to < from ? 'upgraded' : 'downgraded';
    const f = flows[flow];
    f.accounts += cell.accounts;
    f.revenueT12m += cell.revenueT12m;
    f.previousRevenueT12m += cell.previousRevenueT12m;
  }
  const largestMoves = cells
    .filter((c) => c.accounts > 0 && c.fromSegment !== c.toSegment && c.fromSegment !== NEW_ACCOUNT_LABEL)
    .sort((a, b) => b.accounts - a.accounts || b.previousRevenueT12m - a.previousRevenueT12m)
    .slice(0, 3);
  return { basis, ...flows, largestMoves };
}

/** How each cluster's accounts spread over the configured segments. */
export function clusterSegmentMix(
  clusters: ClusteringResult,
  accounts: readonly { readonly accountId: string; readonly segment: string }[],
  segments: SegmentsConfig,
): ClusterMix[] {
  const segmentOf = new Map(accounts.map((a) => [a.accountId, a.segment]));
  const order = segmentOrder(segments);
  const counts = new Map<number, Map<string, number>>();
  for (const a of clusters.assignments) {
    if (a.clusterId === null) continue;
    const segment = segmentOf.get(a.accountId);
    if (segment === undefined) continue;
    const row = counts.get(a.clusterId) ?? new Map<string, number>();
    row.set(segment, (row.get(segment) ?? 0) + 1);
    counts.set(a.clusterId, row);
  }
  return clusters.profiles.map((p) => {
    const row = counts.get(p.clusterId) ?? new Map<string, number>();
    const names = [...order, ...[...row.keys()].filter((s) => !order.includes(s)).sort()];
    const bySegment = names.flatMap((segment) => {
      const n = row.get(segment) ?? 0;
      return n > 0 ? [{ segment, accounts: n }] : [];
    });
    const main = bySegment.reduce<{ segment: string; accounts: number } | undefined>(
      (best, s) => (!best || s.accounts > best.accounts ? s : best),
      undefined,
    );
    return { clusterId: p.clusterId, bySegment, mainSegment: main?.segment ?? '' };
  });
}

/** Retention of the newest `limit` cohorts one and four quarters after acquisition. */
export function cohortTrends(cells: readonly CohortCell[], limit = 8): CohortTrend[] {
  const byCohort = new Map<string, CohortCell[]>();
  for (const cell of cells) {
    const list = byCohort.get(cell.cohort) ?? [];
    list.push(cell);
    byCohort.set(cell.cohort, list);
  }
  return [...byCohort.entries()]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .slice(0, limit)
    .map(([cohort, list]) => {
      const at = (age: number) => list.find((c) => c.ageQuarters === age);
      return {
        cohort,
        cohortAccounts: list[0]?.cohortAccounts ?? 0,
        ageQuarters: Math.max(...list.map((c) => c.ageQuarters)),
        logoRetentionQ1: at(1)?.logoRetention ?? null,
        logoRetentionQ4: at(4)?.logoRetention ?? null,
        revenueRetentionQ4: at(4)?.revenueRetention ?? null,
      };
    });
}

const MEASURES: readonly { measure: ReviewMeasure; value: (s: SegmentQuarter) => number | null }[] = [
  { measure: 'revenue', value: (s) => s.revenueT12m },
  { measure: 'share', value: (s) => s.revenueShare },
  { measure: 'accounts', value: (s) => s.accounts },
  { measure: 'arpa', value: (s) => s.arpa },
  { measure: 'nrr', value: (s) => s.nrr },
];

/**
 * For each measure, the segment whose value moved most (largest absolute difference) between the first
 * and the last quarter; segments missing a value in either quarter are skipped, unchanged measures left out.
 */
export function largestChanges(quarters: readonly QuarterPerformance[]): ReviewChange[] {
  const first = quarters[0];
  const last = quarters.at(-1);
  if (!first || !last || first === last) return [];
  const changes: ReviewChange[] = [];
  for (const { measure, value } of MEASURES) {
    let best: ReviewChange | undefined;
    for (const now of [...last.segments].sort((a, b) => a.rank - b.rank)) {
      const before = first.segments.find((s) => s.segment === now.segment);
      const from = before ? value(before) : null;
      const to = value(now);
      if (from === null || to === null || !Number.isFinite(from) || !Number.isFinite(to)) continue;
      const delta = to - from;
      if (delta !== 0 && (!best || Math.abs(delta) > Math.abs(best.delta))) {
        best = {
          measure,
          segment: now.segment,
          fromPeriodId: first.periodId,
          toPeriodId: last.periodId,
          from,
          to,
          delta,
        };
      }
    }
    if (best) changes.push(best);
  }
  return changes;
}

/**
 * Builds the quarterly review of a quarterly run. Steps: the segment KPIs of the previous three quarters
 * (those with a snapshot) and of this quarter, oldest first; the quarter's migration matrix summed by
 * direction; cluster profiles with their segment mix; natural-breaks bracket advice on this quarter's
 * T12M (never applied); cohort retention trends when a cohort table is given; the largest change per
 * measure between the first and last quarter shown.
 * @throws RevsegError when the analysis is not of a quarter.
 */
export function buildQuarterlyReview(input: QuarterlyReviewInput): QuarterlyReview {
  const { analysis, segments } = input;
  const period = analysis.period;
  if (period.cadence !== 'quarterly') {
    throw new RevsegError(
      `the quarterly review needs a quarterly run; ${period.id} is ${period.cadence}: run the quarter (e.g. 2026-Q3)`,
    );
  }
  const window = reviewQuarterIds(period, input.fiscalYearStartMonth);
  const earlier = window.slice(0, -1);
  const byId = new Map(input.history.map((q) => [q.periodId, q]));
  const current: QuarterPerformance = {
    periodId: period.id,
    segments: [...analysis.segments].sort((a, b) => a.rank - b.rank).map(segmentQuarterOf),
  };
  const quarters = [
    ...earlier.flatMap((id) => {
      const q = byId.get(id);
      return q ? [{ ...q, segments: [...q.segments].sort((a, b) => a.rank - b.rank) }] : [];
    }),
    current,
  ];
  return {
    periodId: period.id,
    quarters,
    missingQuarters: earlier.filter((id) => !byId.has(id)),
    migration: summarizeMigration(analysis.migrations, analysis.migrationBasis, segments),
    clusters: input.clusters,
    clusterMix: clusterSegmentMix(input.clusters, analysis.accounts, segments),
    bracketAdvice: adviseBrackets(analysis.accounts, segments),
    cohorts: input.cohorts ? cohortTrends(input.cohorts) : null,
    changes: largestChanges(quarters),
  };
}
