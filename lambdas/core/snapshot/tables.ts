import type { CampaignRateRow, CampaignReport } from '../campaigns/campaign-responses.ts';
import type { ClusteringResult, ClusterProfile } from '../clustering/cluster-accounts.ts';
import { METRIC_DEFINITION_VERSION, type RunConfig } from '../config.ts';
import type { AccountEngagement, EngagementByAccount } from '../engagement/engagement.ts';
import type { FirmographicKpi } from '../firmographics/firmographic-kpis.ts';
import type { FxConversionRow, FxSummary } from '../fx/fx-conversion.ts';
import type { AccountPrediction } from '../insights.ts';
import type { CohortCell } from '../models/cohorts.ts';
import type { AppliedOverride, SegmentOverrideOutcome } from '../overrides/segment-overrides.ts';
import type { Cadence } from '../period.ts';
import type { Predictions } from '../predictions.ts';
import { type QuarantinedRow, type QuarantineSummary, quarantineReasonText } from '../quarantine.ts';
import type {
  OwnerSalesEfficiency,
  SalesEfficiency,
  SegmentSalesEfficiency,
} from '../sales/sales-efficiency.ts';
import type { OpportunityMetrics } from '../sales/sales-metrics.ts';
import type {
  ClassifiedAccount,
  MigrationCell,
  PortfolioAnalysis,
  PortfolioKpis,
  Retention,
  RevenueBridge,
  SegmentKpi,
} from '../types.ts';

/** Column types of the snapshot tables; each reads back as the same type in Athena and DuckDB (STRING is VARCHAR). */
export type SnapshotColumnType = 'STRING' | 'DOUBLE' | 'BIGINT' | 'DATE' | 'BOOLEAN';

/** One cell: DATE columns hold ISO `YYYY-MM-DD` strings, BIGINT columns whole numbers. */
export type SnapshotValue = string | number | boolean | null;

/** One row of a snapshot table, keyed by column name. */
export type SnapshotRow = Readonly<Record<string, SnapshotValue>>;

/** What every row carries besides its own values: the period and how the numbers were made. */
export interface SnapshotRunContext {
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly metricVersion: string;
  /** The config's brackets as JSON. */
  readonly brackets: string;
  readonly currency: string;
  /** ISO timestamp of the run. */
  readonly generatedAt: string;
}

/** Declares one column: its name, its type, and how to read its value from a source row. */
export interface SnapshotColumn<R> {
  readonly name: string;
  readonly type: SnapshotColumnType;
  readonly value: (row: R, run: SnapshotRunContext) => SnapshotValue;
}

/** A column's name and type, without the source: what Glue and Parquet schemas need. */
export interface SnapshotColumnSchema {
  readonly name: string;
  readonly type: SnapshotColumnType;
}

export const SNAPSHOT_TABLE_NAMES = [
  'account_segments',
  'segment_kpis',
  'portfolio_kpis',
  'segment_migrations',
  'cohort_retention',
  'quarantine',
  'segment_clusters',
  'segment_firmographics',
  'segment_sales_efficiency',
  'owner_sales_efficiency',
  'campaign_response_rates',
  'currency_conversion',
] as const;
export type SnapshotTableName = (typeof SNAPSHOT_TABLE_NAMES)[number];

/** The declarative definition of one table: one entry per column, in file order. */
export interface SnapshotTableDefinition<R> {
  readonly name: SnapshotTableName;
  readonly columns: readonly SnapshotColumn<R>[];
}

/** One table ready to encode: its schema and its rows. */
export interface SnapshotTable {
  readonly name: SnapshotTableName;
  readonly columns: readonly SnapshotColumnSchema[];
  /** The rows as objects (a table built by `materializeTable` builds them only when asked). */
  readonly rows: readonly SnapshotRow[];
  /** Number of rows, when known without building them. */
  readonly rowCount?: number;
  /**
   * One column's values in row order, straight from the table's sources: the encoder reads a table column by
   * column, and 133k accounts x 60 columns as row objects held 0.8 GB at once.
   */
  readonly columnValues?: (column: string) => readonly (SnapshotValue | undefined)[];
}

/** Every table of one period's snapshot, with what identifies the run. */
export interface SnapshotTables {
  readonly cadence: Cadence;
  readonly periodId: string;
  readonly metricVersion: string;
  readonly generatedAt: string;
  readonly tables: readonly SnapshotTable[];
}

/** Source row of `portfolio_kpis`: the portfolio KPIs and the input check's counts. */
export interface PortfolioRow {
  readonly kpis: PortfolioKpis;
  readonly quarantine: QuarantineSummary;
}

/** Source row of `segment_migrations`: one matrix cell and where the previous segments came from. */
export interface MigrationRow extends MigrationCell {
  readonly basis: PortfolioAnalysis['migrationBasis'];
}

