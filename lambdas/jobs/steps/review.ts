import type { RunConfig } from '../../core/config.ts';
import type { CohortCell } from '../../core/models/cohorts.ts';
import {
  buildQuarterlyReview,
  type PeriodPlan,
  planPeriod,
  type QuarterlyReview,
  type QuarterPerformance,
  runPlaybook,
} from '../../core/quarterly-review.ts';
import type { PortfolioAnalysis } from '../../core/types.ts';

/** Clusters and resource plan of every run, and the quarterly review of a quarterly run. */
export interface ClusterAndPlan extends PeriodPlan {
  /** Only for quarterly runs. */
  readonly review?: QuarterlyReview;
}

/**
 * The `cluster and plan` stage of a run. Steps:
 * 1. take the playbook (configured, default, or none for custom brackets without one);
 * 2. cluster the accounts and build the resource plan (every run);
 * 3. for a quarterly run, build the quarterly review from the earlier quarters' segment KPIs (read from their
 *    snapshots by the job; the review takes the three before this one) and the cohorts the models computed.
 */
export function clusterAndPlan(
  analysis: PortfolioAnalysis,
  config: RunConfig,
  history: readonly QuarterPerformance[],
  cohorts?: readonly CohortCell[],
): ClusterAndPlan {
  const plan = planPeriod(analysis, config, runPlaybook(config));
  if (analysis.period.cadence !== 'quarterly') return plan;
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
