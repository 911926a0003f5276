// One monthly run over a data folder, in its own process so peak memory belongs to this run alone.

import { discoverInputs, openLocalRuntime } from '../lambdas/adapters/local/local-runtime.ts';
import { parseRunConfig } from '../lambdas/core/config.ts';
import { runPeriod } from '../lambdas/jobs/run-period.ts';
import { fixedClock } from '../lambdas/ports/clock.ts';
import { silentLogger } from '../lambdas/ports/logger.ts';

const [dataDir, outDir, asOf] = process.argv.slice(2);
if (!dataDir || !outDir || !asOf) throw new Error('usage: run-job.ts <dataDir> <outDir> <asOf>');
const started = performance.now();
const runtime = await openLocalRuntime({
  inputs: discoverInputs(dataDir),
  outDir,
  logger: silentLogger,
  clock: fixedClock(`${asOf}T12:00:00Z`),
});
const summary = await runPeriod(runtime.deps, parseRunConfig({}), { cadence: 'monthly', resend: true });
await runtime.close();
process.stdout.write(
  `${JSON.stringify({
    totalMs: Math.round(performance.now() - started),
    accounts: summary.accounts,
    lines: summary.quarantine.revenueLinesChecked,
    stages: summary.stages,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