const runColumns: readonly SnapshotColumn<unknown>[] = [
  { name: 'period_start', type: 'DATE', value: (_, run) => run.periodStart },
  { name: 'period_end', type: 'DATE', value: (_, run) => run.periodEnd },
  { name: 'metric_version', type: 'STRING', value: (_, run) => run.metricVersion },
  { name: 'brackets', type: 'STRING', value: (_, run) => run.brackets },
  { name: 'currency', type: 'STRING', value: (_, run) => run.currency },
  { name: 'generated_at', type: 'STRING', value: (_, run) => run.generatedAt },
];

function retentionColumns<R>(get: (row: R) => Retention): SnapshotColumn<R>[] {
  return [
    { name: 'retention_nrr', type: 'DOUBLE', value: (r) => get(r).nrr },
    { name: 'retention_grr', type: 'DOUBLE', value: (r) => get(r).grr },
    { name: 'retention_logo_retention', type: 'DOUBLE', value: (r) => get(r).logoRetention },
    { name: 'retention_base_accounts', type: 'BIGINT', value: (r) => get(r).baseAccounts },
    { name: 'retention_base_revenue', type: 'DOUBLE', value: (r) => get(r).baseRevenue },
  ];
}

function bridgeColumns<R>(get: (row: R) => RevenueBridge): SnapshotColumn<R>[] {
  return [
    { name: 'bridge_opening', type: 'DOUBLE', value: (r) => get(r).opening },
    { name: 'bridge_new', type: 'DOUBLE', value: (r) => get(r).new },
    { name: 'bridge_expansion', type: 'DOUBLE', value: (r) => get(r).expansion },
    { name: 'bridge_contraction', type: 'DOUBLE', value: (r) => get(r).contraction },
    { name: 'bridge_churn', type: 'DOUBLE', value: (r) => get(r).churn },
    { name: 'bridge_reactivation', type: 'DOUBLE', value: (r) => get(r).reactivation },
    { name: 'bridge_transfers_in', type: 'DOUBLE', value: (r) => get(r).transfersIn },
    { name: 'bridge_transfers_out', type: 'DOUBLE', value: (r) => get(r).transfersOut },
    { name: 'bridge_closing', type: 'DOUBLE', value: (r) => get(r).closing },
  ];
}

/** Source row of `account_segments`: the classified account and its cluster (null when not clustered). */
export interface AccountSegmentRow extends ClassifiedAccount {
  readonly clusterId?: number | null;
  readonly clusterLabel?: string | null;
  /** The models' outputs for the account (issue 4); absent or null when the run made no predictions. */
  readonly prediction?: AccountPrediction | null;
  /** The sales team's override in force (issue 8); absent or null when the account is not overridden. */
  readonly override?: AppliedOverride | null;
  /** The account's engagement from the activities input (issue 8); absent or null when the run had none. */
  readonly engagement?: AccountEngagement | null;
}

/** Source row of `segment_clusters`: one cluster profile and how the clustering was chosen. */
export interface ClusterRow extends ClusterProfile {
  readonly k: number;
  readonly silhouette: number | null;
  readonly seed: number;
  readonly clusteredAccounts: number;
}

