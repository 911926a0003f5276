import type { RunConfig } from '../../core/config.ts';
import type { CohortCell } from '../../core/models/cohorts.ts';
import { parsePeriod } from '../../core/period.ts';
import {
  buildQuarterlyReview,
  type PeriodPlan,
  planPeriod,
  type QuarterlyReview,
  type QuarterPerformance,
  reviewQuarterIds,
  runPlaybook,
  type SegmentQuarter,
} from '../../core/quarterly-review.ts';
import { SnapshotError } from '../../core/snapshot/snapshot-error.ts';
import type { SnapshotRow } from '../../core/snapshot/tables.ts';
import type { PortfolioAnalysis } from '../../core/types.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { readSnapshotTable } from './snapshot-store.ts';

/** Clusters and resource plan of every run, and the quarterly review of a quarterly run. */
export interface ClusterAndPlan extends PeriodPlan {
  /** Only for quarterly runs. */
  readonly review?: QuarterlyReview;
}

function numberField(row: SnapshotRow, field: string, where: string, nullable: boolean): number | null {
  const value = row[field];
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SnapshotError(
      `${where}: ${field} must be a number${nullable ? ' or null' : ''}, got ${JSON.stringify(value ?? null)}; rerun that quarter to rewrite its snapshot`,
    );
  }
  return value;
}

/** Reads one `segment_kpis` snapshot row as the review's per-quarter KPIs; the error names the row and field. */
export function segmentQuarterFromRow(row: SnapshotRow, where: string): SegmentQuarter {
  const segment = row.segment;
  if (typeof segment !== 'string' || segment.length === 0) {
    throw new SnapshotError(
      `${where}: segment must be set, got ${JSON.stringify(segment ?? null)}; rerun that quarter to rewrite its snapshot`,
    );
  }
  return {
    segment,
    rank: numberField(row, 'rank', where, false) as number,
    accounts: numberField(row, 'accounts', where, false) as number,
    revenueT12m: numberField(row, 'revenue_t12m', where, false) as number,
    revenueShare: numberField(row, 'revenue_share', where, false) as number,
    arpa: numberField(row, 'arpa', where, true),
    nrr: numberField(row, 'retention_nrr', where, true),
    grr: numberField(row, 'retention_grr', where, true),
  };
}

/**
 * The segment KPIs of the quarters before `periodId` in the review window (three by default), read from
 * their complete quarterly `segment_kpis` snapshots; a quarter without a complete snapshot is left out.
 */
export async function readQuarterHistory(
  store: ObjectStore,
  periodId: string,
  fiscalYearStartMonth: number,
): Promise<QuarterPerformance[]> {
  const period = parsePeriod(periodId, 'quarterly', fiscalYearStartMonth);
  const earlier = reviewQuarterIds(period, fiscalYearStartMonth).slice(0, -1);
  const history: QuarterPerformance[] = [];
  for (const id of earlier) {
    const rows = await readSnapshotTable(store, 'segment_kpis', 'quarterly', id);
    if (rows === undefined) continue;
    history.push({
      periodId: id,
      segments: rows.map((row, i) =>
        segmentQuarterFromRow(row, `segment_kpis of quarterly ${id}, row ${i + 1}`),
      ),
    });
  }
  return history;
}

/**
 * The `cluster and plan` stage of a run. Steps:
 * 1. take the playbook (configured, default, or none for custom brackets without one);
 * 2. cluster the accounts and build the resource plan (every run);
 * 3. for a quarterly run, read the previous three quarters' segment KPIs from their snapshots and build
 *    the quarterly review (with cohort trends when the models computed cohorts).
 */
export async function clusterAndPlan(
  store: ObjectStore,
  analysis: PortfolioAnalysis,
  config: RunConfig,
  cohorts?: readonly CohortCell[],
): Promise<ClusterAndPlan> {
  const plan = planPeriod(analysis, config, runPlaybook(config));
  if (analysis.period.cadence !== 'quarterly') return plan;
  const history = await readQuarterHistory(store, analysis.period.id, config.fiscalYearStartMonth);
  const review = buildQuarterlyReview({
    analysis,
    history,
    clusters: plan.clusters,
    segments: config.segments,
    fiscalYearStartMonth: config.fiscalYearStartMonth,
    cohorts,
  });
  return { ...plan, review };
}
