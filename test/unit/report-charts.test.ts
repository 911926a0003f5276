import { beforeAll, describe, expect, it } from 'vitest';
import { loadChartRasterizer } from '../../lambdas/adapters/local/chart-rasterizer.ts';
import type { CohortCell } from '../../lambdas/core/models/cohorts.ts';
import {
  bridgeChart,
  focusDomain,
  WATERFALL_STEPS,
  waterfallSteps,
} from '../../lambdas/core/report/charts/bridge-chart.ts';
import type { ChartRequest } from '../../lambdas/core/report/charts/chart.ts';
import { ChartError } from '../../lambdas/core/report/charts/chart-error.ts';
import { BRIDGE_COLORS, CHART_TEXT, SEGMENT_PALETTE } from '../../lambdas/core/report/charts/chart-theme.ts';
import { cohortChart } from '../../lambdas/core/report/charts/cohort-chart.ts';
import { lorenzChart, lorenzTable } from '../../lambdas/core/report/charts/lorenz-chart.ts';
import { migrationChart } from '../../lambdas/core/report/charts/migration-chart.ts';
import {
  type ChartRasterizer,
  PIXEL_RATIO,
  renderChart,
  renderCharts,
} from '../../lambdas/core/report/charts/render-chart.ts';
import {
  type SegmentPeriodKpis,
  segmentTrendChart,
  segmentTrendTable,
} from '../../lambdas/core/report/charts/segment-trend-chart.ts';
import { createFormatter } from '../../lambdas/core/report/format.ts';
import type { Concentration, MigrationCell, RevenueBridge } from '../../lambdas/core/types.ts';

const fmt = createFormatter('en-US', 'USD');
const ORDER = ['High', 'Medium', 'Low', 'Inactive'];

// opening 100 + 20 + 10 - 5 - 15 + 3 + 7 - 20 = 100 = closing
const BRIDGE: RevenueBridge = {
  opening: 100,
  new: 20,
  expansion: 10,
  contraction: -5,
  churn: -15,
  reactivation: 3,
  transfersIn: 7,
  transfersOut: -20,
  closing: 100,
};

const HISTORY: SegmentPeriodKpis[] = [
  {
    periodId: '2026-09',
    label: 'September 2026',
    segments: [
      { segment: 'High', accounts: 2, revenueT12m: 300_000 },
      { segment: 'Low', accounts: 5, revenueT12m: 20_000 },
    ],
  },
  {
    periodId: '2026-10',
    label: 'October 2026',
    segments: [
      { segment: 'High', accounts: 3, revenueT12m: 450_000 },
      { segment: 'Medium', accounts: 1, revenueT12m: 50_000 },
      { segment: 'Low', accounts: 4, revenueT12m: 16_000 },
    ],
  },
];

/** Four accounts with revenue 1, 1, 2, 4 (total 8): the curve at 0, 25, 50, 75, 100% of accounts. */
const CONCENTRATION: Concentration = {
  top1Share: 0.5,
  top10Share: 0.5,
  top20Share: 0.5,
  gini: 0.3125,
  hhi: 0.34375,
  lorenz: [
    { accountShare: 0, revenueShare: 0 },
    { accountShare: 0.25, revenueShare: 0.125 },
    { accountShare: 0.5, revenueShare: 0.25 },
    { accountShare: 0.75, revenueShare: 0.5 },
    { accountShare: 1, revenueShare: 1 },
  ],
};

const MIGRATIONS: MigrationCell[] = [
  { fromSegment: 'High', toSegment: 'High', accounts: 2, revenueT12m: 400_000, previousRevenueT12m: 380_000 },
  { fromSegment: 'Low', toSegment: 'Medium', accounts: 1, revenueT12m: 50_000, previousRevenueT12m: 9_000 },
  { fromSegment: 'Low', toSegment: 'Low', accounts: 4, revenueT12m: 16_000, previousRevenueT12m: 11_000 },
  { fromSegment: 'Medium', toSegment: 'High', accounts: 0, revenueT12m: 0, previousRevenueT12m: 0 },
];

function cohortCell(cohort: string, age: number, active: number, accounts = 10): CohortCell {
  return {
    cohort,
    ageQuarters: age,
    quarter: cohort,
    cohortAccounts: accounts,
    activeAccounts: active,
    revenue: active * 100,
    revenueRetention: active / accounts,
    logoRetention: active / accounts,
  };
}