/** One row per account and period. */
export const ACCOUNT_SEGMENTS: SnapshotTableDefinition<AccountSegmentRow> = {
  name: 'account_segments',
  columns: [
    { name: 'account_id', type: 'STRING', value: (a) => a.accountId },
    { name: 'account_name', type: 'STRING', value: (a) => a.accountName },
    { name: 'owner_email', type: 'STRING', value: (a) => a.ownerEmail },
    { name: 'owner_name', type: 'STRING', value: (a) => a.ownerName },
    { name: 'industry', type: 'STRING', value: (a) => a.industry },
    { name: 'country', type: 'STRING', value: (a) => a.country },
    { name: 'employee_count', type: 'BIGINT', value: (a) => a.employeeCount },
    { name: 'created_on', type: 'DATE', value: (a) => a.createdOn },
    { name: 'last_reviewed_on', type: 'DATE', value: (a) => a.lastReviewOn ?? null },
    { name: 'segment', type: 'STRING', value: (a) => a.segment },
    { name: 'computed_segment', type: 'STRING', value: (a) => a.override?.computedSegment ?? a.segment },
    { name: 'override_reason', type: 'STRING', value: (a) => a.override?.reason ?? null },
    { name: 'override_set_by', type: 'STRING', value: (a) => a.override?.setBy ?? null },
    { name: 'override_expires_on', type: 'DATE', value: (a) => a.override?.expiresOn ?? null },
    { name: 'previous_segment', type: 'STRING', value: (a) => a.previousSegment },
    { name: 'revenue_t12m', type: 'DOUBLE', value: (a) => a.revenueT12m },
    { name: 'revenue_prior_t12m', type: 'DOUBLE', value: (a) => a.revenuePriorT12m },
    { name: 'previous_revenue_t12m', type: 'DOUBLE', value: (a) => a.previousRevenueT12m },
    { name: 'revenue_period', type: 'DOUBLE', value: (a) => a.revenuePeriod },
    { name: 'invoices_t12m', type: 'BIGINT', value: (a) => a.invoicesT12m },
    { name: 'invoices_prior_t12m', type: 'BIGINT', value: (a) => a.invoicesPriorT12m },
    {
      name: 'avg_transaction',
      type: 'DOUBLE',
      value: (a) => (a.invoicesT12m > 0 ? a.revenueT12m / a.invoicesT12m : null),
    },
    { name: 'first_invoice_on', type: 'DATE', value: (a) => a.firstInvoiceOn },
    { name: 'last_invoice_on', type: 'DATE', value: (a) => a.lastInvoiceOn },
    { name: 'recency_days', type: 'BIGINT', value: (a) => a.recencyDays },
    { name: 'tenure_days', type: 'BIGINT', value: (a) => a.tenureDays },
    { name: 'growth_yoy', type: 'DOUBLE', value: (a) => a.growthYoy },
    { name: 'movement', type: 'STRING', value: (a) => a.movement },
    { name: 'movement_amount', type: 'DOUBLE', value: (a) => a.movementAmount },
    { name: 'bridge_segment', type: 'STRING', value: (a) => a.bridgeSegment },
    { name: 'cluster_id', type: 'BIGINT', value: (a) => a.clusterId ?? null },
    { name: 'cluster_label', type: 'STRING', value: (a) => a.clusterLabel ?? null },
    { name: 'probability_alive', type: 'DOUBLE', value: (a) => a.prediction?.probabilityAlive ?? null },
    {
      name: 'expected_transactions',
      type: 'DOUBLE',
      value: (a) => a.prediction?.expectedTransactions ?? null,
    },
    { name: 'expected_spend', type: 'DOUBLE', value: (a) => a.prediction?.expectedSpend ?? null },
    { name: 'clv', type: 'DOUBLE', value: (a) => a.prediction?.clv ?? null },
    { name: 'churn_risk', type: 'STRING', value: (a) => a.prediction?.churnRisk ?? null },
    { name: 'churn_reason', type: 'STRING', value: (a) => a.prediction?.churnReason ?? null },
    { name: 'revenue_at_risk', type: 'DOUBLE', value: (a) => a.prediction?.revenueAtRisk ?? null },
    { name: 'growth_score', type: 'DOUBLE', value: (a) => a.prediction?.growthScore ?? null },
    {
      name: 'growth_reasons',
      type: 'STRING',
      value: (a) => (a.prediction ? a.prediction.growthReasons.join('; ') : null),
    },
    { name: 'hidden_gem', type: 'BOOLEAN', value: (a) => a.prediction?.hiddenGem ?? null },
    { name: 'engagement_level', type: 'STRING', value: (a) => a.engagement?.level ?? null },
    { name: 'engagement_score', type: 'DOUBLE', value: (a) => a.engagement?.score ?? null },
    { name: 'engagement_reason', type: 'STRING', value: (a) => a.engagement?.reason ?? null },
    { name: 'recent_activities', type: 'BIGINT', value: (a) => a.engagement?.recentEvents ?? null },
    ...runColumns,
  ],
};

/** One row per segment, in report order. */
export const SEGMENT_KPIS: SnapshotTableDefinition<SegmentKpi> = {
  name: 'segment_kpis',
  columns: [
    { name: 'segment', type: 'STRING', value: (s) => s.segment },
    { name: 'rank', type: 'BIGINT', value: (s) => s.rank },
    { name: 'accounts', type: 'BIGINT', value: (s) => s.accounts },
    { name: 'revenue_t12m', type: 'DOUBLE', value: (s) => s.revenueT12m },
    { name: 'revenue_prior_t12m', type: 'DOUBLE', value: (s) => s.revenuePriorT12m },
    { name: 'revenue_period', type: 'DOUBLE', value: (s) => s.revenuePeriod },
    { name: 'revenue_share', type: 'DOUBLE', value: (s) => s.revenueShare },
    { name: 'arpa', type: 'DOUBLE', value: (s) => s.arpa },
    { name: 'avg_frequency', type: 'DOUBLE', value: (s) => s.avgFrequency },
    { name: 'avg_transaction', type: 'DOUBLE', value: (s) => s.avgTransaction },
    { name: 'growth_yoy', type: 'DOUBLE', value: (s) => s.growthYoy },
    ...retentionColumns<SegmentKpi>((s) => s.retention),
    ...bridgeColumns<SegmentKpi>((s) => s.bridge),
    { name: 'accounts_in', type: 'BIGINT', value: (s) => s.accountsIn },
    { name: 'accounts_out', type: 'BIGINT', value: (s) => s.accountsOut },
    ...runColumns,
  ],
};

