import type { MailAttachment } from '../../../ports/mailer.ts';
import { periodContaining } from '../../period.ts';
import type { ReportBlock } from '../document.ts';
import type { ReportFormatter } from '../format.ts';
import { orderedSegmentNames } from '../labels.ts';
import { periodLabel, previousPeriodLabel, type ReportContext } from '../report-context.ts';
import { bridgeChart } from './bridge-chart.ts';
import type { ChartRequest } from './chart.ts';
import { cohortChart, SHOWN_AGES, SHOWN_COHORTS, shownAges } from './cohort-chart.ts';
import { LORENZ_CHART_ID, lorenzChart, lorenzTable } from './lorenz-chart.ts';
import { migrationChart } from './migration-chart.ts';
import {
  SEGMENT_TREND_CHART_ID,
  type SegmentPeriodKpis,
  segmentTrendChart,
  segmentTrendTable,
} from './segment-trend-chart.ts';

/** The Content-ID of a chart image; the HTML refers to it as `cid:<id>`. */
export function chartCid(chartId: string): string {
  return `${chartId}@revenue-segments`;
}

function segmentOrder(ctx: ReportContext): string[] {
  return orderedSegmentNames(
    ctx.config.segments,
    ctx.analysis.segments.map((s) => s.segment),
  );
}

/** This period's segment totals in the shape of the history read from earlier snapshots. */
export function currentSegmentPeriod(ctx: ReportContext): SegmentPeriodKpis {
  const { analysis, config } = ctx;
  return {
    periodId: analysis.period.id,
    label: periodLabel(analysis.period, config.locale, config.fiscalYearStartMonth),
    segments: [...analysis.segments]
      .sort((a, b) => a.rank - b.rank)
      .map((s) => ({ segment: s.segment, accounts: s.accounts, revenueT12m: s.revenueT12m })),
  };
}

/** Earlier periods (from the context, oldest first) and this one. */
export function segmentTrendPeriods(ctx: ReportContext): SegmentPeriodKpis[] {
  const current = currentSegmentPeriod(ctx);
  return [...(ctx.segmentHistory ?? []).filter((p) => p.periodId !== current.periodId), current];
}

/** Whether the mail shows a cohort chart for this context (quarterly runs whose predictions carry cohorts). */
export function hasCohortChart(ctx: ReportContext): boolean {
  return ctx.analysis.period.cadence === 'quarterly' && (ctx.predictions?.cohorts.length ?? 0) > 0;
}

/**
 * The charts of the leadership mail, in mail order: segments over the last periods, the revenue bridge
 * per segment, the Lorenz curve, the migration matrix (when there are migrations) and, for a quarterly
 * run whose predictions carry cohorts, cohort retention.
 */
export function leadershipChartRequests(ctx: ReportContext, fmt: ReportFormatter): ChartRequest[] {
  const { analysis, config } = ctx;
  const order = segmentOrder(ctx);
  const previous = previousPeriodLabel(ctx);
  const charts: ChartRequest[] = [
    segmentTrendChart(segmentTrendPeriods(ctx), { segmentOrder: order, currency: config.currency, fmt }),
    bridgeChart(
      [...analysis.segments].sort((a, b) => a.rank - b.rank),
      previous,
      fmt,
    ),
    lorenzChart(analysis.portfolio.concentration, fmt),
  ];
  if (analysis.migrations.some((m) => m.accounts > 0)) {
    charts.push(migrationChart(analysis.migrations, order, previous, fmt));
  }
  const cohorts = ctx.predictions?.cohorts ?? [];
  if (hasCohortChart(ctx)) {
    const fy = config.fiscalYearStartMonth;
    charts.push(
      cohortChart(cohorts, {
        cohorts: SHOWN_COHORTS,
        ages: shownAges(cohorts, SHOWN_AGES),
        label: (start) => periodLabel(periodContaining(start, 'quarterly', fy), config.locale, fy),
        fmt,
      }),
    );
  }
  return charts;
}

/** The image block of a drawn chart, or nothing when the chart was not drawn (its table still shows). */
export function chartImageBlocks(ctx: ReportContext, chartId: string): ReportBlock[] {
  const chart = ctx.charts?.get(chartId);
  if (!chart) return [];
  return [
    {
      kind: 'image',
      cid: chartCid(chart.id),
      alt: chart.alt,
      width: chart.width,
      height: chart.height,
    },
  ];
}

/** The drawn charts as inline (CID) PNG attachments, in mail order. */
export function chartAttachments(ctx: ReportContext): MailAttachment[] {
  return [...(ctx.charts?.values() ?? [])].map((chart) => ({
    filename: `${chart.id}.png`,
    content: chart.png,
    contentType: 'image/png',
    cid: chartCid(chart.id),
  }));
}

/** Segments over the last periods: heading, chart, and the same numbers as a table. */
export function segmentTrendBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  const periods = segmentTrendPeriods(ctx);
  return [
    { kind: 'heading', text: 'Segments over the last periods' },
    ...chartImageBlocks(ctx, SEGMENT_TREND_CHART_ID),
    segmentTrendTable(periods, segmentOrder(ctx), fmt),
    {
      kind: 'paragraph',
      text:
        periods.length === 1
          ? 'Each cell: T12M revenue · accounts. Earlier periods appear once their snapshots exist.'
          : 'Each cell: T12M revenue · accounts, from each period’s snapshot.',
    },
  ];
}

/** The Lorenz curve and its numbers, to follow the concentration table. */
export function lorenzBlocks(ctx: ReportContext, fmt: ReportFormatter): ReportBlock[] {
  return [...chartImageBlocks(ctx, LORENZ_CHART_ID), lorenzTable(ctx.analysis.portfolio.concentration, fmt)];
}
