import type { Config } from 'vega-lite';

/** The one font charts use; it is shipped with the code (dejavu-fonts-ttf), never looked up on the system. */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

/** Plot width of a chart in CSS pixels: narrow enough to stay legible when a phone scales it down. */
export const CHART_WIDTH = 440;

/** Text colour of titles, labels and axes (contrast 12:1 on white). */
export const CHART_TEXT = '#243b53';

/**
 * Segment colours, highest bracket first, then any further segment; each has at least 3:1 contrast on
 * white (WCAG 1.4.11 non-text contrast) and they stay apart for the common colour-vision deficiencies.
 */
export const SEGMENT_PALETTE = ['#0b4f8a', '#d1620a', '#2f7d32', '#6b4c9a', '#b3261e', '#5f6b7a'] as const;

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
  title: { fontSize: 15, fontWeight: 'bold', color: CHART_TEXT, anchor: 'start', offset: 10 },
  axis: {
    labelFontSize: 12,
    titleFontSize: 12,
    labelColor: CHART_TEXT,
    titleColor: CHART_TEXT,
    domainColor: '#7b8794',
    tickColor: '#7b8794',
    gridColor: '#e4e7eb',
  },
  legend: {
    labelFontSize: 12,
    titleFontSize: 12,
    labelColor: CHART_TEXT,
    titleColor: CHART_TEXT,
    orient: 'bottom',
  },
  header: { labelFontSize: 12, labelColor: CHART_TEXT, titleFontSize: 12, titleColor: CHART_TEXT },
  text: { fontSize: 12 },
};
