import { type QuarantineSummary, quarantineReasonText, UNCONVERTED_AMOUNT_REASONS } from '../quarantine.ts';
import type { ClassifiedAccount, RevenueMovement } from '../types.ts';
import { BRIDGE_CHART_ID } from './charts/bridge-chart.ts';
import { chartImageBlocks } from './charts/leadership-charts.ts';
import { MIGRATION_CHART_ID } from './charts/migration-chart.ts';
import { toCsv } from './csv.ts';
import type { ReportBlock, ReportColumn } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import { accountLabel, countOf, orderedSegmentNames, segmentChange } from './labels.ts';
import { isValidOwnerEmail } from './owner-email.ts';
import { previousPeriodLabel, type ReportContext } from './report-context.ts';

const right = (header: string): ReportColumn => ({ header, align: 'right' });
const left = (header: string): ReportColumn => ({ header, align: 'left' });

/**
 * KPIs per segment in report order, with the portfolio as the footer: size and value in one table, retention
 * in a second, so each fits a mail's width.
 */
export function segmentTableBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const { segments, portfolio } = ctx.analysis;
  const ordered = [...segments].sort((a, b) => a.rank - b.rank);
  return [
    { kind: 'heading', text: 'Segments' },
    {
      kind: 'table',
      caption: 'Size and value',
      columns: [
        left('Segment'),
        right('Accounts'),
        right('T12M revenue'),
        right('Share'),
        right('ARPA'),
        right('YoY'),
      ],
      rows: ordered.map((s) => [
        s.segment,
        fmt.number(s.accounts),
        fmt.money(s.revenueT12m),
        fmt.percent(s.revenueShare),
        fmt.money(s.arpa),
        fmt.percentDelta(s.growthYoy),
      ]),
      footer: [
        'Total',
        fmt.number(portfolio.accounts),
        fmt.money(portfolio.revenueT12m),
        fmt.percent(portfolio.revenueT12m > 0 ? 1 : null),
        fmt.money(portfolio.arpa),
        fmt.percentDelta(portfolio.growthYoy),
      ],
    },
    {
      kind: 'table',
      caption: 'Retention and buying pattern',
      columns: [
        left('Segment'),
        right('NRR'),
        right('GRR'),
        right('Still buying'),
        right('Invoices per account'),
        right('Avg invoice'),
      ],
      rows: ordered.map((s) => [
        s.segment,
        fmt.percent(s.retention.nrr),
        fmt.percent(s.retention.grr),
        fmt.percent(s.retention.logoRetention),
        fmt.number(s.avgFrequency, 1),
        fmt.money(s.avgTransaction),
      ]),
      footer: [
        'Total',
        fmt.percent(portfolio.retention.nrr),
        fmt.percent(portfolio.retention.grr),
        fmt.percent(portfolio.retention.logoRetention),
        MISSING,
        MISSING,
      ],
    },
    {
      kind: 'paragraph',
      text: 'Accounts: every account in the segment now. ARPA: T12M revenue per account with revenue in the last 12 months. Invoices per account: over T12M. NRR, GRR and still buying (logo retention) cover the accounts that were in the segment a year ago.',
    },
  ];
}

/** Revenue bridge per segment from the previous period's T12M to this period's: one row per movement, one column per segment. */
export function bridgeBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const { segments, portfolio } = ctx.analysis;
  const ordered = [...segments].sort((a, b) => a.rank - b.rank);
  const bridges = [...ordered.map((s) => s.bridge), portfolio.bridge];
  type Bridge = (typeof portfolio)['bridge'];
  const row = (label: string, pick: (b: Bridge) => number, total: boolean): string[] => [
    label,
    ...bridges.map((b) => (total ? fmt.moneyCompact(pick(b)) : fmt.moneyDelta(pick(b)))),
  ];
  const movements: [string, (b: Bridge) => number][] = [
    ['New', (b) => b.new],
    ['Expansion', (b) => b.expansion],
    ['Reactivation', (b) => b.reactivation],
    ['Contraction', (b) => b.contraction],
    ['Churn', (b) => b.churn],
    ['Transfers in', (b) => b.transfersIn],
    ['Transfers out', (b) => b.transfersOut],
  ];
  return [
    { kind: 'heading', text: `Revenue bridge since ${previousPeriodLabel(ctx)}` },
    ...chartImageBlocks(ctx, BRIDGE_CHART_ID),
    {
      kind: 'table',
      caption: 'T12M revenue bridge by segment',
      columns: [left('Movement'), ...ordered.map((s) => right(s.segment)), right('Total')],
      rows: [
        row('Opening', (b) => b.opening, true),
        ...movements.map(([label, pick]) => row(label, pick, false)),
      ],
      footer: row('Closing', (b) => b.closing, true),
    },
    {
      kind: 'paragraph',
      text: 'Opening and closing are T12M revenue at the previous and the current period end. Churned accounts count in their last revenue segment; transfers are accounts that changed segment, at their previous T12M. The CSV attachment has every figure to the unit.',
    },
  ];
}

