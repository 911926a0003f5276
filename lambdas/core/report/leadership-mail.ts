import type { MailAttachment, OutgoingMail } from '../../ports/mailer.ts';
import { currencyNoteBlocks, fxBlocks } from '../fx/fx-section.ts';
import { chartAttachments, lorenzBlocks, segmentTrendBlocks } from './charts/leadership-charts.ts';
import { toCsv } from './csv.ts';
import type { ReportDocument } from './document.ts';
import { firmographicAttachments, firmographicBlocks } from './firmographic-sections.ts';
import {
  bridgeBlocks,
  concentrationBlocks,
  dataQualityBlocks,
  headlineBlocks,
  migrationBlocks,
  moverBlocks,
  seasonalityBlocks,
  segmentTableBlocks,
  snapshotBlocks,
} from './leadership-sections.ts';
import { overrideBlocks } from './override-sections.ts';
import { predictionBlocks } from './prediction-sections.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import {
  formatterFor,
  mailIdPrefix,
  type ReportContext,
  reportFooter,
  reportSubject,
} from './report-context.ts';
import { quarterlyReviewBlocks, resourcePlanBlocks } from './review-sections.ts';
import { salesAttachments, salesBlocks } from './sales-sections.ts';

const CSV_TYPE = 'text/csv; charset=utf-8';

/** The segment KPI rows as CSV, raw numbers (ratios as fractions), one row per segment in report order. */
export function segmentKpiCsv(ctx: ReportContext): string {
  const { analysis } = ctx;
  return toCsv(
    [
      'period',
      'cadence',
      'segment',
      'rank',
      'accounts',
      'revenue_t12m',
      'revenue_prior_t12m',
      'revenue_period',
      'revenue_share',
      'arpa',
      'avg_frequency',
      'avg_transaction',
      'growth_yoy',
      'nrr',
      'grr',
      'logo_retention',
      'retention_base_accounts',
      'retention_base_revenue',
      'bridge_opening',
      'bridge_new',
      'bridge_expansion',
      'bridge_contraction',
      'bridge_churn',
      'bridge_reactivation',
      'bridge_transfers_in',
      'bridge_transfers_out',
      'bridge_closing',
      'accounts_in',
      'accounts_out',
    ],
    [...analysis.segments]
      .sort((a, b) => a.rank - b.rank)
      .map((s) => [
        analysis.period.id,
        analysis.period.cadence,
        s.segment,
        s.rank,
        s.accounts,
        s.revenueT12m,
        s.revenuePriorT12m,
        s.revenuePeriod,
        s.revenueShare,
        s.arpa,
        s.avgFrequency,
        s.avgTransaction,
        s.growthYoy,
        s.retention.nrr,
        s.retention.grr,
        s.retention.logoRetention,
        s.retention.baseAccounts,
        s.retention.baseRevenue,
        s.bridge.opening,
        s.bridge.new,
        s.bridge.expansion,
        s.bridge.contraction,
        s.bridge.churn,
        s.bridge.reactivation,
        s.bridge.transfersIn,
        s.bridge.transfersOut,
        s.bridge.closing,
        s.accountsIn,
        s.accountsOut,
      ]),
  );
}

/** The migration matrix as CSV, one row per (previous, current) cell. */
export function migrationCsv(ctx: ReportContext): string {
  const { analysis } = ctx;
  return toCsv(
    [
      'period',
      'cadence',
      'from_segment',
      'to_segment',
      'accounts',
      'revenue_t12m',
      'previous_revenue_t12m',
      'basis',
    ],
    analysis.migrations.map((m) => [
      analysis.period.id,
      analysis.period.cadence,
      m.fromSegment,
      m.toSegment,
      m.accounts,
      m.revenueT12m,
      m.previousRevenueT12m,
      analysis.migrationBasis,
    ]),
  );
}

/**
 * Builds the leadership report of a period: headline KPIs and what changed most, segment table, the
 * segments over the last periods, quarterly review (quarterly runs only), revenue bridge, concentration
 * with the Lorenz curve, migration matrix, sales efficiency and profitability (with the sales CSV), top movers,
 * the predictive models (CLV, revenue at risk, hidden gems, cohorts, forecast), seasonality, the resource
 * plan, data quality and the
 * snapshot location, as HTML and plain text, with the segment KPIs and migrations as CSV. The charts in
 * `ctx.charts` (drawn by the job) go inline as CID PNG images, each above the table with its numbers.
 * Recipients come only from `config.mail.leadership`.
 */
export function buildLeadershipMail(ctx: ReportContext): OutgoingMail {
  const { config, analysis } = ctx;
  const fmt = formatterFor(ctx);
  const subject = reportSubject(ctx);
  const doc: ReportDocument = {
    title: subject,
    preheader: `T12M revenue ${fmt.moneyCompact(analysis.portfolio.revenueT12m)}, ${fmt.number(analysis.portfolio.activeAccounts)} active accounts`,
    blocks: [
      ...headlineBlocks(ctx, fmt),
      ...currencyNoteBlocks(ctx, fmt),
      ...segmentTableBlocks(ctx, fmt),
      ...segmentTrendBlocks(ctx, fmt),
      ...quarterlyReviewBlocks(ctx, fmt),
      ...firmographicBlocks(ctx, fmt),
      ...bridgeBlocks(ctx, fmt),
      ...concentrationBlocks(ctx, fmt),
      ...lorenzBlocks(ctx, fmt),
      ...migrationBlocks(ctx, fmt),
      ...overrideBlocks(ctx, fmt),
      ...salesBlocks(ctx, fmt),
      ...moverBlocks(ctx, fmt),
      ...predictionBlocks(ctx, fmt),
      ...seasonalityBlocks(ctx, fmt),
      ...resourcePlanBlocks(ctx, fmt),
      ...dataQualityBlocks(ctx, fmt),
      ...fxBlocks(ctx, fmt),
      ...snapshotBlocks(ctx),
    ],
    footer: reportFooter(ctx, fmt),
  };
  const attachments: MailAttachment[] = [
    {
      filename: `segment-kpis-${analysis.period.id}.csv`,
      content: segmentKpiCsv(ctx),
      contentType: CSV_TYPE,
    },
    {
      filename: `segment-migrations-${analysis.period.id}.csv`,
      content: migrationCsv(ctx),
      contentType: CSV_TYPE,
    },
    ...firmographicAttachments(ctx),
    ...salesAttachments(ctx),
    ...chartAttachments(ctx),
  ];
  return {
    id: `${mailIdPrefix(analysis.period)}-leadership`,
    from: config.mail.from,
    to: [...config.mail.leadership],
    subject,
    html: renderHtml(doc),
    text: renderText(doc),
    attachments,
  };
}
