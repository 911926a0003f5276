import type { Config } from 'vega-lite';

/** The one font charts use; it is shipped with the code (dejavu-fonts-ttf), never looked up on the system. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

/**
 * Plot width of a chart in CSS pixels: with its axis, legend and padding a chart is at most about 430px wide, so on a 375px phone
 * (about 320px for the image) it is shrunk by a quarter at most and {@link CHART_MIN_FONT_PX} text stays at
 * 11px or more as displayed.
 */
export const CHART_WIDTH = 320;

/** The smallest font size any chart uses, in the chart's CSS pixels; the browser check scales it as displayed. */
export const CHART_MIN_FONT_PX = 15;

/** Label text of axes, legends and marks. */
const LABEL_PX = CHART_MIN_FONT_PX;

/** Text colour of titles, labels and axes (contrast 12:1 on white). */
export const CHART_TEXT = '#243b53';

/**
 * Segment colours, highest bracket first, then any further segment: blue, orange, purple, grey, ochre, teal.
 * Each has at least 3:1 contrast on white (WCAG 1.4.11 non-text contrast), they stay apart for the common
 * colour-vision deficiencies (blue against orange, light against dark), and none is the green or red that
 * means an increase or a decrease in the waterfall.
 */
export const SEGMENT_PALETTE = ['#0b4f8a', '#d1620a', '#7b3294', '#5f6b7a', '#8c6d1f', '#00838f'] as const;

/** Waterfall colours: totals, increases and decreases (each at least 3:1 on white). */
export const BRIDGE_COLORS = { total: '#486581', increase: '#2f7d32', decrease: '#b3261e' } as const;

/** Sequential scheme of the heatmaps, light (low) to dark (high). */
export const HEATMAP_SCHEME = 'blues';

/** The colour of each segment name, in the given (report) order. */
export function segmentColors(names: readonly string[]): { domain: string[]; range: string[] } {
  return {
    domain: [...names],
    range: names.map((_, i) => SEGMENT_PALETTE[i % SEGMENT_PALETTE.length] ?? CHART_TEXT),
  };
}

/** The shared Vega-Lite config: shipped font, readable sizes, dark text on white. */
export const chartConfig: Config = {
  font: CHART_FONT_FAMILY,
  background: '#ffffff',
  padding: 8,
  view: { stroke: null },
  title: { fontSize: 17, fontWeight: 'bold', color: CHART_TEXT, anchor: 'start', offset: 10 },
  axis: {
    labelFontSize: LABEL_PX,
    titleFontSize: LABEL_PX,
    labelColor: CHART_TEXT,
    titleColor: CHART_TEXT,
    domainColor: '#7b8794',
    tickColor: '#7b8794',
    gridColor: '#e4e7eb',
  },
  legend: {
    labelFontSize: LABEL_PX,
    titleFontSize: LABEL_PX,
    labelColor: CHART_TEXT,
    titleColor: CHART_TEXT,
    orient: 'bottom',
    // Vega estimates text width without a canvas and would cut legend labels short of their real width.
    labelLimit: 400,
  },
  header: {
    labelFontSize: LABEL_PX,
    labelColor: CHART_TEXT,
    titleFontSize: LABEL_PX,
    titleColor: CHART_TEXT,
  },
  text: { fontSize: LABEL_PX },
};
