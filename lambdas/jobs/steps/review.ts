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
} from '../../core/quarterly-review.ts';
import type { PortfolioAnalysis } from '../../core/types.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { readSegmentKpiHistory } from './snapshot-history.ts';

/** Clusters and resource plan of every run, and the quarterly review of a quarterly run. */
export interface ClusterAndPlan extends PeriodPlan {
  /** Only for quarterly runs. */
  readonly review?: QuarterlyReview;
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
  return readSegmentKpiHistory(store, 'quarterly', earlier);
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