/** One row per period: the whole portfolio, with the input check's counts. */
export const PORTFOLIO_KPIS: SnapshotTableDefinition<PortfolioRow> = {
  name: 'portfolio_kpis',
  columns: [
    { name: 'accounts', type: 'BIGINT', value: (p) => p.kpis.accounts },
    { name: 'active_accounts', type: 'BIGINT', value: (p) => p.kpis.activeAccounts },
    { name: 'revenue_t12m', type: 'DOUBLE', value: (p) => p.kpis.revenueT12m },
    { name: 'revenue_prior_t12m', type: 'DOUBLE', value: (p) => p.kpis.revenuePriorT12m },
    { name: 'revenue_period', type: 'DOUBLE', value: (p) => p.kpis.revenuePeriod },
    { name: 'arpa', type: 'DOUBLE', value: (p) => p.kpis.arpa },
    { name: 'growth_yoy', type: 'DOUBLE', value: (p) => p.kpis.growthYoy },
    ...retentionColumns<PortfolioRow>((p) => p.kpis.retention),
    { name: 'concentration_top1_share', type: 'DOUBLE', value: (p) => p.kpis.concentration.top1Share },
    { name: 'concentration_top10_share', type: 'DOUBLE', value: (p) => p.kpis.concentration.top10Share },
    { name: 'concentration_top20_share', type: 'DOUBLE', value: (p) => p.kpis.concentration.top20Share },
    { name: 'concentration_gini', type: 'DOUBLE', value: (p) => p.kpis.concentration.gini },
    { name: 'concentration_hhi', type: 'DOUBLE', value: (p) => p.kpis.concentration.hhi },
    {
      name: 'concentration_lorenz',
      type: 'STRING',
      value: (p) =>
        JSON.stringify(
          p.kpis.concentration.lorenz.map((l) => ({
            account_share: l.accountShare,
            revenue_share: l.revenueShare,
          })),
        ),
    },
    ...bridgeColumns<PortfolioRow>((p) => p.kpis.bridge),
    {
      name: 'seasonality',
      type: 'STRING',
      value: (p) => JSON.stringify(p.kpis.seasonality.map((s) => ({ month: s.month, index: s.index }))),
    },
    { name: 'lines_checked', type: 'BIGINT', value: (p) => p.quarantine.revenueLinesChecked },
    { name: 'quarantined_lines', type: 'BIGINT', value: (p) => p.quarantine.revenueLinesQuarantined },
    { name: 'accounts_checked', type: 'BIGINT', value: (p) => p.quarantine.accountsChecked },
    { name: 'quarantined_accounts', type: 'BIGINT', value: (p) => p.quarantine.accountsQuarantined },
    ...runColumns,
  ],
};

/** One row per (previous segment, current segment) cell of the migration matrix. */
export const SEGMENT_MIGRATIONS: SnapshotTableDefinition<MigrationRow> = {
  name: 'segment_migrations',
  columns: [
    { name: 'from_segment', type: 'STRING', value: (m) => m.fromSegment },
    { name: 'to_segment', type: 'STRING', value: (m) => m.toSegment },
    { name: 'accounts', type: 'BIGINT', value: (m) => m.accounts },
    { name: 'revenue_t12m', type: 'DOUBLE', value: (m) => m.revenueT12m },
    { name: 'previous_revenue_t12m', type: 'DOUBLE', value: (m) => m.previousRevenueT12m },
    { name: 'basis', type: 'STRING', value: (m) => m.basis },
    ...runColumns,
  ],
};

/** One row per first-purchase-quarter cohort and age in quarters (DESIGN §6). */
export const COHORT_RETENTION: SnapshotTableDefinition<CohortCell> = {
  name: 'cohort_retention',
  columns: [
    { name: 'cohort', type: 'DATE', value: (c) => c.cohort },
    { name: 'age_quarters', type: 'BIGINT', value: (c) => c.ageQuarters },
    { name: 'quarter', type: 'DATE', value: (c) => c.quarter },
    { name: 'cohort_accounts', type: 'BIGINT', value: (c) => c.cohortAccounts },
    { name: 'active_accounts', type: 'BIGINT', value: (c) => c.activeAccounts },
    { name: 'revenue', type: 'DOUBLE', value: (c) => c.revenue },
    { name: 'revenue_retention', type: 'DOUBLE', value: (c) => c.revenueRetention },
    { name: 'logo_retention', type: 'DOUBLE', value: (c) => c.logoRetention },
    ...runColumns,
  ],
};

/** One row per input row set aside by validation, with the raw values as text. */
export const QUARANTINE: SnapshotTableDefinition<QuarantinedRow> = {
  name: 'quarantine',
  columns: [
    { name: 'source_table', type: 'STRING', value: (q) => q.table },
    { name: 'reason', type: 'STRING', value: (q) => q.reason },
    { name: 'reason_text', type: 'STRING', value: (q) => quarantineReasonText(q.reason) },
    { name: 'account_id', type: 'STRING', value: (q) => q.accountId },
    { name: 'invoice_id', type: 'STRING', value: (q) => q.invoiceId },
    { name: 'booked_on', type: 'STRING', value: (q) => q.bookedOn },
    { name: 'amount', type: 'STRING', value: (q) => q.amount },
    { name: 'detail', type: 'STRING', value: (q) => q.detail },
    ...runColumns,
  ],
};

