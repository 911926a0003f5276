import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { AthenaQueryEngine } from '../adapters/aws/athena-query-engine.ts';
import { PowertoolsLoggerAdapter } from '../adapters/aws/powertools-logger.ts';
import { PrecomputedAthenaQueryEngine } from '../adapters/aws/precomputed-athena-query-engine.ts';
import { S3ObjectStore } from '../adapters/aws/s3-object-store.ts';
import { SesMailer } from '../adapters/aws/ses-mailer.ts';
import { chartAssetsIn, loadChartRasterizer } from '../adapters/local/chart-rasterizer.ts';
import { FileSqlSource } from '../adapters/local/file-sql-source.ts';
import { RUN_SCOPED_INCLUDES } from '../core/sql-includes.ts';
import { runPeriod } from '../jobs/run-period.ts';
import { fixedClock } from '../ports/clock.ts';
import { jobEnvSchema, readEnv, readRunConfig } from './env.ts';
import { parseEvent, runJobInputSchema } from './events.ts';
import { loadPlannedStatement } from './planned-statements.ts';
import { publishRunMetrics, type RunOutcome, toRunOutcome } from './run-outcome.ts';

const env = readEnv(jobEnvSchema);
const config = readRunConfig(env.REVSEG_RUN_CONFIG_FILE);
const logger = new PowertoolsLoggerAdapter(new Logger());
const metrics = new Metrics();
const live = new AthenaQueryEngine({
  workGroup: env.REVSEG_ATHENA_WORKGROUP,
  database: env.REVSEG_GLUE_DATABASE,
});
const store = new S3ObjectStore({ bucket: env.REVSEG_STORE_BUCKET });
const plans = new S3ObjectStore({ bucket: env.REVSEG_PLAN_BUCKET });
const mailer = new SesMailer({
  maxSendRate: env.REVSEG_SES_MAX_SEND_RATE,
  configurationSet: env.REVSEG_SES_CONFIGURATION_SET,
});
// The same includes marked as in the plan, so each statement is found again by the text the plan staged.
const sql = new FileSqlSource(env.REVSEG_SQL_DIR, { markIncludes: RUN_SCOPED_INCLUDES });
// Loaded once per container; without the assets the mails still go out, with each chart's table only.
const charts = loadChartRasterizer(chartAssetsIn(env.REVSEG_CHART_ASSETS_DIR)).catch((error: unknown) => {
  logger.error('charts cannot be drawn; mails show their tables only', { reason: (error as Error).message });
  return undefined;
});

/**
 * Last step of the state machine: runs the period through the same job as the CLI, reading the planned
 * statements (from S3, by key) and their results (by Athena execution id), and returns the run's counts.
 */
export async function handler(event: unknown, context?: Context): Promise<RunOutcome> {
  // Every log line of this invocation carries its request id (and function name, cold start...).
  logger.useLambdaContext(context);
  const input = parseEvent(runJobInputSchema, event, 'job step input');
  const queries = await Promise.all(
    input.queries.map(async (q) => ({
      ...(await loadPlannedStatement(plans, q.key)),
      queryExecutionId: q.queryExecutionId,
    })),
  );
  const engine = new PrecomputedAthenaQueryEngine({ queries, live, logger, stagingTag: input.stagingTag });
  const deps = { engine, store, mailer, clock: fixedClock(input.runAt), logger, sql, charts: await charts };
  const outcome = toRunOutcome(await runPeriod(deps, config, input.request));
  logger.info('run finished', { ...outcome });
  publishRunMetrics(metrics, outcome);
  return outcome;
}