/** WCAG relative luminance and contrast ratio, computed here independently of the code under test. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (l + 0.05);
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('waterfallSteps', () => {
  it('puts Opening and Closing on zero and each movement on the running total', () => {
    expect(waterfallSteps(BRIDGE).map((s) => [s.step, s.kind, s.start, s.end])).toEqual([
      ['Opening', 'total', 0, 100],
      ['New', 'increase', 100, 120],
      ['Expansion', 'increase', 120, 130],
      ['Contraction', 'decrease', 130, 125],
      ['Churn', 'decrease', 125, 110],
      ['Reactivation', 'increase', 110, 113],
      ['Transfers in', 'increase', 113, 120],
      ['Transfers out', 'decrease', 120, 100],
      ['Closing', 'total', 0, 100],
    ]);
    expect(WATERFALL_STEPS).toHaveLength(9);
  });

  it('focuses the value axis on the running totals with a quarter of their range as margin', () => {
    // levels 100..130, margin (130 - 100) / 4 = 7.5
    expect(focusDomain(BRIDGE)).toEqual([92.5, 137.5]);
    // nothing moved: 5% of the level
    expect(
      focusDomain({
        ...BRIDGE,
        new: 0,
        expansion: 0,
        contraction: 0,
        churn: 0,
        reactivation: 0,
        transfersIn: 0,
        transfersOut: 0,
      }),
    ).toEqual([95, 105]);
  });
});

describe('chart colours', () => {
  it.each([...SEGMENT_PALETTE, ...Object.values(BRIDGE_COLORS)])(
    '%s has at least 3:1 contrast on white (WCAG non-text contrast)',
    (color) => {
      expect(contrastOnWhite(color)).toBeGreaterThanOrEqual(3);
    },
  );

  it('chart text has at least 4.5:1 contrast on white', () => {
    expect(contrastOnWhite(CHART_TEXT)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('alt texts and tables carry the numbers', () => {
  it('segment trend: latest totals per segment and the change of the total', () => {
    const chart = segmentTrendChart(HISTORY, { segmentOrder: ORDER, currency: 'USD', fmt });
    // 320K in September, 516K in October
    expect(chart.alt).toContain('from $320K in September 2026 to $516K in October 2026');
    expect(chart.alt).toContain('High $450K (3 accounts), Medium $50K (1 account), Low $16K (4 accounts)');
    const table = segmentTrendTable(HISTORY, ORDER, fmt);
    expect(table).toMatchObject({
      kind: 'table',
      columns: [
        { header: 'Period' },
        { header: 'High' },
        { header: 'Medium' },
        { header: 'Low' },
        { header: 'Total' },
      ],
      rows: [
        ['September 2026', '$300K · 2', '—', '$20K · 5', '$320K · 7'],
        ['October 2026', '$450K · 3', '$50K · 1', '$16K · 4', '$516K · 8'],
      ],
    });
  });

  it('bridge: each segment from opening to closing with its largest movement', () => {
    const chart = bridgeChart([{ segment: 'High', bridge: BRIDGE }], 'September 2026', fmt);
    // |new| = |transfers out| = 20 are the largest; the first in bridge order wins
    expect(chart.alt).toContain('High: $100 to $100, largest movement new +$20');
  });

  it('bridge: one waterfall on one scale with a value label on every bar, money axis in the currency', () => {
    const other = { ...BRIDGE, opening: 50, closing: 50, new: 0, transfersIn: 0, transfersOut: 0 };
    const chart = bridgeChart(
      [
        { segment: 'High', bridge: BRIDGE },
        { segment: 'Low', bridge: other },
      ],
      'September 2026',
      fmt,
    );
    const spec = JSON.stringify(chart.spec);
    expect(spec).not.toContain('vconcat');
    const values = (chart.spec as { data: { values: { step: string; label: string }[] } }).data.values;
    expect(values[0]).toMatchObject({ step: 'Opening', label: '$150' });
    expect(values.at(-1)).toMatchObject({ step: 'Closing', label: '$150' });
    expect(values.every((v) => v.label !== '')).toBe(true);
    // Transfers between segments cancel out in the portfolio and are left out.
    expect(values.some((v) => v.step.startsWith('Transfers'))).toBe(false);
    expect(spec).toContain("'$' + replace(format(abs(datum.value), '~s'), 'G', 'B')");
  });

  it('segment colours are not the increase or decrease colours of the waterfall', () => {
    for (const colour of Object.values(BRIDGE_COLORS).slice(1)) {
      expect(SEGMENT_PALETTE).not.toContain(colour);
    }
  });

  it('Lorenz: Gini, bottom half and top shares; table every 10% present on the curve', () => {
    const chart = lorenzChart(CONCENTRATION, fmt);
    expect(chart.alt).toContain('Gini coefficient 0.31');
    expect(chart.alt).toContain('the smaller half of accounts bring 25.0% of revenue');
    expect(chart.alt).toContain('the top 10% bring 50.0%');
    // Only 50% is both a table share and a point of this 4-step curve.
    expect(lorenzTable(CONCENTRATION, fmt)).toMatchObject({ rows: [['50% of accounts', '25.0%', '50.0%']] });
  });

  it('migration: accounts that stayed and the largest move (empty cells left out)', () => {
    const chart = migrationChart(MIGRATIONS, ORDER, 'September 2026', fmt);
    expect(chart.alt).toContain('6 of 7 accounts stayed in their segment');
    expect(chart.alt).toContain('the largest move was 1 from Low to Medium');
    const values = (chart.spec as { data: { values: { from: string; to: string }[] } }).data.values;
    expect(values.map((v) => `${v.from}>${v.to}`)).toEqual(['High>High', 'Low>Medium', 'Low>Low']);
  });

  it('cohorts: average logo retention after one and four quarters over the latest cohorts', () => {
    const cells = [
      cohortCell('2025-01-01', 0, 10),
      cohortCell('2025-01-01', 1, 6),
      cohortCell('2025-01-01', 4, 3),
      cohortCell('2025-04-01', 0, 10),
      cohortCell('2025-04-01', 1, 8),
      cohortCell('2024-10-01', 0, 10),
      cohortCell('2024-10-01', 1, 1),
    ];
    const chart = cohortChart(cells, { cohorts: 2, ages: 8, label: (c) => c.slice(0, 7), fmt });
    // latest two cohorts only: after one quarter (6 + 8) / 20 = 70%, after four 3 / 10 = 30%
    expect(chart.alt).toContain('70.0% of a cohort');
    expect(chart.alt).toContain('30.0% of a cohort');
    expect(chart.alt).toContain('for the 2 latest');
  });
});

describe('renderChart (Vega-Lite -> SVG -> PNG with resvg WebAssembly and the shipped font)', () => {
  let rasterizer: ChartRasterizer;
  beforeAll(async () => {
    rasterizer = await loadChartRasterizer();
  });

  const requests = (): ChartRequest[] => [
    segmentTrendChart(HISTORY, { segmentOrder: ORDER, currency: 'USD', fmt }),
    bridgeChart([{ segment: 'High', bridge: BRIDGE }], 'September 2026', fmt),
    lorenzChart(CONCENTRATION, fmt),
    migrationChart(MIGRATIONS, ORDER, 'September 2026', fmt),
    cohortChart([cohortCell('2025-01-01', 0, 10), cohortCell('2025-01-01', 1, 6)], {
      cohorts: 8,
      ages: 2,
      label: (c) => c,
      fmt,
    }),
  ];

  it.each(requests().map((r) => [r.id, r] as const))(
    '%s renders as a PNG at twice its display size',
    async (_, request) => {
      const chart = await renderChart(request, rasterizer);
      expect([...chart.png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const size = pngSize(chart.png);
      expect(size.width).toBe(chart.width * PIXEL_RATIO);
      expect(size.height).toBe(chart.height * PIXEL_RATIO);
      expect(chart.width).toBeGreaterThan(200);
      expect(chart.width).toBeLessThanOrEqual(600);
      expect(chart.alt).toBe(request.alt);
    },
  );

  it('draws text with the shipped font only: without font bytes the text is missing and the image differs', async () => {
    const request = lorenzChart(CONCENTRATION, fmt);
    const withFont = await renderChart(request, rasterizer);
    const without = await renderChart(request, { ...rasterizer, fonts: [] });
    expect(Buffer.from(without.png).equals(Buffer.from(withFont.png))).toBe(false);
    expect(without.png.byteLength).toBeLessThan(withFont.png.byteLength);
  });

  it('renders the same bytes twice (deterministic)', async () => {
    const request = migrationChart(MIGRATIONS, ORDER, 'September 2026', fmt);
    const a = await renderChart(request, rasterizer);
    const b = await renderChart(request, rasterizer);
    expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true);
  });

  it('reports a broken chart by id and draws the rest', async () => {
    const broken: ChartRequest = {
      id: 'broken',
      title: 'Broken',
      alt: 'x',
      spec: { data: { values: [] }, mark: 'nope' } as unknown as ChartRequest['spec'],
    };
    const errors: ChartError[] = [];
    const drawn = await renderCharts([broken, lorenzChart(CONCENTRATION, fmt)], rasterizer, (e) =>
      errors.push(e),
    );
    expect(drawn.map((c) => c.id)).toEqual(['lorenz-curve']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ChartError);
    expect(errors[0]?.message).toMatch(/^chart broken: /);
  });
});