/** One row per cluster of the period's k-means clustering, highest mean revenue first (cluster 0). */
export const SEGMENT_CLUSTERS: SnapshotTableDefinition<ClusterRow> = {
  name: 'segment_clusters',
  columns: [
    { name: 'cluster_id', type: 'BIGINT', value: (c) => c.clusterId },
    { name: 'cluster_label', type: 'STRING', value: (c) => c.label },
    { name: 'accounts', type: 'BIGINT', value: (c) => c.accounts },
    { name: 'revenue_t12m', type: 'DOUBLE', value: (c) => c.revenueT12m },
    { name: 'revenue_share', type: 'DOUBLE', value: (c) => c.revenueShare },
    { name: 'mean_revenue_t12m', type: 'DOUBLE', value: (c) => c.meanRevenueT12m },
    { name: 'mean_invoices_t12m', type: 'DOUBLE', value: (c) => c.meanInvoicesT12m },
    { name: 'mean_recency_days', type: 'DOUBLE', value: (c) => c.meanRecencyDays },
    { name: 'mean_growth_yoy', type: 'DOUBLE', value: (c) => c.meanGrowthYoy },
    { name: 'mean_tenure_days', type: 'DOUBLE', value: (c) => c.meanTenureDays },
    { name: 'centroid_revenue', type: 'DOUBLE', value: (c) => c.centroid.revenue },
    { name: 'centroid_frequency', type: 'DOUBLE', value: (c) => c.centroid.frequency },
    { name: 'centroid_recency', type: 'DOUBLE', value: (c) => c.centroid.recency },
    { name: 'centroid_growth', type: 'DOUBLE', value: (c) => c.centroid.growth },
    { name: 'centroid_tenure', type: 'DOUBLE', value: (c) => c.centroid.tenure },
    { name: 'mean_engagement', type: 'DOUBLE', value: (c) => c.meanEngagement ?? null },
    { name: 'centroid_engagement', type: 'DOUBLE', value: (c) => c.centroidEngagement ?? null },
    { name: 'k', type: 'BIGINT', value: (c) => c.k },
    { name: 'silhouette', type: 'DOUBLE', value: (c) => c.silhouette },
    { name: 'seed', type: 'BIGINT', value: (c) => c.seed },
    { name: 'clustered_accounts', type: 'BIGINT', value: (c) => c.clusteredAccounts },
    ...runColumns,
  ],
};

/**
 * One row per firmographic group (industry, region, country, company size band) and segment, plus one
 * row per group for all its segments (segment null): every segment KPI by firmographics (issue 6).
 */
export const SEGMENT_FIRMOGRAPHICS: SnapshotTableDefinition<FirmographicKpi> = {
  name: 'segment_firmographics',
  columns: [
    { name: 'dimension', type: 'STRING', value: (f) => f.dimension },
    { name: 'value', type: 'STRING', value: (f) => f.value },
    { name: 'segment', type: 'STRING', value: (f) => f.segment },
    { name: 'rank', type: 'BIGINT', value: (f) => f.rank },
    { name: 'accounts', type: 'BIGINT', value: (f) => f.accounts },
    { name: 'active_accounts', type: 'BIGINT', value: (f) => f.activeAccounts },
    { name: 'revenue_t12m', type: 'DOUBLE', value: (f) => f.revenueT12m },
    { name: 'revenue_prior_t12m', type: 'DOUBLE', value: (f) => f.revenuePriorT12m },
    { name: 'revenue_period', type: 'DOUBLE', value: (f) => f.revenuePeriod },
    { name: 'revenue_share', type: 'DOUBLE', value: (f) => f.revenueShare },
    { name: 'share_of_segment', type: 'DOUBLE', value: (f) => f.shareOfSegment },
    { name: 'arpa', type: 'DOUBLE', value: (f) => f.arpa },
    { name: 'avg_frequency', type: 'DOUBLE', value: (f) => f.avgFrequency },
    { name: 'avg_transaction', type: 'DOUBLE', value: (f) => f.avgTransaction },
    { name: 'growth_yoy', type: 'DOUBLE', value: (f) => f.growthYoy },
    ...retentionColumns<FirmographicKpi>((f) => f.retention),
    ...bridgeColumns<FirmographicKpi>((f) => f.bridge),
    { name: 'accounts_in', type: 'BIGINT', value: (f) => f.accountsIn },
    { name: 'accounts_out', type: 'BIGINT', value: (f) => f.accountsOut },
    { name: 'estimated_wallet', type: 'DOUBLE', value: (f) => f.estimatedWallet },
    { name: 'headroom', type: 'DOUBLE', value: (f) => f.headroom },
    ...runColumns,
  ],
};