/** Revenue concentration: top shares, Gini and HHI. */
export function concentrationBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const c = ctx.analysis.portfolio.concentration;
  return [
    { kind: 'heading', text: 'Concentration' },
    {
      kind: 'table',
      columns: [left('Measure'), right('Value')],
      rows: [
        ['Revenue share of the top 1% of accounts', fmt.percent(c.top1Share)],
        ['Revenue share of the top 10% of accounts', fmt.percent(c.top10Share)],
        ['Revenue share of the top 20% of accounts', fmt.percent(c.top20Share)],
        ['Gini coefficient (0 = even, 1 = one account)', fmt.number(c.gini, 2)],
        ['HHI (0 to 10,000)', fmt.number(c.hhi * 10_000)],
      ],
    },
  ];
}

/** Previous segment x current segment, accounts and current T12M revenue in each cell. */
export function migrationBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const { migrations, migrationBasis } = ctx.analysis;
  const from = orderedSegmentNames(
    ctx.config.segments,
    migrations.map((m) => m.fromSegment),
  ).filter((name) => migrations.some((m) => m.fromSegment === name));
  const to = orderedSegmentNames(
    ctx.config.segments,
    migrations.map((m) => m.toSegment),
  );
  const cell = (f: string, t: string): string => {
    const m = migrations.find((x) => x.fromSegment === f && x.toSegment === t);
    return m && m.accounts > 0 ? `${fmt.number(m.accounts)} · ${fmt.moneyCompact(m.revenueT12m)}` : MISSING;
  };
  const basis =
    migrationBasis === 'snapshot'
      ? `Previous segments come from the snapshot of ${previousPeriodLabel(ctx)}.`
      : `No snapshot of ${previousPeriodLabel(ctx)} was found, so previous segments were derived from the data (T12M at the previous period end with the current brackets).`;
  return [
    { kind: 'heading', text: 'Segment migration' },
    ...chartImageBlocks(ctx, MIGRATION_CHART_ID),
    {
      kind: 'table',
      columns: [left('Previous \\ current'), ...to.map(right)],
      rows: from.map((f) => [f, ...to.map((t) => cell(f, t))]),
      empty: 'No migrations to show.',
    },
    {
      kind: 'paragraph',
      text: `Each cell: accounts · their current T12M revenue. ${basis}`,
    },
  ];
}

function moverTable(
  accounts: readonly ClassifiedAccount[],
  movement: RevenueMovement,
  limit: number,
  fmt: ReportFormatter,
): ReportBlock {
  const picked = accounts
    .filter((a) => a.movement === movement)
    .sort((a, b) =>
      movement === 'expansion'
        ? b.movementAmount - a.movementAmount || a.accountId.localeCompare(b.accountId)
        : a.movementAmount - b.movementAmount || a.accountId.localeCompare(b.accountId),
    )
    .slice(0, limit);
  return {
    kind: 'table',
    columns: [left('Account'), left('Owner'), left('Segment'), right('T12M'), right('Change')],
    rows: picked.map((a) => [
      accountLabel(a),
      a.ownerName || a.ownerEmail || MISSING,
      segmentChange(a) === MISSING ? a.segment : segmentChange(a),
      fmt.money(a.revenueT12m),
      fmt.moneyDeltaFull(a.movementAmount),
    ]),
    empty: `No ${movement === 'churn' ? 'churned accounts' : `${movement}s`} this period.`,
  };
}

/** The largest expansions, contractions and churns, `report.topAccounts` of each. */
export function moverBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const { accounts } = ctx.analysis;
  const limit = ctx.config.report.topAccounts;
  return [
    { kind: 'heading', text: 'Top movers' },
    { kind: 'paragraph', text: 'Largest expansions', emphasis: true },
    moverTable(accounts, 'expansion', limit, fmt),
    { kind: 'paragraph', text: 'Largest contractions', emphasis: true },
    moverTable(accounts, 'contraction', limit, fmt),
    { kind: 'paragraph', text: 'Largest churns', emphasis: true },
    moverTable(accounts, 'churn', limit, fmt),
  ];
}

