import type { MailAttachment } from '../../ports/mailer.ts';
import { COSTS_TABLE } from '../sales/costs.ts';
import { OPPORTUNITIES_TABLE } from '../sales/opportunities.ts';
import type { SalesEfficiency, SalesWindowName, SegmentSalesEfficiency } from '../sales/sales-efficiency.ts';
import type { SalesInputCheck } from '../sales/sales-input.ts';
import { toCsv } from './csv.ts';
import type { ReportBlock } from './document.ts';
import { MISSING, type ReportFormatter } from './format.ts';
import { accountLabel } from './labels.ts';
import { normalizeEmail } from './owner-email.ts';
import type { ReportContext } from './report-context.ts';

/** Shown wherever a number needs the `opportunities` input and the run had none. */
export const OPPORTUNITIES_NOT_AVAILABLE = `not available: needs ${OPPORTUNITIES_TABLE}`;
/** Shown wherever a number needs the `costs` input and the run had none. */
export const COSTS_NOT_AVAILABLE = `not available: needs ${COSTS_TABLE}`;

/** How many of an owner's open opportunities their mail lists, largest first. */
const OWNER_OPEN_LISTED = 5;
/** How many owners the leadership table lists (the snapshot has all). */
const OWNERS_LISTED = 10;

const left = (header: string) => ({ header });
const right = (header: string) => ({ header, align: 'right' as const });

function rowsOf(sales: SalesEfficiency, window: SalesWindowName): SegmentSalesEfficiency[] {
  return sales.segments.filter((s) => s.window.name === window);
}

function checkedText(check: SalesInputCheck, fmt: ReportFormatter): string {
  const bad = check.rejected.length;
  return `${check.table}: ${fmt.number(check.rowsChecked)} rows checked, ${fmt.number(bad)} quarantined${bad > 0 ? ' (see Data quality)' : ''}`;
}

function opportunities(count: number): string {
  return count === 1 ? 'opportunity' : 'opportunities';
}

function days(value: number | null, fmt: ReportFormatter): string {
  return value === null ? MISSING : fmt.number(value, value % 1 === 0 ? 0 : 1);
}

function opportunityBlocks(sales: SalesEfficiency, fmt: ReportFormatter): ReportBlock[] {
  if (!sales.opportunities) {
    return [
      {
        kind: 'paragraph',
        text: `Conversion rate, sales cycle and open pipeline: ${OPPORTUNITIES_NOT_AVAILABLE}.`,
      },
    ];
  }
  const period = new Map(rowsOf(sales, 'period').map((s) => [s.segment, s]));
  const t12m = rowsOf(sales, 't12m');
  const owners = sales.owners.filter((o) => o.window.name === 't12m');
  const listed = owners.slice(0, OWNERS_LISTED);
  const blocks: ReportBlock[] = [
    {
      kind: 'paragraph',
      text: 'Conversion rate = won / (won + lost) closed in the window; sales cycle = days from created to won (median and 75th percentile, linear interpolation); open pipeline = opportunities open at the period end.',
    },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Conversion, period'),
        right('Conversion, T12M'),
        right('Won / closed, T12M'),
        right('Won value, T12M'),
        right('Cycle median, days'),
        right('Cycle p75, days'),
        right('Open pipeline'),
        right('Open value'),
      ],
      rows: t12m.map((s) => {
        const o = s.opportunities;
        const p = period.get(s.segment)?.opportunities ?? null;
        return [
          s.segment,
          fmt.percent(p?.conversionRate ?? null),
          fmt.percent(o?.conversionRate ?? null),
          o ? `${fmt.number(o.won)} / ${fmt.number(o.won + o.lost)}` : MISSING,
          fmt.money(o?.wonAmount ?? null),
          days(o?.cycleMedianDays ?? null, fmt),
          days(o?.cycleP75Days ?? null, fmt),
          fmt.number(o?.openCount ?? null),
          fmt.money(o?.openAmount ?? null),
        ];
      }),
    },
    {
      kind: 'table',
      columns: [
        left('Owner'),
        right('Accounts'),
        right('Won / closed, T12M'),
        right('Conversion, T12M'),
        right('Cycle median, days'),
        right('Open pipeline'),
        right('Open value'),
      ],
      rows: listed.map((o) => [
        o.ownerName || o.ownerEmail,
        fmt.number(o.accounts),
        `${fmt.number(o.opportunities.won)} / ${fmt.number(o.opportunities.won + o.opportunities.lost)}`,
        fmt.percent(o.opportunities.conversionRate),
        days(o.opportunities.cycleMedianDays, fmt),
        fmt.number(o.opportunities.openCount),
        fmt.money(o.opportunities.openAmount),
      ]),
      empty: 'No account has an owner.',
    },
  ];
  if (owners.length > listed.length) {
    blocks.push({
      kind: 'paragraph',
      text: `${fmt.number(owners.length - listed.length)} more owners are in the owner_sales_efficiency table of the period's snapshot.`,
    });
  }
  return blocks;
}

