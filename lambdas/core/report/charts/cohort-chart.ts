import type { CohortCell } from '../../models/cohorts.ts';
import type { ReportFormatter } from '../format.ts';
import type { ChartRequest } from './chart.ts';
import { CHART_MIN_FONT_PX, CHART_TEXT, chartConfig, HEATMAP_SCHEME } from './chart-theme.ts';

/** The chart's id: its CID and attachment name, and how its section finds it. */
export const COHORT_CHART_ID = 'cohort-retention';

/** Cohorts and ages the leadership mail shows, in its cohort table and chart alike; the snapshot has them all. */
export const SHOWN_COHORTS = 8;
export const SHOWN_AGES = 8;

/** The latest `count` cohorts of `cells`, oldest first. */
export function latestCohorts(cells: readonly CohortCell[], count: number): string[] {
  return [...new Set(cells.map((c) => c.cohort))].sort().slice(-count);
}

/** Ages (from Q+0) to show: as many as the oldest cohort has reached, at most `max`. */
export function shownAges(cells: readonly CohortCell[], max: number): number {
  return Math.min(max, Math.max(0, ...cells.map((c) => c.ageQuarters + 1)));
}

/** Cells with at least this logo retention get white labels (the dark end of the scheme). */
const DARK_CELL = 0.6;

/** Options of {@link cohortChart}. */
export interface CohortChartOptions {
  /** The latest cohorts shown (the table below the chart shows the same ones). */
  readonly cohorts: number;
  /** Ages shown, from Q+0. */
  readonly ages: number;
  /** The cohort's first quarter (ISO start date) for people, e.g. `Q3 2026`. */
  readonly label: (cohortStart: string) => string;
  readonly fmt: ReportFormatter;
}

/**
 * Logo retention by first-purchase-quarter cohort (rows) and age in quarters (columns) as a heatmap, the
 * latest `cohorts` cohorts up to age `ages - 1`; the alt text gives the average retention after one and
 * four quarters over the cohorts shown that are that old.
 */
export function cohortChart(cells: readonly CohortCell[], options: CohortChartOptions): ChartRequest {
  const { fmt } = options;
  const cohorts = latestCohorts(cells, options.cohorts);
  const shown = cells.filter((c) => cohorts.includes(c.cohort) && c.ageQuarters < options.ages);
  const labels = new Map(cohorts.map((c) => [c, options.label(c)]));
  const meanAt = (age: number) => {
    const at = shown.filter((c) => c.ageQuarters === age);
    return at.length === 0 ? null : at.reduce((sum, c) => sum + c.logoRetention, 0) / at.length;
  };
  const after = [1, 4]
    .map((age) => ({ age, mean: meanAt(age) }))
    .filter((x): x is { age: number; mean: number } => x.mean !== null)
    .map(
      (x) =>
        `${fmt.percent(x.mean)} of a cohort's accounts still buy after ${x.age === 1 ? 'one quarter' : `${x.age} quarters`}`,
    );
  return {
    id: COHORT_CHART_ID,
    title: 'Cohort retention',
    alt:
      `Heatmap of logo retention for the ${cohorts.length} latest first-purchase cohorts by age in quarters` +
      `${after.length > 0 ? `: on average ${after.join(', and ')}` : ''}.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: chartConfig,
      title: 'Accounts still buying (%)',
      width: { step: 38 },
      height: { step: 28 },
      data: {
        values: shown.map((c) => ({
          cohort: labels.get(c.cohort) ?? c.cohort,
          age: `Q+${c.ageQuarters}`,
          retention: c.logoRetention,
          label: fmt.number(c.logoRetention * 100),
          dark: c.logoRetention >= DARK_CELL,
        })),
      },
      encoding: {
        x: {
          field: 'age',
          type: 'ordinal',
          sort: Array.from({ length: options.ages }, (_, age) => `Q+${age}`),
          title: 'Quarters since first purchase',
          axis: { orient: 'top', labelAngle: 0 },
        },
        y: { field: 'cohort', type: 'ordinal', sort: cohorts.map((c) => labels.get(c) ?? c), title: null },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 2 },
          encoding: {
            color: {
              field: 'retention',
              type: 'quantitative',
              scale: { scheme: HEATMAP_SCHEME, domain: [0, 1] },
              legend: null,
            },
          },
        },
        {
          mark: { type: 'text', fontSize: CHART_MIN_FONT_PX },
          encoding: {
            text: { field: 'label', type: 'nominal' },
            color: { condition: { test: 'datum.dark', value: '#ffffff' }, value: CHART_TEXT },
          },
        },
      ],
    },
  };
}