/** Seasonality index by calendar month. */
export function seasonalityBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const points = [...ctx.analysis.portfolio.seasonality].sort((a, b) => a.month - b.month);
  const monthName = new Intl.DateTimeFormat(ctx.config.locale, { month: 'short', timeZone: 'UTC' });
  const max = Math.max(0, ...points.map((p) => p.index));
  return [
    { kind: 'heading', text: 'Seasonality' },
    points.length === 0
      ? { kind: 'paragraph', text: 'Not available: no monthly revenue to compare.' }
      : {
          kind: 'bars',
          items: points.map((p) => ({
            label: monthName.format(new Date(Date.UTC(2000, p.month - 1, 1))),
            value: fmt.number(p.index, 2),
            ratio: max > 0 ? p.index / max : 0,
          })),
        },
    {
      kind: 'paragraph',
      text: 'Revenue in each calendar month relative to the average month (1.00 = average).',
    },
  ];
}

function quarantineAmount(c: QuarantineSummary['counts'][number]): number | null {
  return c.table === 'accounts' ||
    c.table === 'activities' ||
    c.table === 'campaign_responses' ||
    c.table === 'segment_overrides' ||
    UNCONVERTED_AMOUNT_REASONS.has(c.reason)
    ? null
    : c.amount;
}

/** Quarantined rows per table and reason, for the data-quality CSV attachment. */
export function dataQualityCsv(ctx: ReportContext): string {
  return toCsv(
    ['Period', 'Table', 'Reason', 'Rows', 'Amount', 'What it means'],
    ctx.quarantine.counts.map((c) => [
      ctx.analysis.period.id,
      c.table,
      c.reason,
      c.rows,
      quarantineAmount(c),
      quarantineReasonText(c.reason),
    ]),
  );
}

/**
 * Data quality in a few lines: lines and accounts checked and quarantined, the reasons that weigh most (every
 * reason is in the attached CSV), and the accounts that get no owner mail.
 */
export function dataQualityBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const q = ctx.quarantine;
  const share = q.revenueLinesChecked > 0 ? q.revenueLinesQuarantined / q.revenueLinesChecked : null;
  const noOwner = ctx.analysis.accounts
    .filter((a) => !isValidOwnerEmail(a.ownerEmail))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  const limit = ctx.config.report.topAccounts;
  const listed = noOwner.slice(0, limit).map((a) => `${accountLabel(a)}, owner email '${a.ownerEmail}'`);
  const more = noOwner.length - listed.length;
  const top = [...q.counts].sort((a, b) => b.rows - a.rows || a.table.localeCompare(b.table)).slice(0, limit);
  const rest = q.counts.length - top.length;
  return [
    { kind: 'heading', text: 'Data quality' },
    {
      kind: 'paragraph',
      text: `Revenue lines checked: ${fmt.number(q.revenueLinesChecked)}; quarantined: ${fmt.number(q.revenueLinesQuarantined)} (${share !== null && share > 0 && share < 0.001 ? 'under 0.1%' : fmt.percent(share)}). Accounts checked: ${fmt.number(q.accountsChecked)}; quarantined: ${fmt.number(q.accountsQuarantined)}.${q.counts.length > 0 ? ` Every table and reason is in data-quality-${ctx.analysis.period.id}.csv.` : ''}`,
    },
    {
      kind: 'table',
      caption: rest > 0 ? `Most frequent reasons (${top.length} of ${q.counts.length})` : 'Quarantined rows',
      columns: [left('Table'), left('Reason'), right('Rows'), right('Amount')],
      rows: top.map((c) => [
        c.table,
        quarantineReasonText(c.reason),
        fmt.number(c.rows),
        fmt.money(quarantineAmount(c)),
      ]),
      empty: 'No rows were quarantined.',
    },
    {
      kind: 'paragraph',
      text:
        noOwner.length === 0
          ? 'Every account has a valid owner email.'
          : `${countOf(noOwner.length, 'account', fmt.number(noOwner.length))} without a valid owner email, so no owner mail covers ${noOwner.length === 1 ? 'it' : 'them'}:`,
    },
    ...(listed.length > 0
      ? [{ kind: 'list', items: more > 0 ? [...listed, `and ${fmt.number(more)} more`] : listed } as const]
      : []),
  ];
}

/** What the report's terms mean, for the appendix. */
export function definitionBlocks(): ReportBlock[] {
  return [
    { kind: 'heading', text: 'Definitions' },
    {
      kind: 'list',
      items: [
        'T12M revenue: net revenue over the trailing 12 months ending at the period end.',
        'NRR (net revenue retention): this T12M revenue of the accounts active a year ago, over their revenue then; expansion counts, new accounts do not.',
        'GRR (gross revenue retention): the same without expansion, so at most 100%.',
        'Still buying (logo retention): the share of the accounts active a year ago that bought in the last 12 months.',
        'Revenue at risk: T12M revenue of the accounts at high or medium churn risk.',
        'Top 10% share: the share of T12M revenue held by the largest 10% of accounts with revenue.',
        'Hidden gem: an account whose profile looks like the best accounts but that buys less; a growth opportunity.',
      ],
    },
  ];
}
