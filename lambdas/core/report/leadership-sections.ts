import { quarantineReasonText, UNCONVERTED_AMOUNT_REASONS } from '../quarantine.ts';
import type { ClassifiedAccount, RevenueMovement } from '../types.ts';
import { BRIDGE_CHART_ID } from './charts/bridge-chart.ts';
import { chartImageBlocks } from './charts/leadership-charts.ts';
import { MIGRATION_CHART_ID } from './charts/migration-chart.ts';
import type { ReportBlock, ReportColumn } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import { accountLabel, countOf, orderedSegmentNames, segmentChange } from './labels.ts';
import { isValidOwnerEmail } from './owner-email.ts';
import { previousPeriodLabel, type ReportContext } from './report-context.ts';
import { ratioChange, whatChangedMost } from './what-changed.ts';

const right = (header: string): ReportColumn => ({ header, align: 'right' });
const left = (header: string): ReportColumn => ({ header, align: 'left' });

/**
 * Headline figures, each with its change since the previous period (NRR and GRR against the previous
 * period's snapshot), then one sentence of what changed most.
 */
export function headlineBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const { portfolio, accounts } = ctx.analysis;
  const { bridge, retention } = portfolio;
  const previous = previousPeriodLabel(ctx);
  const since = `since ${previous}`;
  const previousActive = accounts.filter((a) => a.previousRevenueT12m > 0).length;
  const retained =
    retention.logoRetention === null ? null : Math.round(retention.logoRetention * retention.baseAccounts);
  const base = `base: ${countOf(retention.baseAccounts, 'account', fmt.number(retention.baseAccounts))}, ${fmt.moneyCompact(retention.baseRevenue)} prior-year revenue`;
  return [
    {
      kind: 'metrics',
      items: [
        {
          label: 'T12M revenue',
          value: fmt.moneyCompact(portfolio.revenueT12m),
          detail: `${fmt.moneyCompact(bridge.opening)} → ${fmt.moneyCompact(bridge.closing)} (${fmt.moneyDelta(bridge.closing - bridge.opening)}) ${since}`,
        },
        {
          label: 'Active accounts',
          value: fmt.number(portfolio.activeAccounts),
          detail:
            previousActive === portfolio.activeAccounts
              ? `no change ${since}`
              : `${fmt.number(previousActive)} → ${fmt.number(portfolio.activeAccounts)} (${fmt.countDelta(portfolio.activeAccounts - previousActive)}) ${since}`,
        },
        {
          label: 'YoY growth',
          value: fmt.percentDelta(portfolio.growthYoy),
          detail: `vs ${fmt.moneyCompact(portfolio.revenuePriorT12m)} in the prior 12 months`,
        },
        {
          label: 'Net revenue retention',
          value: fmt.percent(retention.nrr),
          detail: `${ratioChange(retention.nrr, ctx.previousPortfolio, (p) => p.nrr, previous, fmt)}; ${base}`,
        },
        {
          label: 'Gross revenue retention',
          value: fmt.percent(retention.grr),
          detail: `${ratioChange(retention.grr, ctx.previousPortfolio, (p) => p.grr, previous, fmt)}; ${base}`,
        },
        {
          label: 'Logo retention',
          value: fmt.percent(retention.logoRetention),
          detail:
            retained === null
              ? 'no accounts were active in the prior year'
              : `${fmt.number(retained)} of ${fmt.number(retention.baseAccounts)} accounts still active`,
        },
      ],
    },
    { kind: 'paragraph', text: whatChangedMost(ctx.analysis, ctx.config.segments, fmt), emphasis: true },
  ];
}

/** KPIs per segment in report order, with the portfolio as the footer. */
export function segmentTableBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const { segments, portfolio } = ctx.analysis;
  const rows = [...segments]
    .sort((a, b) => a.rank - b.rank)
    .map((s) => [
      s.segment,
      fmt.number(s.accounts),
      fmt.money(s.revenueT12m),
      fmt.percent(s.revenueShare),
      fmt.money(s.arpa),
      fmt.number(s.avgFrequency, 1),
      fmt.money(s.avgTransaction),
      fmt.percentDelta(s.growthYoy),
      fmt.percent(s.retention.nrr),
      fmt.percent(s.retention.grr),
      fmt.percent(s.retention.logoRetention),
    ]);
  return [
    { kind: 'heading', text: 'Segments' },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Accounts'),
        right('T12M revenue'),
        right('Share'),
        right('ARPA'),
        right('Avg frequency'),
        right('Avg transaction'),
        right('YoY'),
        right('NRR'),
        right('GRR'),
        right('Logo retention'),
      ],
      rows,
      footer: [
        'Total',
        fmt.number(portfolio.accounts),
        fmt.money(portfolio.revenueT12m),
        fmt.percent(portfolio.revenueT12m > 0 ? 1 : null),
        fmt.money(portfolio.arpa),
        MISSING,
        MISSING,
        fmt.percentDelta(portfolio.growthYoy),
        fmt.percent(portfolio.retention.nrr),
        fmt.percent(portfolio.retention.grr),
        fmt.percent(portfolio.retention.logoRetention),
      ],
    },
    {
      kind: 'paragraph',
      text: 'ARPA: T12M revenue per active account. Avg frequency: invoices per account in T12M. Retention columns cover the accounts that were in the segment a year ago.',
    },
  ];
}

