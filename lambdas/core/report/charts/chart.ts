import type { TopLevelSpec } from 'vega-lite';

/** A chart to draw: a Vega-Lite spec with the words that stand in for it when images are off. */
export interface ChartRequest {
  /** Stable id, safe as a file name and a Content-ID, e.g. `revenue-bridge`. */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in plain words with its key numbers: the image's alt text. */
  readonly alt: string;
  readonly spec: TopLevelSpec;
}

/** A chart drawn as PNG at twice its display size, so it stays sharp on high-density screens. */
export interface RenderedChart {
  readonly id: string;
  readonly title: string;
  readonly alt: string;
  readonly png: Uint8Array;
  /** Display size in CSS pixels (half the PNG's pixel size). */
  readonly width: number;
  readonly height: number;
}
