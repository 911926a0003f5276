import type { CampaignReport } from '../campaigns/campaign-responses.ts';
import type { ClusteringResult } from '../clustering/cluster-accounts.ts';
import type { RunConfig } from '../config.ts';
import type { EngagementByAccount } from '../engagement/engagement.ts';
import type { FirmographicKpi } from '../firmographics/firmographic-kpis.ts';
import type { FxSummary } from '../fx/fx-conversion.ts';
import type { SegmentOverrideOutcome } from '../overrides/segment-overrides.ts';
import { type Period, previousPeriod } from '../period.ts';
import type { ResourcePlan } from '../playbook/resource-plan.ts';
import type { Predictions } from '../predictions.ts';
import type { QuarantineSummary } from '../quarantine.ts';
import type { QuarterlyReview } from '../quarterly-review.ts';
import type { SalesEfficiency } from '../sales/sales-efficiency.ts';
import type { PortfolioAnalysis } from '../types.ts';
import type { RenderedChart } from './charts/chart.ts';
import type { SegmentPeriodKpis } from './charts/segment-trend-chart.ts';
import { createFormatter, type ReportFormatter } from './format.ts';
import type { PreviousPortfolioKpis } from './what-changed.ts';

/** Everything a run hands to the report builders. */
export interface ReportContext {
  readonly config: RunConfig;
  readonly analysis: PortfolioAnalysis;
  readonly quarantine: QuarantineSummary;
  /** When the run built the reports; shown in the footer and used as the mail's Date. */
  readonly generatedAt: Date;
  /** Where the period's snapshot was written, for people: a folder path or an s3:// URI. */
  readonly snapshotLocation: string;
  /** The quarterly review; quarterly runs only. */
  readonly review?: QuarterlyReview;
  /** The period's clustering of the accounts. */
  readonly clusters?: ClusteringResult;
  /** How the team's time is planned this period, with overloaded owners. */
  readonly resourcePlan?: ResourcePlan;
  /** The models' outputs (CLV, churn risk, growth potential, cohorts, forecast); absent when not run. */
  readonly predictions?: Predictions;
  /** Every segment KPI by industry, region, country and size band (`firmographicKpis`); no section when absent. */
  readonly firmographics?: readonly FirmographicKpi[];
  /** How lines in other currencies were converted to the reporting currency, and which could not be (issue 6). */
  readonly fx?: FxSummary;
  /** Earlier periods' segment totals, oldest first, read from their snapshots; for the trend chart. */
  readonly segmentHistory?: readonly SegmentPeriodKpis[];
  /** The charts drawn for this run, by chart id; a chart that was not drawn shows only its table. */
  readonly charts?: ReadonlyMap<string, RenderedChart>;
  /** The sales team's segment overrides (issue 8); absent when the `segment_overrides` input is absent. */
  readonly overrides?: SegmentOverrideOutcome;
  /** Engagement per account from the `activities` input (issue 8); absent when that input is absent. */
  readonly engagement?: EngagementByAccount;
  /** Campaign response rates from the `campaign_responses` input (issue 8); absent when that input is absent. */
  readonly campaigns?: CampaignReport;
  /** The previous period's NRR and GRR from its snapshot, for the headline's changes; absent without one. */
  readonly previousPortfolio?: PreviousPortfolioKpis;
  /** Sales efficiency and profitability (issue 6); each part says "not available" when its input is absent. */
  readonly sales?: SalesEfficiency;
}

/** A period for people: `October 2026` for a month, `Q3 2026` (or `FY2026 Q3` for a shifted fiscal year) for a quarter. */
export function periodLabel(period: Period, locale: string, fiscalYearStartMonth = 1): string {
  if (period.cadence === 'monthly') {
    return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${period.start}T00:00:00Z`),
    );
  }
  const [year, quarter] = period.id.split('-');
  return fiscalYearStartMonth === 1 ? `${quarter} ${year}` : `FY${year} ${quarter}`;
}

/** The label of the period just before the context's period. */
export function previousPeriodLabel(ctx: ReportContext): string {
  const { config, analysis } = ctx;
  return periodLabel(
    previousPeriod(analysis.period, config.fiscalYearStartMonth),
    config.locale,
    config.fiscalYearStartMonth,
  );
}

/** Subject line: `<prefix> — October 2026 (monthly)`, with an optional audience part. */
export function reportSubject(ctx: ReportContext, audience?: string): string {
  const { config, analysis } = ctx;
  const label = periodLabel(analysis.period, config.locale, config.fiscalYearStartMonth);
  const prefix = config.mail.subjectPrefix.trim();
  const parts = [prefix, audience, `${label} (${analysis.period.cadence})`].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return parts.join(' — ');
}

/** The formatter for the context's locale and currency. */
export function formatterFor(ctx: ReportContext): ReportFormatter {
  return createFormatter(ctx.config.locale, ctx.config.currency);
}

/** `<cadence>-<period>`, the common start of every mail id of a run. */
export function mailIdPrefix(period: Period): string {
  return `${period.cadence}-${period.id}`;
}

/** Footer lines shared by every report mail. */
export function reportFooter(ctx: ReportContext, fmt: ReportFormatter): string[] {
  return [
    `Generated ${fmt.dateTime(ctx.generatedAt)} by revenue-segments for the period ${fmt.date(ctx.analysis.period.start)} to ${fmt.date(ctx.analysis.period.end)}.`,
    'Annual revenue is net revenue over the trailing 12 months (T12M) ending at the period end.',
    `Amounts are in ${ctx.config.currency}, the reporting currency; lines in other currencies are converted at the fx_rates of their booking month.`,
  ];
}
