import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { ChartError } from '../../core/report/charts/chart-error.ts';
import type { ChartRasterizer } from '../../core/report/charts/render-chart.ts';

/** Where the resvg WebAssembly module and the chart fonts are on disk. */
export interface ChartAssetFiles {
  readonly wasm: string;
  /** TTF files; the first is the regular face of the chart font. */
  readonly fonts: readonly string[];
}

/** File names of the chart assets inside a bundle's asset folder (see `RevsegFunction`). */
export const CHART_ASSET_NAMES = {
  wasm: 'resvg.wasm',
  fonts: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'],
} as const;

/** The assets as installed by npm: `@resvg/resvg-wasm` and `dejavu-fonts-ttf`. */
export function packagedChartAssets(): ChartAssetFiles {
  const require = createRequire(import.meta.url);
  const fontDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return {
    wasm: require.resolve('@resvg/resvg-wasm/index_bg.wasm'),
    fonts: CHART_ASSET_NAMES.fonts.map((name) => path.join(fontDir, name)),
  };
}

/** The assets copied into a folder of a bundle, under {@link CHART_ASSET_NAMES}. */
export function chartAssetsIn(dir: string): ChartAssetFiles {
  return {
    wasm: path.join(dir, CHART_ASSET_NAMES.wasm),
    fonts: CHART_ASSET_NAMES.fonts.map((name) => path.join(dir, name)),
  };
}

// resvg's WebAssembly module can be initialised once per process.
let wasmReady: Promise<void> | undefined;

async function readAsset(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new ChartError(
      `chart ${what} ${file} cannot be read (${(error as Error).message}); run 'npm ci' or check the bundle's chart assets`,
      { cause: error },
    );
  }
}

/**
 * Loads resvg's WebAssembly (once per process) and the chart fonts, for the composition code (the CLI's
 * local runtime and the Lambda handler) to pass to the job. WebAssembly runs the same on x86 laptops and
 * arm64 Lambda, with no native binary to match.
 */
export async function loadChartRasterizer(
  files: ChartAssetFiles = packagedChartAssets(),
): Promise<ChartRasterizer> {
  if (!wasmReady) {
    const bytes = await readAsset(files.wasm, 'renderer');
    wasmReady = initWasm(bytes).catch((error: unknown) => {
      wasmReady = undefined;
      throw new ChartError(`resvg WebAssembly ${files.wasm} failed to start: ${(error as Error).message}`, {
        cause: error,
      });
    });
  }
  const fonts = await Promise.all(files.fonts.map((file) => readAsset(file, 'font')));
  await wasmReady;
  return { Resvg, fonts };
}