function paybackText(s: SegmentSalesEfficiency, fmt: ReportFormatter): string {
  const e = s.economics;
  if (!e || e.cac === null) return MISSING;
  return e.cacPaybackMonths === null ? 'does not pay back' : fmt.number(e.cacPaybackMonths, 1);
}

function costBlocks(sales: SalesEfficiency, fmt: ReportFormatter): ReportBlock[] {
  if (!sales.costs) {
    return [
      {
        kind: 'paragraph',
        text: `CAC, cost to serve, gross profit, segment profitability, ROI and CAC payback: ${COSTS_NOT_AVAILABLE}.`,
      },
    ];
  }
  const period = new Map(rowsOf(sales, 'period').map((s) => [s.segment, s]));
  const margin = fmt.percent(sales.grossMargin);
  return [
    {
      kind: 'paragraph',
      text: `Over T12M, with a gross margin of ${margin}${sales.grossMargin === 1 ? ' (an assumption: no margin is configured, so gross profit equals revenue and profit, ROI and payback are upper bounds)' : ' (configured)'}. CAC = acquisition costs / accounts whose first invoice falls in the window; profit = gross profit - cost to serve - acquisition costs; ROI = profit / those costs; CAC payback = CAC / a typical active account's monthly gross profit after cost to serve. An account's costs count in its segment.`,
    },
    {
      kind: 'table',
      columns: [
        left('Segment'),
        right('Revenue'),
        right('New accounts (period / T12M)'),
        right('CAC'),
        right('Cost to serve'),
        right('Gross profit'),
        right('Profit'),
        right('Profit margin'),
        right('ROI'),
        right('CAC payback, months'),
      ],
      rows: rowsOf(sales, 't12m').map((s) => {
        const e = s.economics;
        const p = period.get(s.segment)?.economics ?? null;
        return [
          s.segment,
          fmt.money(e?.revenue ?? null),
          `${fmt.number(p?.newAccounts ?? null)} / ${fmt.number(e?.newAccounts ?? null)}`,
          e && e.cac === null ? 'no new accounts' : fmt.money(e?.cac ?? null),
          fmt.money(e?.costToServe ?? null),
          fmt.money(e?.grossProfit ?? null),
          fmt.money(e?.profit ?? null),
          fmt.percent(e?.profitMargin ?? null),
          fmt.percent(e?.roi ?? null),
          paybackText(s, fmt),
        ];
      }),
    },
  ];
}

/**
 * Leadership view of sales efficiency and profitability (issue 6): per segment conversion, sales cycle and
 * open pipeline, per owner the same, then CAC, cost to serve, gross profit, profit, ROI and CAC payback per
 * segment. A part whose input is absent says "not available: needs <table>" instead of showing numbers.
 */
export function salesBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const heading: ReportBlock = { kind: 'heading', text: 'Sales efficiency and profitability' };
  const sales = ctx.sales;
  if (!sales) {
    return [
      heading,
      {
        kind: 'paragraph',
        text: `Conversion, sales cycle and pipeline: ${OPPORTUNITIES_NOT_AVAILABLE}. CAC, cost to serve, profitability and ROI: ${COSTS_NOT_AVAILABLE}.`,
      },
    ];
  }
  const checks = [sales.opportunities, sales.costs].filter((c) => c !== undefined);
  return [
    heading,
    ...(checks.length > 0
      ? [
          {
            kind: 'paragraph',
            text: `Inputs: ${checks.map((c) => checkedText(c, fmt)).join('; ')}.`,
          } as const,
        ]
      : []),
    ...opportunityBlocks(sales, fmt),
    ...costBlocks(sales, fmt),
  ];
}