function opportunityColumns<R>(get: (row: R) => OpportunityMetrics | null): SnapshotColumn<R>[] {
  return [
    { name: 'opportunities_won', type: 'BIGINT', value: (r) => get(r)?.won ?? null },
    { name: 'opportunities_lost', type: 'BIGINT', value: (r) => get(r)?.lost ?? null },
    { name: 'conversion_rate', type: 'DOUBLE', value: (r) => get(r)?.conversionRate ?? null },
    { name: 'won_amount', type: 'DOUBLE', value: (r) => get(r)?.wonAmount ?? null },
    { name: 'sales_cycle_median_days', type: 'DOUBLE', value: (r) => get(r)?.cycleMedianDays ?? null },
    { name: 'sales_cycle_p75_days', type: 'DOUBLE', value: (r) => get(r)?.cycleP75Days ?? null },
    { name: 'pipeline_open_count', type: 'BIGINT', value: (r) => get(r)?.openCount ?? null },
    { name: 'pipeline_open_amount', type: 'DOUBLE', value: (r) => get(r)?.openAmount ?? null },
  ];
}

/** Source row of `segment_sales_efficiency`: one segment over one window, with the run's gross margin. */
export interface SalesSegmentRow extends SegmentSalesEfficiency {
  readonly grossMargin: number;
}

/**
 * One row per segment and window (`period`, `t12m`): conversion, sales cycle and open pipeline (null when the
 * `opportunities` input is absent) and CAC, cost to serve, gross profit, profit, ROI and CAC payback (null
 * when the `costs` input is absent); issue 6. The pipeline is as of the window's end, the period's end.
 */
export const SEGMENT_SALES_EFFICIENCY: SnapshotTableDefinition<SalesSegmentRow> = {
  name: 'segment_sales_efficiency',
  columns: [
    { name: 'segment', type: 'STRING', value: (s) => s.segment },
    { name: 'rank', type: 'BIGINT', value: (s) => s.rank },
    { name: 'window_name', type: 'STRING', value: (s) => s.window.name },
    { name: 'window_start', type: 'DATE', value: (s) => s.window.start },
    { name: 'window_end', type: 'DATE', value: (s) => s.window.end },
    { name: 'accounts', type: 'BIGINT', value: (s) => s.accounts },
    { name: 'opportunities_available', type: 'BOOLEAN', value: (s) => s.opportunities !== null },
    ...opportunityColumns<SalesSegmentRow>((s) => s.opportunities),
    { name: 'costs_available', type: 'BOOLEAN', value: (s) => s.economics !== null },
    { name: 'revenue', type: 'DOUBLE', value: (s) => s.economics?.revenue ?? null },
    { name: 'new_accounts', type: 'BIGINT', value: (s) => s.economics?.newAccounts ?? null },
    { name: 'acquisition_cost', type: 'DOUBLE', value: (s) => s.economics?.acquisitionCost ?? null },
    { name: 'cac', type: 'DOUBLE', value: (s) => s.economics?.cac ?? null },
    { name: 'cost_to_serve', type: 'DOUBLE', value: (s) => s.economics?.costToServe ?? null },
    { name: 'gross_margin', type: 'DOUBLE', value: (s) => (s.economics ? s.grossMargin : null) },
    { name: 'gross_profit', type: 'DOUBLE', value: (s) => s.economics?.grossProfit ?? null },
    { name: 'profit', type: 'DOUBLE', value: (s) => s.economics?.profit ?? null },
    { name: 'profit_margin', type: 'DOUBLE', value: (s) => s.economics?.profitMargin ?? null },
    { name: 'roi', type: 'DOUBLE', value: (s) => s.economics?.roi ?? null },
    { name: 'cac_payback_months', type: 'DOUBLE', value: (s) => s.economics?.cacPaybackMonths ?? null },
    ...runColumns,
  ],
};

/** One row per account owner and window: conversion, sales cycle and open pipeline of their accounts (issue 6). */
export const OWNER_SALES_EFFICIENCY: SnapshotTableDefinition<OwnerSalesEfficiency> = {
  name: 'owner_sales_efficiency',
  columns: [
    { name: 'owner_email', type: 'STRING', value: (o) => o.ownerEmail },
    { name: 'owner_name', type: 'STRING', value: (o) => o.ownerName },
    { name: 'window_name', type: 'STRING', value: (o) => o.window.name },
    { name: 'window_start', type: 'DATE', value: (o) => o.window.start },
    { name: 'window_end', type: 'DATE', value: (o) => o.window.end },
    { name: 'accounts', type: 'BIGINT', value: (o) => o.accounts },
    ...opportunityColumns<OwnerSalesEfficiency>((o) => o.opportunities),
    ...runColumns,
  ],
};

/**
 * Campaign response (issue 8): one row per campaign, campaign type and all campaigns, each per segment the
 * accounts had at the send and over every segment (segment null), for campaigns sent in the 12 months to the
 * period end.
 */
