import type { RevenueBridge } from '../../types.ts';
import type { ReportFormatter } from '../format.ts';
import type { ChartRequest } from './chart.ts';
import { BRIDGE_COLORS, CHART_MIN_FONT_PX, CHART_TEXT, CHART_WIDTH, chartConfig } from './chart-theme.ts';
import { moneyAxisExpr } from './money-axis.ts';

/** The chart's id: its CID and attachment name, and how its section finds it. */
export const BRIDGE_CHART_ID = 'revenue-bridge';

/** One bar of a waterfall: a total from zero, or a movement from the running total. */
export interface WaterfallStep {
  readonly step: string;
  readonly kind: 'total' | 'increase' | 'decrease';
  readonly start: number;
  readonly end: number;
  /** The movement (or the total) the bar stands for. */
  readonly amount: number;
}

const MOVEMENTS = [
  ['New', 'new'],
  ['Expansion', 'expansion'],
  ['Contraction', 'contraction'],
  ['Churn', 'churn'],
  ['Reactivation', 'reactivation'],
  ['Transfers in', 'transfersIn'],
  ['Transfers out', 'transfersOut'],
] as const satisfies readonly (readonly [string, keyof RevenueBridge])[];

/** The waterfall steps in bridge order, including every step with 0 movement. */
export const WATERFALL_STEPS = ['Opening', ...MOVEMENTS.map(([label]) => label), 'Closing'] as const;

/**
 * A bridge as waterfall bars: Opening from 0, each movement from the running total, Closing from 0.
 * The running total after the last movement equals `closing` when the bridge adds up.
 */
export function waterfallSteps(bridge: RevenueBridge): WaterfallStep[] {
  const steps: WaterfallStep[] = [
    { step: 'Opening', kind: 'total', start: 0, end: bridge.opening, amount: bridge.opening },
  ];
  let running = bridge.opening;
  for (const [label, key] of MOVEMENTS) {
    const amount = bridge[key];
    steps.push({
      step: label,
      kind: amount < 0 ? 'decrease' : 'increase',
      start: running,
      end: running + amount,
      amount,
    });
    running += amount;
  }
  steps.push({ step: 'Closing', kind: 'total', start: 0, end: bridge.closing, amount: bridge.closing });
  return steps;
}

/**
 * The value range a segment's waterfall shows: every running total with a margin, so movements of a few
 * percent stay visible; the Opening and Closing bars are cut at the bottom (the table gives them whole).
 */
export function focusDomain(bridge: RevenueBridge): [number, number] {
  const levels = waterfallSteps(bridge).flatMap((s) => (s.kind === 'total' ? [s.end] : [s.start, s.end]));
  const low = Math.min(...levels);
  const high = Math.max(...levels);
  const margin = high > low ? (high - low) * 0.25 : Math.max(1, Math.abs(high) * 0.05);
  return [low - margin, high + margin];
}

/** One segment's bridge, by name. */
export interface SegmentBridge {
  readonly segment: string;
  readonly bridge: RevenueBridge;
}

/** The portfolio's bridge: the segments' bridges added up (transfers between segments cancel out). */
export function portfolioBridge(segments: readonly SegmentBridge[]): RevenueBridge {
  const keys = [
    'opening',
    'new',
    'expansion',
    'contraction',
    'churn',
    'reactivation',
    'transfersIn',
    'transfersOut',
    'closing',
  ] as const satisfies readonly (keyof RevenueBridge)[];
  const total = Object.fromEntries(keys.map((k) => [k, 0])) as Record<(typeof keys)[number], number>;
  for (const { bridge } of segments) for (const k of keys) total[k] += bridge[k];
  return total as RevenueBridge;
}

/**
 * The revenue bridge of the whole portfolio as one horizontal waterfall on one scale, from the previous
 * period's T12M to this one's, each bar labelled with its amount; the steps with no movement are left out.
 * The scale starts below the smallest running total, not at zero, so movements of a few percent stay
 * visible; the axis says where it starts. Per-segment figures are in the table beside it. The alt text gives
 * each segment's opening, largest movement and closing.
 */
export function bridgeChart(
  segments: readonly SegmentBridge[],
  previousLabel: string,
  fmt: ReportFormatter,
): ChartRequest {
  const total = portfolioBridge(segments);
  const steps = waterfallSteps(total).filter(
    (s) => s.kind === 'total' || (s.amount !== 0 && !s.step.startsWith('Transfers')),
  );
  const rows = steps.map((s) => ({
    ...s,
    label: s.kind === 'total' ? fmt.moneyCompact(s.amount) : fmt.moneyDelta(s.amount),
    labelAt: Math.max(s.start, s.end),
  }));
  const sentences = segments.map(({ segment, bridge }) => {
    const largest = MOVEMENTS.map(([label, key]) => ({ label, amount: bridge[key] })).sort(
      (a, b) => Math.abs(b.amount) - Math.abs(a.amount),
    )[0];
    const move =
      largest && largest.amount !== 0
        ? `, largest movement ${largest.label.toLowerCase()} ${fmt.moneyDelta(largest.amount)}`
        : '';
    return `${segment}: ${fmt.moneyCompact(bridge.opening)} to ${fmt.moneyCompact(bridge.closing)}${move}`;
  });
  const [low, high] = focusDomain(total);
  const domain: [number, number] = [Math.max(0, low), high + (high - Math.max(0, low)) * 0.25];
  return {
    id: BRIDGE_CHART_ID,
    title: `Revenue bridge since ${previousLabel}`,
    alt: `Waterfall chart of the T12M revenue bridge since ${previousLabel}: ${fmt.moneyCompact(total.opening)} to ${fmt.moneyCompact(total.closing)}. ${sentences.join('. ')}.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: chartConfig,
      title: 'T12M revenue bridge',
      // Narrower than other charts: the value labels to the right of the bars need the room.
      width: CHART_WIDTH - 110,
      height: { step: 30 },
      data: { values: rows },
      encoding: {
        y: { field: 'step', type: 'ordinal', sort: steps.map((s) => s.step), title: null },
      },
      layer: [
        {
          mark: { type: 'bar', clip: true },
          encoding: {
            x: {
              field: 'start',
              type: 'quantitative',
              title: `Axis starts at ${fmt.moneyCompact(domain[0])}`,
              scale: { domain, zero: false, nice: false },
              axis: { labelExpr: moneyAxisExpr(fmt), tickCount: 3 },
            },
            x2: { field: 'end' },
            color: {
              field: 'kind',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['total', 'increase', 'decrease'],
                range: [BRIDGE_COLORS.total, BRIDGE_COLORS.increase, BRIDGE_COLORS.decrease],
              },
              legend: null,
            },
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, color: CHART_TEXT, fontSize: CHART_MIN_FONT_PX },
          encoding: {
            x: { field: 'labelAt', type: 'quantitative' },
            text: { field: 'label', type: 'nominal' },
          },
        },
      ],
    },
  };
}
