import type { Concentration } from '../../types.ts';
import type { ReportBlock } from '../document.ts';
import type { ReportFormatter } from '../format.ts';
import type { ChartRequest } from './chart.ts';
import { CHART_TEXT, chartConfig, SEGMENT_PALETTE } from './chart-theme.ts';

/** The chart's id: its CID and attachment name, and how its section finds it. */
export const LORENZ_CHART_ID = 'lorenz-curve';

/** Account shares the table below the Lorenz chart lists: every 10% of accounts. */
const TABLE_SHARES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

function revenueShareAt(c: Concentration, accountShare: number): number | null {
  const point = c.lorenz.find((p) => Math.abs(p.accountShare - accountShare) < 1e-9);
  return point ? point.revenueShare : null;
}

/**
 * The Lorenz curve of revenue over active accounts (poorest first) against the line of equality; the
 * alt text gives the Gini coefficient and what the bottom half and the top 10% hold.
 */
export function lorenzChart(c: Concentration, fmt: ReportFormatter): ChartRequest {
  const half = revenueShareAt(c, 0.5);
  const curve = c.lorenz.map((p) => ({
    accountShare: p.accountShare,
    revenueShare: p.revenueShare,
    line: 'Revenue',
  }));
  const equality = [
    { accountShare: 0, revenueShare: 0, line: 'Equal revenue per account' },
    { accountShare: 1, revenueShare: 1, line: 'Equal revenue per account' },
  ];
  const axis = { format: '.0%', tickCount: 5 } as const;
  return {
    id: LORENZ_CHART_ID,
    title: 'Lorenz curve',
    alt:
      `Lorenz curve of T12M revenue across active accounts, Gini coefficient ${fmt.number(c.gini, 2)}: ` +
      `${half === null ? '' : `the smaller half of accounts bring ${fmt.percent(half)} of revenue, `}` +
      `the top 10% bring ${fmt.percent(c.top10Share)} and the top 1% ${fmt.percent(c.top1Share)}.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: chartConfig,
      title: `Concentration (Gini ${fmt.number(c.gini, 2)})`,
      width: 230,
      height: 230,
      data: { values: [...curve, ...equality] },
      mark: { type: 'line', strokeWidth: 2.5 },
      encoding: {
        x: { field: 'accountShare', type: 'quantitative', title: 'Accounts, smallest first', axis },
        y: { field: 'revenueShare', type: 'quantitative', title: 'Share of T12M revenue', axis },
        color: {
          field: 'line',
          type: 'nominal',
          title: null,
          scale: {
            domain: ['Revenue', 'Equal revenue per account'],
            range: [SEGMENT_PALETTE[0], CHART_TEXT],
          },
          legend: { orient: 'bottom', direction: 'vertical' },
        },
        strokeDash: {
          field: 'line',
          type: 'nominal',
          scale: {
            domain: ['Revenue', 'Equal revenue per account'],
            range: [
              [1, 0],
              [5, 4],
            ],
          },
        },
      },
    },
  };
}

/** The curve's numbers: the share of revenue held by the smallest 10%, 20%, ... 90% of active accounts. */
export function lorenzTable(c: Concentration, fmt: ReportFormatter): ReportBlock {
  return {
    kind: 'table',
    columns: [
      { header: 'Smallest accounts' },
      { header: 'Their share of revenue', align: 'right' },
      { header: 'With equal revenue', align: 'right' },
    ],
    rows: TABLE_SHARES.flatMap((share) => {
      const revenue = revenueShareAt(c, share);
      return revenue === null
        ? []
        : [[`${fmt.number(share * 100)}% of accounts`, fmt.percent(revenue), fmt.percent(share)]];
    }),
  };
}