export const CAMPAIGN_RESPONSE_RATES: SnapshotTableDefinition<CampaignRateRow> = {
  name: 'campaign_response_rates',
  columns: [
    { name: 'grouping', type: 'STRING', value: (c) => c.grouping },
    { name: 'campaign_id', type: 'STRING', value: (c) => c.campaignId },
    { name: 'campaign_type', type: 'STRING', value: (c) => c.campaignType },
    { name: 'segment', type: 'STRING', value: (c) => c.segment },
    { name: 'first_sent_on', type: 'DATE', value: (c) => c.firstSentOn },
    { name: 'last_sent_on', type: 'DATE', value: (c) => c.lastSentOn },
    { name: 'sent', type: 'BIGINT', value: (c) => c.sent },
    { name: 'responded', type: 'BIGINT', value: (c) => c.responded },
    { name: 'converted', type: 'BIGINT', value: (c) => c.converted },
    { name: 'response_rate', type: 'DOUBLE', value: (c) => c.responseRate },
    { name: 'conversion_rate', type: 'DOUBLE', value: (c) => c.conversionRate },
    { name: 'response_conversion_rate', type: 'DOUBLE', value: (c) => c.responseConversionRate },
    ...runColumns,
  ],
};

/**
 * Lines in currencies other than the reporting one (`currency`), per outcome (converted, missing_fx_rate,
 * invalid_currency), line currency and booking month: how many, their amount as written and in the
 * reporting currency (null when they could not be converted). Issue 6.
 */
export const CURRENCY_CONVERSION: SnapshotTableDefinition<FxConversionRow> = {
  name: 'currency_conversion',
  columns: [
    { name: 'outcome', type: 'STRING', value: (r) => r.outcome },
    { name: 'line_currency', type: 'STRING', value: (r) => r.currency },
    { name: 'booked_month', type: 'STRING', value: (r) => r.month },
    { name: 'lines', type: 'BIGINT', value: (r) => r.lines },
    { name: 'amount_line_currency', type: 'DOUBLE', value: (r) => r.originalAmount },
    { name: 'amount_reporting', type: 'DOUBLE', value: (r) => r.amount },
    ...runColumns,
  ],
};

function schemaOf<R>(definition: SnapshotTableDefinition<R>): SnapshotColumnSchema[] {
  return definition.columns.map(({ name, type }) => ({ name, type }));
}

/**
 * Every snapshot table's columns (without the `cadence`/`period` partition keys), one source for the
 * Parquet files, the Glue table schemas and the queries.
 */
export const SNAPSHOT_TABLE_SCHEMAS: Readonly<Record<SnapshotTableName, readonly SnapshotColumnSchema[]>> = {
  account_segments: schemaOf(ACCOUNT_SEGMENTS),
  segment_kpis: schemaOf(SEGMENT_KPIS),
  portfolio_kpis: schemaOf(PORTFOLIO_KPIS),
  segment_migrations: schemaOf(SEGMENT_MIGRATIONS),
  cohort_retention: schemaOf(COHORT_RETENTION),
  quarantine: schemaOf(QUARANTINE),
  segment_clusters: schemaOf(SEGMENT_CLUSTERS),
  segment_firmographics: schemaOf(SEGMENT_FIRMOGRAPHICS),
  segment_sales_efficiency: schemaOf(SEGMENT_SALES_EFFICIENCY),
  owner_sales_efficiency: schemaOf(OWNER_SALES_EFFICIENCY),
  campaign_response_rates: schemaOf(CAMPAIGN_RESPONSE_RATES),
  currency_conversion: schemaOf(CURRENCY_CONVERSION),
};

/** Glue / Athena column type of a snapshot column type. */
export function glueColumnType(type: SnapshotColumnType): string {
  return type === 'STRING' ? 'string' : type.toLowerCase();
}

/** One table from its definition and sources: columns computed when read, row objects only when asked for. */
export function materializeTable<R>(
  definition: SnapshotTableDefinition<R>,
  sources: readonly R[],
  run: SnapshotRunContext,
): SnapshotTable {
  const byName = new Map(definition.columns.map((c) => [c.name, c]));
  let rows: SnapshotRow[] | undefined;
  return {
    name: definition.name,
    columns: schemaOf(definition),
    rowCount: sources.length,
    columnValues: (name) => {
      const column = byName.get(name);
      return column ? sources.map((source) => column.value(source, run)) : sources.map(() => undefined);
    },
    get rows() {
      rows ??= sources.map((source) => {
        const row: Record<string, SnapshotValue> = {};
        for (const column of definition.columns) row[column.name] = column.value(source, run);
        return row;
      });
      return rows;
    },
  };
}

