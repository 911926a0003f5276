import type { MailAttachment } from '../../ports/mailer.ts';
import {
  FIRMOGRAPHIC_DIMENSIONS,
  type FirmographicDimension,
  type FirmographicKpi,
} from '../firmographics/firmographic-kpis.ts';
import { toCsv } from './csv.ts';
import type { ReportBlock, ReportColumn } from './document.ts';
import type { ReportFormatter } from './format.ts';
import type { ReportContext } from './report-context.ts';

/** Groups listed per dimension in the mail; the attached CSV has them all. */
const MAX_GROUPS = 5;

const DIMENSION_LABELS: Readonly<Record<FirmographicDimension, string>> = {
  industry: 'Industry',
  region: 'Region',
  country: 'Country',
  size_band: 'Company size',
};

const right = (header: string): ReportColumn => ({ header, align: 'right' });

function dimensionBlocks(
  dimension: FirmographicDimension,
  rows: readonly FirmographicKpi[],
  fmt: ReportFormatter,
): ReportBlock[] {
  const groups = rows.filter((r) => r.dimension === dimension && r.segment === null);
  if (groups.length === 0) return [];
  const shown = groups.slice(0, MAX_GROUPS);
  const blocks: ReportBlock[] = [
    {
      kind: 'table',
      columns: [
        { header: DIMENSION_LABELS[dimension], align: 'left' },
        right('Accounts'),
        right('T12M revenue'),
        right('Share'),
        right('YoY'),
        right('NRR'),
        right('Headroom'),
      ],
      rows: shown.map((g) => [
        g.value,
        fmt.number(g.accounts),
        fmt.money(g.revenueT12m),
        fmt.percent(g.shareOfSegment),
        fmt.percentDelta(g.growthYoy),
        fmt.percent(g.retention.nrr),
        fmt.percent(g.headroom),
      ]),
    },
  ];
  if (groups.length > shown.length) {
    blocks.push({
      kind: 'paragraph',
      text: `${groups.length - shown.length} more ${DIMENSION_LABELS[dimension].toLowerCase()} groups are in the attached segment-firmographics CSV.`,
    });
  }
  return blocks;
}

/**
 * The quarterly report's firmographic section: for industry, region, country and company size, the
 * largest groups by T12M with accounts, revenue, share of the portfolio, ARPA, YoY, NRR and the
 * accounts per segment. Empty for a monthly run or a context without firmographics.
 */
export function firmographicBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const rows = ctx.firmographics;
  if (ctx.analysis.period.cadence !== 'quarterly' || !rows) return [];
  return [
    { kind: 'heading', text: 'Segments by industry, region and company size' },
    {
      kind: 'paragraph',
      text: 'Each group with its T12M revenue, share of the portfolio, ARPA, year-on-year growth, net revenue retention, headroom (the share of its estimated wallet, employees x spend per employee of the industry as growth potential estimates it, not yet captured) and accounts per segment; the attached CSV has every segment KPI for every group.',
    },
    ...FIRMOGRAPHIC_DIMENSIONS.flatMap((d) => dimensionBlocks(d, rows, fmt)),
  ];
}

/** Every firmographic KPI row as CSV, raw numbers (ratios as fractions); segment empty for a whole group. */
export function firmographicCsv(ctx: ReportContext): string {
  const { period } = ctx.analysis;
  return toCsv(
    [
      'period',
      'cadence',
      'dimension',
      'value',
      'segment',
      'accounts',
      'active_accounts',
      'revenue_t12m',
      'revenue_prior_t12m',
      'revenue_period',
      'revenue_share',
      'share_of_segment',
      'arpa',
      'avg_frequency',
      'avg_transaction',
      'growth_yoy',
      'nrr',
      'grr',
      'logo_retention',
      'bridge_opening',
      'bridge_new',
      'bridge_expansion',
      'bridge_contraction',
      'bridge_churn',
      'bridge_reactivation',
      'bridge_closing',
      'accounts_in',
      'accounts_out',
      'estimated_wallet',
      'headroom',
    ],
    (ctx.firmographics ?? []).map((r) => [
      period.id,
      period.cadence,
      r.dimension,
      r.value,
      r.segment,
      r.accounts,
      r.activeAccounts,
      r.revenueT12m,
      r.revenuePriorT12m,
      r.revenuePeriod,
      r.revenueShare,
      r.shareOfSegment,
      r.arpa,
      r.avgFrequency,
      r.avgTransaction,
      r.growthYoy,
      r.retention.nrr,
      r.retention.grr,
      r.retention.logoRetention,
      r.bridge.opening,
      r.bridge.new,
      r.bridge.expansion,
      r.bridge.contraction,
      r.bridge.churn,
      r.bridge.reactivation,
      r.bridge.closing,
      r.accountsIn,
      r.accountsOut,
      r.estimatedWallet,
      r.headroom,
    ]),
  );
}

/** The firmographic CSV attachment of a quarterly leadership mail; none for a monthly run. */
export function firmographicAttachments(ctx: ReportContext): MailAttachment[] {
  if (ctx.analysis.period.cadence !== 'quarterly' || !ctx.firmographics) return [];
  return [
    {
      filename: `segment-firmographics-${ctx.analysis.period.id}.csv`,
      content: firmographicCsv(ctx),
      contentType: 'text/csv; charset=utf-8',
    },
  ];
}
