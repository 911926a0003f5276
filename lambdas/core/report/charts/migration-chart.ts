import type { MigrationCell } from '../../types.ts';
import type { ReportFormatter } from '../format.ts';
import type { ChartRequest } from './chart.ts';
import { CHART_MIN_FONT_PX, CHART_TEXT, chartConfig, HEATMAP_SCHEME } from './chart-theme.ts';

/** The chart's id: its CID and attachment name, and how its section finds it. */
export const MIGRATION_CHART_ID = 'segment-migration';

/** Cells at or above this share of the largest count get white labels (the dark end of the scheme). */
const DARK_CELL = 0.55;

/**
 * The migration matrix as a heatmap: previous segment (rows) x current segment (columns), coloured and
 * labelled by accounts; the alt text names the accounts that stayed and the largest move between segments.
 */
export function migrationChart(
  cells: readonly MigrationCell[],
  segmentOrder: readonly string[],
  previousLabel: string,
  fmt: ReportFormatter,
): ChartRequest {
  const shown = cells.filter((c) => c.accounts > 0);
  const max = Math.max(0, ...shown.map((c) => c.accounts));
  const order = (names: Iterable<string>) => {
    const present = new Set(names);
    return [
      ...segmentOrder.filter((n) => present.has(n)),
      ...[...present].filter((n) => !segmentOrder.includes(n)),
    ];
  };
  const stayed = shown.filter((c) => c.fromSegment === c.toSegment).reduce((sum, c) => sum + c.accounts, 0);
  const moved = shown
    .filter((c) => c.fromSegment !== c.toSegment)
    .sort((a, b) => b.accounts - a.accounts || a.fromSegment.localeCompare(b.fromSegment))[0];
  const total = shown.reduce((sum, c) => sum + c.accounts, 0);
  return {
    id: MIGRATION_CHART_ID,
    title: 'Segment migration',
    alt:
      `Heatmap of accounts by segment in ${previousLabel} (rows) and now (columns): ` +
      `${fmt.number(stayed)} of ${fmt.number(total)} accounts stayed in their segment` +
      `${moved ? `; the largest move was ${fmt.number(moved.accounts)} from ${moved.fromSegment} to ${moved.toSegment}` : ''}.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: chartConfig,
      title: 'Accounts by segment',
      width: { step: 62 },
      height: { step: 40 },
      data: {
        values: shown.map((c) => ({
          from: c.fromSegment,
          to: c.toSegment,
          accounts: c.accounts,
          label: fmt.number(c.accounts),
          dark: max > 0 && c.accounts / max >= DARK_CELL,
        })),
      },
      encoding: {
        x: {
          field: 'to',
          type: 'nominal',
          sort: order(shown.map((c) => c.toSegment)),
          title: 'Now',
          axis: { orient: 'top', labelAngle: 0 },
        },
        y: {
          field: 'from',
          type: 'nominal',
          sort: order(shown.map((c) => c.fromSegment)),
          title: previousLabel,
        },
      },
      layer: [
        {
          mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 2 },
          encoding: {
            color: {
              field: 'accounts',
              type: 'quantitative',
              title: 'Accounts',
              scale: { scheme: HEATMAP_SCHEME, domainMin: 0 },
              legend: null,
            },
          },
        },
        {
          mark: { type: 'text', fontSize: CHART_MIN_FONT_PX, fontWeight: 'bold' },
          encoding: {
            text: { field: 'label', type: 'nominal' },
            color: { condition: { test: 'datum.dark', value: '#ffffff' }, value: CHART_TEXT },
          },
        },
      ],
    },
  };
}