/** Everything a period's snapshot is built from. */
export interface SnapshotInput {
  readonly analysis: PortfolioAnalysis;
  readonly quarantine: QuarantineSummary;
  readonly quarantinedRows: readonly QuarantinedRow[];
  readonly config: RunConfig;
  readonly generatedAt: Date;
  /** The period's clustering; adds cluster columns to `account_segments` and the `segment_clusters` table. */
  readonly clusters?: ClusteringResult;
  /** The models' outputs; add prediction columns to `account_segments` and rows to `cohort_retention`. */
  readonly predictions?: Predictions;
  /** The sales team's segment overrides; fill the override columns of `account_segments`. */
  readonly overrides?: SegmentOverrideOutcome;
  /** The segment KPIs by firmographics (`firmographicKpis`); the table is empty when not given. */
  readonly firmographics?: readonly FirmographicKpi[];
  /** Sales efficiency and profitability (issue 6); the two sales tables are written only when given. */
  readonly sales?: SalesEfficiency;
  /** Engagement per account (issue 8); fills the engagement columns of `account_segments`. */
  readonly engagement?: EngagementByAccount;
  /** Campaign response rates (issue 8); the `campaign_response_rates` table is written only when given. */
  readonly campaigns?: CampaignReport;
  /** How lines in other currencies were converted (issue 6); `currency_conversion` is written only when given. */
  readonly fx?: FxSummary;
}

/**
 * Each account with what the run adds to it (cluster, prediction, override in force, engagement), in one object
 * per account: a copy per addition held several copies of a large book at once.
 */
function accountSegmentRows(
  accounts: readonly ClassifiedAccount[],
  input: SnapshotInput,
): AccountSegmentRow[] {
  const { clusters, predictions, overrides, engagement } = input;
  const assignments = clusters ? new Map(clusters.assignments.map((a) => [a.accountId, a])) : undefined;
  const pinned = overrides && overrides.applied.size > 0 ? overrides.applied : undefined;
  return accounts.map((a) => {
    const assignment = assignments?.get(a.accountId);
    const override = pinned?.get(a.accountId);
    return {
      ...a,
      ...(assignments
        ? { clusterId: assignment?.clusterId ?? null, clusterLabel: assignment?.clusterLabel ?? null }
        : {}),
      ...(predictions ? { prediction: predictions.accounts.get(a.accountId) ?? null } : {}),
      ...(override ? { override } : {}),
      ...(engagement ? { engagement: engagement.get(a.accountId) ?? null } : {}),
    };
  });
}

/** Turns one period's analysis into the rows of every snapshot table (DESIGN §6), stamped with the run context. */
export function buildSnapshotTables(input: SnapshotInput): SnapshotTables {
  const { analysis, config } = input;
  const run: SnapshotRunContext = {
    periodStart: analysis.period.start,
    periodEnd: analysis.period.end,
    metricVersion: METRIC_DEFINITION_VERSION,
    brackets: JSON.stringify(config.segments.brackets),
    currency: config.currency,
    generatedAt: input.generatedAt.toISOString(),
  };
  const migrations = analysis.migrations.map((cell) => ({ ...cell, basis: analysis.migrationBasis }));
  return {
    cadence: analysis.period.cadence,
    periodId: analysis.period.id,
    metricVersion: run.metricVersion,
    generatedAt: run.generatedAt,
    tables: [
      materializeTable(ACCOUNT_SEGMENTS, accountSegmentRows(analysis.accounts, input), run),
      materializeTable(SEGMENT_KPIS, analysis.segments, run),
      materializeTable(PORTFOLIO_KPIS, [{ kpis: analysis.portfolio, quarantine: input.quarantine }], run),
      materializeTable(SEGMENT_MIGRATIONS, migrations, run),
      materializeTable(COHORT_RETENTION, input.predictions?.cohorts ?? [], run),
      materializeTable(QUARANTINE, input.quarantinedRows, run),
      ...(input.clusters ? [materializeTable(SEGMENT_CLUSTERS, clusterRows(input.clusters), run)] : []),
      materializeTable(SEGMENT_FIRMOGRAPHICS, input.firmographics ?? [], run),
      ...(input.sales ? salesTables(input.sales, run) : []),
      ...(input.campaigns ? [materializeTable(CAMPAIGN_RESPONSE_RATES, input.campaigns.rows, run)] : []),
      ...(input.fx ? [materializeTable(CURRENCY_CONVERSION, input.fx.rows, run)] : []),
    ],
  };
}

function clusterRows(clusters: ClusteringResult): ClusterRow[] {
  return clusters.profiles.map((p) => ({
    ...p,
    k: clusters.k,
    silhouette: clusters.silhouette,
    seed: clusters.seed,
    clusteredAccounts: clusters.clusteredAccounts,
  }));
}

function salesTables(sales: SalesEfficiency, run: SnapshotRunContext): SnapshotTable[] {
  return [
    materializeTable(
      SEGMENT_SALES_EFFICIENCY,
      sales.segments.map((s) => ({ ...s, grossMargin: sales.grossMargin })),
      run,
    ),
    materializeTable(OWNER_SALES_EFFICIENCY, sales.owners, run),
  ];
}
