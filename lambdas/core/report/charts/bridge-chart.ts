import type { RevenueBridge } from '../../types.ts';
import type { ReportFormatter } from '../format.ts';
import type { ChartRequest } from './chart.ts';
import { BRIDGE_COLORS, CHART_WIDTH, chartConfig } from './chart-theme.ts';

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

/**
 * The revenue bridge as one waterfall per segment with revenue (rows, each with its own scale focused on
 * the movements), from the previous period's T12M to this one's; the alt text gives each segment's
 * opening, largest movement and closing.
 */
export function bridgeChart(
  segments: readonly SegmentBridge[],
  previousLabel: string,
  currency: string,
  fmt: ReportFormatter,
): ChartRequest {
  const rows = segments.flatMap(({ segment, bridge }) =>
    waterfallSteps(bridge).map((s) => ({ segment, ...s, label: fmt.moneyDelta(s.amount) })),
  );
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
  const shown = segments.filter(({ bridge }) => bridge.opening > 0 || bridge.closing > 0);
  return {
    id: BRIDGE_CHART_ID,
    title: `Revenue bridge since ${previousLabel}`,
    alt: `Waterfall charts of the T12M revenue bridge per segment since ${previousLabel}. ${sentences.join('. ')}.`,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: chartConfig,
      title: `T12M revenue bridge by segment (${currency})`,
      spacing: 18,
      vconcat: shown.map(({ segment, bridge }, i) => ({
        title: { text: segment, fontSize: 13 },
        width: CHART_WIDTH,
        height: 90,
        data: { values: rows.filter((r) => r.segment === segment) },
        mark: { type: 'bar', clip: true },
        encoding: {
          x: {
            field: 'step',
            type: 'ordinal',
            sort: [...WATERFALL_STEPS],
            title: null,
            axis:
              i === shown.length - 1
                ? { labelAngle: -35, labelAlign: 'right' }
                : { labels: false, ticks: false },
          },
          y: {
            field: 'start',
            type: 'quantitative',
            title: null,
            scale: { domain: focusDomain(bridge), zero: false, nice: false },
            axis: { format: '~s', tickCount: 3 },
          },
          y2: { field: 'end' },
          color: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['total', 'increase', 'decrease'],
              range: [BRIDGE_COLORS.total, BRIDGE_COLORS.increase, BRIDGE_COLORS.decrease],
            },
            legend: {
              labelExpr:
                "datum.label === 'total' ? 'Opening, closing' : datum.label === 'increase' ? 'Increase' : 'Decrease'",
            },
          },
        },
      })),
    },
  };
}
