import type { Resvg } from '@resvg/resvg-wasm';
import { parse, Error as VEGA_LOG_ERROR, View } from 'vega';
import { compile } from 'vega-lite';
import type { ChartRequest, RenderedChart } from './chart.ts';
import { ChartError } from './chart-error.ts';
import { CHART_FONT_FAMILY } from './chart-theme.ts';

/** PNG pixels per CSS pixel: charts are drawn at twice their display size. */
export const PIXEL_RATIO = 2;

/**
 * What turns chart SVG into PNG: resvg's WebAssembly build, already initialised once by the composition
 * code (`initWasm`), and the TTF fonts to draw text with. No system font is ever looked up, so a chart
 * looks the same on a laptop, in CI and in Lambda.
 */
export interface ChartRasterizer {
  readonly Resvg: typeof Resvg;
  /** Raw TTF bytes; the first must provide {@link CHART_FONT_FAMILY}. */
  readonly fonts: readonly Uint8Array[];
}

/** Draws a Vega-Lite chart: Vega-Lite -> Vega -> SVG (no canvas) -> PNG with resvg and the shipped font. */
export async function renderChart(
  request: ChartRequest,
  rasterizer: ChartRasterizer,
): Promise<RenderedChart> {
  let svg: string;
  let view: View | undefined;
  try {
    view = new View(parse(compile(request.spec).spec), { renderer: 'none', logLevel: VEGA_LOG_ERROR });
    svg = await view.toSVG(PIXEL_RATIO);
  } catch (error) {
    throw new ChartError(
      `chart ${request.id}: the Vega-Lite spec could not be drawn: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    view?.finalize();
  }
  try {
    const resvg = new rasterizer.Resvg(svg, {
      font: {
        fontBuffers: [...rasterizer.fonts],
        defaultFontFamily: CHART_FONT_FAMILY,
        sansSerifFamily: CHART_FONT_FAMILY,
      },
      background: '#ffffff',
    });
    try {
      const image = resvg.render();
      const png = image.asPng();
      const chart: RenderedChart = {
        id: request.id,
        title: request.title,
        alt: request.alt,
        png,
        width: Math.round(image.width / PIXEL_RATIO),
        height: Math.round(image.height / PIXEL_RATIO),
      };
      image.free();
      return chart;
    } finally {
      resvg.free();
    }
  } catch (error) {
    throw new ChartError(
      `chart ${request.id}: resvg could not turn its SVG into PNG: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Draws each chart in turn. A chart that fails is reported through `onError` and left out, so one bad
 * chart costs its image, not the mail (the numbers stay in the table below it).
 */
export async function renderCharts(
  requests: readonly ChartRequest[],
  rasterizer: ChartRasterizer,
  onError: (error: ChartError) => void,
): Promise<RenderedChart[]> {
  const rendered: RenderedChart[] = [];
  for (const request of requests) {
    try {
      rendered.push(await renderChart(request, rasterizer));
    } catch (error) {
      onError(
        error instanceof ChartError
          ? error
          : new ChartError(`chart ${request.id}: ${(error as Error).message}`, { cause: error }),
      );
    }
  }
  return rendered;
}