/** Every segment row of both windows as CSV, raw numbers (ratios as fractions); empty cells when not available. */
export function salesEfficiencyCsv(ctx: ReportContext): string {
  const sales = ctx.sales;
  const { period } = ctx.analysis;
  return toCsv(
    [
      'period',
      'cadence',
      'segment',
      'window_name',
      'window_start',
      'window_end',
      'accounts',
      'opportunities_won',
      'opportunities_lost',
      'conversion_rate',
      'won_amount',
      'sales_cycle_median_days',
      'sales_cycle_p75_days',
      'pipeline_open_count',
      'pipeline_open_amount',
      'revenue',
      'new_accounts',
      'acquisition_cost',
      'cac',
      'cost_to_serve',
      'gross_profit',
      'profit',
      'profit_margin',
      'roi',
      'cac_payback_months',
    ],
    (sales?.segments ?? []).map((s) => {
      const o = s.opportunities;
      const e = s.economics;
      return [
        period.id,
        period.cadence,
        s.segment,
        s.window.name,
        s.window.start,
        s.window.end,
        s.accounts,
        o?.won,
        o?.lost,
        o?.conversionRate,
        o?.wonAmount,
        o?.cycleMedianDays,
        o?.cycleP75Days,
        o?.openCount,
        o?.openAmount,
        e?.revenue,
        e?.newAccounts,
        e?.acquisitionCost,
        e?.cac,
        e?.costToServe,
        e?.grossProfit,
        e?.profit,
        e?.profitMargin,
        e?.roi,
        e?.cacPaybackMonths,
      ];
    }),
  );
}

/** The sales efficiency CSV attachment of the leadership mail; none when the run measured no sales inputs. */
export function salesAttachments(ctx: ReportContext): MailAttachment[] {
  const sales = ctx.sales;
  if (!sales || (!sales.opportunities && !sales.costs)) return [];
  return [
    {
      filename: `sales-efficiency-${ctx.analysis.period.id}.csv`,
      content: salesEfficiencyCsv(ctx),
      contentType: 'text/csv; charset=utf-8',
    },
  ];
}

/**
 * An owner's short view of their pipeline: conversion and sales cycle of their accounts over T12M, their open
 * pipeline and its largest opportunities. Says "not available" when the run had no opportunities.
 */
export function ownerSalesBlocks(
  ctx: ReportContext,
  ownerEmail: string,
  fmt: ReportFormatter,
): ReportBlock[] {
  const heading: ReportBlock = { kind: 'heading', text: 'Your pipeline and conversion' };
  const sales = ctx.sales;
  if (!sales?.opportunities) {
    return [heading, { kind: 'paragraph', text: `Conversion and pipeline: ${OPPORTUNITIES_NOT_AVAILABLE}.` }];
  }
  const owner = normalizeEmail(ownerEmail);
  const mine = sales.owners.find((o) => o.ownerEmail === owner && o.window.name === 't12m');
  if (!mine) return [];
  const m = mine.opportunities;
  const closed = m.won + m.lost;
  const open = sales.openOpportunities.filter((o) => o.ownerEmail === owner);
  const listed = open.slice(0, OWNER_OPEN_LISTED).map((o) => {
    const expected = o.stage === 'open' && o.closedOn ? `, expected to close ${fmt.date(o.closedOn)}` : '';
    return `${o.opportunityId} with ${accountLabel(o)}: ${fmt.money(o.amount)}, open since ${fmt.date(o.createdOn)}${expected}`;
  });
  return [
    heading,
    {
      kind: 'paragraph',
      text: `Last 12 months: ${fmt.number(m.won)} won of ${fmt.number(closed)} closed ${opportunities(closed)} (conversion ${fmt.percent(m.conversionRate)}), median sales cycle ${m.cycleMedianDays === null ? `${MISSING} (none won)` : `${days(m.cycleMedianDays, fmt)} days`}. Open pipeline at ${fmt.date(ctx.analysis.period.end)}: ${fmt.number(m.openCount)} ${opportunities(m.openCount)} worth ${fmt.money(m.openAmount)}.`,
    },
    ...(listed.length > 0
      ? [
          { kind: 'paragraph', text: 'Largest open opportunities:' } as const,
          {
            kind: 'list',
            items:
              open.length > listed.length
                ? [...listed, `and ${fmt.number(open.length - listed.length)} more`]
                : listed,
          } as const,
        ]
      : []),
  ];
}