/** Revenue bridge per segment from the previous period's T12M to this period's. */
export function bridgeBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const { segments, portfolio } = ctx.analysis;
  const cells = (name: string, b: (typeof portfolio)['bridge']): string[] => [
    name,
    fmt.money(b.opening),
    fmt.moneyDeltaFull(b.new),
    fmt.moneyDeltaFull(b.expansion),
    fmt.moneyDeltaFull(b.contraction),
    fmt.moneyDeltaFull(b.churn),
    fmt.moneyDeltaFull(b.reactivation),
    fmt.moneyDeltaFull(b.transfersIn),
    fmt.moneyDeltaFull(b.transfersOut),
    fmt.money(b.closing),
  ];
  return [
    { kind: 'heading', text: `Revenue bridge since ${previousPeriodLabel(ctx)}` },
    ...chartImageBlocks(ctx, BRIDGE_CHART_ID),
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Opening'),
        right('New'),
        right('Expansion'),
        right('Contraction'),
        right('Churn'),
        right('Reactivation'),
        right('Transfers in'),
        right('Transfers out'),
        right('Closing'),
      ],
      rows: [...segments].sort((a, b) => a.rank - b.rank).map((s) => cells(s.segment, s.bridge)),
      footer: cells('Total', portfolio.bridge),
    },
    {
      kind: 'paragraph',
      text: 'Opening and closing are T12M revenue at the previous and the current period end. Churned accounts count in their last revenue segment; transfers are accounts that changed segment, at their previous T12M.',
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
    columns: [
      left('Account'),
      left('Owner'),
      left('Segment'),
      right('Previous T12M'),
      right('T12M'),
      right('Change'),
    ],
    rows: picked.map((a) => [
      accountLabel(a),
      a.ownerName || a.ownerEmail || MISSING,
      segmentChange(a) === MISSING ? a.segment : segmentChange(a),
      fmt.money(a.previousRevenueT12m),
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

/** Quarantined rows per table and reason, lines checked, and accounts that get no owner mail. */
export function dataQualityBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const q = ctx.quarantine;
  const share = q.revenueLinesChecked > 0 ? q.revenueLinesQuarantined / q.revenueLinesChecked : null;
  const noOwner = ctx.analysis.accounts
    .filter((a) => !isValidOwnerEmail(a.ownerEmail))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  const limit = ctx.config.report.topAccounts;
  const listed = noOwner.slice(0, limit).map((a) => `${accountLabel(a)}, owner email '${a.ownerEmail}'`);
  const more = noOwner.length - listed.length;
  return [
    { kind: 'heading', text: 'Data quality' },
    {
      kind: 'paragraph',
      text: `Revenue lines checked: ${fmt.number(q.revenueLinesChecked)}; quarantined: ${fmt.number(q.revenueLinesQuarantined)} (${fmt.percent(share)}). Accounts checked: ${fmt.number(q.accountsChecked)}; quarantined: ${fmt.number(q.accountsQuarantined)}.`,
    },
    {
      kind: 'table',
      columns: [left('Table'), left('Reason'), right('Rows'), right('Amount'), left('What it means')],
      rows: q.counts.map((c) => [
        c.table,
        c.reason,
        fmt.number(c.rows),
        c.table === 'accounts' ||
        c.table === 'activities' ||
        c.table === 'campaign_responses' ||
        c.table === 'segment_overrides' ||
        UNCONVERTED_AMOUNT_REASONS.has(c.reason)
          ? MISSING
          : fmt.money(c.amount),
        quarantineReasonText(c.reason),
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

/** Where the period's snapshot was written. */
export function snapshotBlocks(ctx: ReportContext): ReportBlock[] {
  return [
    { kind: 'heading', text: 'Snapshot' },
    {
      kind: 'paragraph',
      text: `The snapshot of this period (account segments, segment and portfolio KPIs, migrations, cohorts) is at ${ctx.snapshotLocation}`,
    },
  ];
}
