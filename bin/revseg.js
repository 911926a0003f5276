#!/usr/bin/env node
// The installed `revseg` command. It runs the CLI compiled to dist/ by `npm run build` (which `npm ci` and
// `npm install` run), so no TypeScript compiler loads at run time.
const compiled = new URL('../dist/bin/revseg.js', import.meta.url);
try {
  await import(compiled.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/bin/revseg.js'))
    throw error;
  const root = new URL('..', import.meta.url).pathname;
  process.stderr.write(`revseg: the CLI is not built: run 'npm run build' (npm ci does it) in ${root}\n`);
  process.exitCode = 1;
}
