import type { ReportBlock } from '../document.ts';
import { MISSING, type ReportFormatter } from '../format.ts';
import { countOf } from '../labels.ts';
import type { ChartRequest } from './chart.ts';
import { CHART_WIDTH, chartConfig, segmentColors } from './chart-theme.ts';
import { moneyAxisExpr } from './money-axis.ts';

/** The chart's id: its CID and attachment name, and how its section finds it. */
export const SEGMENT_TREND_CHART_ID = 'segment-trend';

/** One period's segment totals, from this run or from an earlier period's `segment_kpis` snapshot. */
export interface SegmentPeriodKpis {
  readonly periodId: string;
  /** The period for people, e.g. `October 2026` or `Q3 2026`. */
  readonly label: string;
  readonly segments: readonly {
    readonly segment: string;
    readonly accounts: number;
    readonly revenueT12m: number;
  }[];
}

/** Options of {@link segmentTrendChart}. */
export interface SegmentTrendOptions {
  /** Segment names in report order (sets the colours and the stacking order). */
  readonly segmentOrder: readonly string[];
  /** ISO 4217 code shown in the revenue axis title. */
  readonly currency: string;
  readonly fmt: ReportFormatter;
}

function periodTotal(p: SegmentPeriodKpis): number {
  return p.segments.reduce((sum, s) => sum + s.revenueT12m, 0);
}

/**
 * T12M revenue per segment (stacked bars) and accounts per segment (lines) over the given periods,
 * oldest first; the alt text names the latest period's totals and the change since the first one.
 */
export function segmentTrendChart(
  periods: readonly SegmentPeriodKpis[],
  options: SegmentTrendOptions,
): ChartRequest {
  const { fmt, segmentOrder } = options;
  const rows = periods.flatMap((p, order) =>
    p.segments.map((s) => ({
      period: p.label,
      order,
      segment: s.segment,
      rank: segmentOrder.indexOf(s.segment),
      accounts: s.accounts,
      revenue: s.revenueT12m,
    })),
  );
  const colors = segmentColors(segmentOrder);
  const periodAxis = {
    field: 'period',
    type: 'ordinal',
    sort: periods.map((p) => p.label),
    title: null,
    axis: { labelAngle: 0 },
  } as const;
  const first = periods[0];
  const last = periods.at(-1);
  const bySegment = (p: SegmentPeriodKpis | undefined) =>
    segmentOrder
      .map((name) => p?.segments.find((s) => s.segment === name))
      .filter((s) => s !== undefined)
      .map(
        (s) =>
          `${s.segment} ${fmt.moneyCompact(s.revenueT12m)} (${countOf(s.accounts, 'account', fmt.number(s.accounts))})`,
      )
      .join(', ');
  const span =
    first && last && first !== last
      ? ` Total T12M revenue went from ${fmt.moneyCompact(periodTotal(first))} in ${first.label} to ${fmt.moneyCompact(periodTotal(last))} in ${last.label}.`
      : '';
  const alt =
    `Chart of T12M revenue and accounts by segment over ${periods.length === 1 ? 'one period' : `${periods.length} periods`}` +
    `${first && last && first !== last ? `, ${first.label} to ${last.label}` : ''}.${span}` +
    `${last ? ` In ${last.label}: ${bySegment(last)}.` : ''}`;
  return {
    id: SEGMENT_TREND_CHART_ID,
    title: 'Segments over the last periods',
    alt,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: chartConfig,
      data: { values: rows },
      vconcat: [
        {
          title: 'T12M revenue',
          width: CHART_WIDTH,
          height: 170,
          mark: { type: 'bar', tooltip: false },
          encoding: {
            x: { ...periodAxis, axis: { labelAngle: 0, labels: false, ticks: false } },
            y: {
              field: 'revenue',
              type: 'quantitative',
              aggregate: 'sum',
              title: null,
              axis: { labelExpr: moneyAxisExpr(options.fmt) },
            },
            // Two columns: four names in a row would make the chart too wide to read on a phone.
            color: { field: 'segment', type: 'nominal', scale: colors, title: null, legend: { columns: 2 } },
            order: { field: 'rank', type: 'quantitative', sort: 'descending' },
          },
        },
        {
          title: 'Accounts by segment',
          width: CHART_WIDTH,
          height: 130,
          mark: { type: 'line', point: { size: 50, filled: true }, strokeWidth: 2 },
          encoding: {
            x: periodAxis,
            y: { field: 'accounts', type: 'quantitative', title: null, axis: { format: '~s' } },
            color: { field: 'segment', type: 'nominal', scale: colors, title: null },
          },
        },
      ],
    },
  };
}

/** The chart's numbers as a table: one row per period, T12M revenue and accounts per segment. */
export function segmentTrendTable(
  periods: readonly SegmentPeriodKpis[],
  segmentOrder: readonly string[],
  fmt: ReportFormatter,
): ReportBlock {
  const shown = segmentOrder.filter((name) =>
    periods.some((p) => p.segments.some((s) => s.segment === name)),
  );
  return {
    kind: 'table',
    columns: [
      { header: 'Period' },
      ...shown.map((name) => ({ header: name, align: 'right' as const })),
      { header: 'Total', align: 'right' },
    ],
    rows: periods.map((p) => {
      const cell = (name: string) => {
        const s = p.segments.find((x) => x.segment === name);
        return s ? `${fmt.moneyCompact(s.revenueT12m)} · ${fmt.number(s.accounts)}` : MISSING;
      };
      const accounts = p.segments.reduce((sum, s) => sum + s.accounts, 0);
      return [p.label, ...shown.map(cell), `${fmt.moneyCompact(periodTotal(p))} · ${fmt.number(accounts)}`];
    }),
  };
}
