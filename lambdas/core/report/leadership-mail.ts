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
  dataQualityCsv,
  definitionBlocks,
  migrationBlocks,
  moverBlocks,
  seasonalityBlocks,
  segmentTableBlocks,
} from './leadership-sections.ts';
import {
  atRiskAccounts,
  firstScreenBlocks,
  growthOpportunities,
  leadershipSubject,
  type Spotlight,
} from './leadership-summary.ts';
import { overrideBlocks } from './override-sections.ts';
import { modelDiagnosticBlocks, predictionBlocks } from './prediction-sections.ts';
import { renderHtml } from './render-html.ts';
import { renderText } from './render-text.ts';
import { formatterFor, mailIdPrefix, type ReportContext, reportFooter } from './report-context.ts';
import { quarterlyReviewBlocks, resourcePlanBlocks } from './review-sections.ts';
import { salesAttachments, salesBlocks } from './sales-sections.ts';

const CSV_TYPE = 'text/csv; charset=utf-8';

/** How many accounts each list in the leadership mail's body names at most. */
export const LISTED_IN_BODY = 5;

/**
 * Every at-risk account and hidden gem, and the `report.topAccounts` largest expansions, contractions and
 * churns, one row per account and list: what the body's short lists stand for.
 */
export function accountsToWatchCsv(ctx: ReportContext): string {
  const round = (n: number) => Math.round(n * 100) / 100;
  const movers = (movement: 'expansion' | 'contraction' | 'churn') =>
    ctx.analysis.accounts
      .filter((a) => a.movement === movement)
      .sort(
        (a, b) =>
          Math.abs(b.movementAmount) - Math.abs(a.movementAmount) || a.accountId.localeCompare(b.accountId),
      )
      .slice(0, ctx.config.report.topAccounts)
      .map((a) => ({ account: a, amount: a.movementAmount, why: movement, nextAction: '' }));
  const lists: [string, Spotlight[]][] = [
    ['At risk', atRiskAccounts(ctx)],
    ['Growth opportunity', growthOpportunities(ctx)],
    ['Largest expansion', movers('expansion')],
    ['Largest contraction', movers('contraction')],
    ['Largest churn', movers('churn')],
  ];
  return toCsv(
    [
      'Period',
      'List',
      'Account ID',
      'Account name',
      'Owner',
      'Owner email',
      'Segment',
      'T12M revenue',
      'Amount',
      'Why',
      'Next action',
    ],
    lists.flatMap(([list, items]) =>
      items.map((s) => [
        ctx.analysis.period.id,
        list,
        s.account.accountId,
        s.account.accountName,
        s.account.ownerName,
        s.account.ownerEmail,
        s.account.segment,
        round(s.account.revenueT12m),
        round(s.amount),
        s.why,
        s.nextAction,
      ]),
    ),
  );
}

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
 * Builds the leadership report of a period, first what a VP reads in a minute: what changed in three sentences,
 * the headline figures with their changes (revenue at risk and concentration among them) and the largest risks
 * and opportunities with owner and next action. Then segments (with the sales team's overrides that explain
 * where counts differ), the segments over the last periods, revenue bridge, migration, retention (quarterly
 * review, quarterly runs only), concentration, predictions, firmographics, sales efficiency, top movers,
 * seasonality and the resource plan; last an appendix a VP can skip: data quality, model diagnostics,
 * currency conversion and definitions. As HTML and plain text, with the segment KPIs, migrations and data
 * quality as CSV. The charts in `ctx.charts` (drawn by the job) go inline as CID PNG images, each above the
 * table with its numbers. Recipients come only from `config.mail.leadership`.
 */
export function buildLeadershipMail(full: ReportContext): OutgoingMail {
  const { config, analysis } = full;
  // The body names the largest few of each list, so the quarterly mail stays under Gmail's clipping size; the
  // attached accounts-to-watch CSV carries every at-risk account and hidden gem and the configured top movers.
  const ctx: ReportContext = {
    ...full,
    config: {
      ...config,
      report: { ...config.report, topAccounts: Math.min(config.report.topAccounts, LISTED_IN_BODY) },
    },
  };
  const fmt = formatterFor(ctx);
  const subject = leadershipSubject(ctx, fmt);
  const doc: ReportDocument = {
    title: subject,
    lang: config.locale,
    preheader: `T12M revenue ${fmt.moneyCompact(analysis.portfolio.revenueT12m)}, ${fmt.number(analysis.portfolio.activeAccounts)} active accounts`,
    blocks: [
      ...firstScreenBlocks(ctx, fmt),
      ...currencyNoteBlocks(ctx, fmt),
      ...segmentTableBlocks(ctx, fmt),
      ...overrideBlocks(ctx, fmt),
      ...segmentTrendBlocks(ctx, fmt),
      ...bridgeBlocks(ctx, fmt),
      ...migrationBlocks(ctx, fmt),
      ...quarterlyReviewBlocks(ctx, fmt),
      ...concentrationBlocks(ctx, fmt),
      ...lorenzBlocks(ctx, fmt),
      ...predictionBlocks(ctx, fmt),
      ...firmographicBlocks(ctx, fmt),
      ...salesBlocks(ctx, fmt),
      ...moverBlocks(ctx, fmt),
      ...seasonalityBlocks(ctx, fmt),
      ...resourcePlanBlocks(ctx, fmt),
      { kind: 'heading', text: 'Appendix' },
      {
        kind: 'paragraph',
        text: 'For analysts: how the data was checked, how well the models fit, and what each figure means.',
      },
      ...dataQualityBlocks(ctx, fmt),
      ...modelDiagnosticBlocks(ctx, fmt),
      ...fxBlocks(ctx, fmt),
      ...definitionBlocks(),
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
    {
      filename: `accounts-to-watch-${analysis.period.id}.csv`,
      content: accountsToWatchCsv(full),
      contentType: CSV_TYPE,
    },
    {
      filename: `data-quality-${analysis.period.id}.csv`,
      content: dataQualityCsv(ctx),
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
