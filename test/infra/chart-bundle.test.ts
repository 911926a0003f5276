import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_ASSET_NAMES } from '../../lambdas/adapters/local/chart-rasterizer.ts';
import {
  CHART_ASSETS_FOLDER,
  chartAssetCopyCommands,
  ESM_REQUIRE_BANNER,
  PROJECT_ROOT,
} from '../../lib/constructs/revseg-function.ts';

// The job Lambda draws the report charts: Vega-Lite and resvg's JavaScript are bundled by esbuild, the
// WebAssembly and fonts are copied beside the bundle by the function's bundling hook. This builds a bundle
// the way `RevsegFunction` does (ESM, node22, minified, the same banner), runs the same copy commands, and
// draws a chart from it in a fresh Node process that sees nothing of node_modules.

const entry = (bundleDir: string) => `
import { chartAssetsIn, loadChartRasterizer } from ${JSON.stringify(path.join(PROJECT_ROOT, 'lambdas/adapters/local/chart-rasterizer.ts'))};
import { renderChart } from ${JSON.stringify(path.join(PROJECT_ROOT, 'lambdas/core/report/charts/render-chart.ts'))};
import { lorenzChart } from ${JSON.stringify(path.join(PROJECT_ROOT, 'lambdas/core/report/charts/lorenz-chart.ts'))};
import { createFormatter } from ${JSON.stringify(path.join(PROJECT_ROOT, 'lambdas/core/report/format.ts'))};
const concentration = {
  top1Share: 0.1, top10Share: 0.5, top20Share: 0.7, gini: 0.6, hhi: 0.05,
  lorenz: [{ accountShare: 0, revenueShare: 0 }, { accountShare: 0.5, revenueShare: 0.1 }, { accountShare: 1, revenueShare: 1 }],
};
const rasterizer = await loadChartRasterizer(chartAssetsIn(${JSON.stringify(path.join(bundleDir, CHART_ASSETS_FOLDER))}));
const chart = await renderChart(lorenzChart(concentration, createFormatter('en-US', 'USD')), rasterizer);
process.stdout.write(JSON.stringify({ width: chart.width, height: chart.height, png: Buffer.from(chart.png).toString('base64') }));
`;

describe('charts in the job Lambda bundle', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'revseg-bundle-'));
    writeFileSync(path.join(dir, 'entry.ts'), entry(path.join(dir, 'out')));
    await build({
      entryPoints: [path.join(dir, 'entry.ts')],
      outfile: path.join(dir, 'out', 'index.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      minify: true,
      banner: { js: ESM_REQUIRE_BANNER },
      logLevel: 'silent',
    });
    for (const command of chartAssetCopyCommands(PROJECT_ROOT, path.join(dir, 'out'))) execSync(command);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WebAssembly and fonts under the names the rasterizer loads', () => {
    for (const name of [CHART_ASSET_NAMES.wasm, ...CHART_ASSET_NAMES.fonts]) {
      const file = path.join(dir, 'out', CHART_ASSETS_FOLDER, name);
      expect(existsSync(file), file).toBe(true);
    }
    const wasm = readFileSync(path.join(dir, 'out', CHART_ASSETS_FOLDER, CHART_ASSET_NAMES.wasm));
    expect(wasm.subarray(0, 4).toString('latin1')).toBe('\0asm');
  });

  it('draws a chart as PNG from the bundle alone', () => {
    // Run from the bundle's folder, outside the project, so nothing resolves from node_modules.
    const out = execFileSync(process.execPath, [path.join(dir, 'out', 'index.mjs')], {
      cwd: path.join(dir, 'out'),
      encoding: 'utf8',
    });
    const chart = JSON.parse(out) as { width: number; height: number; png: string };
    const png = Buffer.from(chart.png, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // Drawn at twice the display size.
    expect(png.readUInt32BE(16)).toBe(chart.width * 2);
    expect(chart.width).toBeGreaterThan(200);
    expect(chart.height).toBeGreaterThan(200);
  });
});
