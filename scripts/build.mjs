// `npm run build` (also run by `npm ci` / `npm install` through `prepare`): compiles the CLI and the bench
// to plain JavaScript in dist/, so nothing compiles TypeScript at run time. Dependencies stay in
// node_modules (not bundled); code behind a dynamic import() gets its own chunk, so `revseg --help` loads
// only the argument parser.
import { build } from 'esbuild';

const started = performance.now();
await build({
  entryPoints: [
    'bin/revseg.ts',
    'bench/run.ts',
    'bench/run-job.ts',
    'bench/floor.ts',
    'bench/typescript-stages.ts',
    'bench/aws-million.ts',
  ],
  outdir: 'dist',
  outbase: '.',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
if (!process.argv.includes('--quiet')) {
  process.stderr.write(`built dist/ in ${Math.round(performance.now() - started)} ms\n`);
}
