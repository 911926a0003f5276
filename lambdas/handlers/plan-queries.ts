import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { planStagedAthenaStatements } from '../adapters/aws/athena-statement-plan.ts';
import { S3ObjectStore } from '../adapters/aws/s3-object-store.ts';
import { FileSqlSource } from '../adapters/local/file-sql-source.ts';
import { lastClosedPeriod, parsePeriod } from '../core/period.ts';
import { RUN_SCOPED_INCLUDES } from '../core/sql-includes.ts';
import { plannedQueries } from '../jobs/steps/read-input.ts';
import { planEnvSchema, readEnv, readRunConfig } from './env.ts';
import { parseEvent, type RunPlan, runInputSchema } from './events.ts';
import { STAGING_PREFIX, savePlannedStatements } from './planned-statements.ts';

const env = readEnv(planEnvSchema);
const config = readRunConfig(env.REVSEG_RUN_CONFIG_FILE);
const sql = new FileSqlSource(env.REVSEG_SQL_DIR, { markIncludes: RUN_SCOPED_INCLUDES });
const plans = new S3ObjectStore({ bucket: env.REVSEG_PLAN_BUCKET });
const logger = new Logger();

/**
 * First step of the state machine: resolves the period (the last closed one at the scheduled time unless
 * `periodId` is given), binds the run's SQL and stores each statement in S3, so Step Functions can run
 * each one on Athena by key without a Lambda waiting for it.
 */
export async function handler(event: unknown, context?: Context): Promise<RunPlan> {
  if (context) logger.addContext(context);
  const input = parseEvent(runInputSchema, event, 'state machine input');
  const runAt = new Date(input.scheduledTime ?? Date.now()).toISOString();
  const fy = config.fiscalYearStartMonth;
  const period = input.periodId
    ? parsePeriod(input.periodId, input.cadence, fy)
    : lastClosedPeriod(new Date(runAt), input.cadence, fy);
  // the run's own staged tables: a retry or a second run of the period never reads or drops them
  const stagingTag = `${period.id.replace('-', '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const plan = planStagedAthenaStatements(
    plannedQueries(period, runAt.slice(0, 10), fy, config.currency, env.REVSEG_OPTIONAL_TABLES),
    sql,
    {
      tag: stagingTag,
      location: (table) => `s3://${env.REVSEG_PLAN_BUCKET}/${STAGING_PREFIX}${stagingTag}/${table}/`,
    },
  );
  const [stages, statements, cleanup] = await Promise.all([
    savePlannedStatements(plans, period, plan.stages),
    savePlannedStatements(plans, period, plan.statements),
    savePlannedStatements(plans, period, plan.cleanup),
  ]);
  logger.info('planned run', {
    period: period.id,
    cadence: period.cadence,
    runAt,
    stages: stages.length,
    statements: statements.length,
  });
  return {
    request: {
      cadence: period.cadence,
      periodId: period.id,
      resend: input.resend ?? false,
      ...(input.resendTo ? { resendTo: input.resendTo } : {}),
      skipMail: input.skipMail ?? false,
    },
    runAt,
    stagingTag,
    stages,
    statements,
    cleanup,
  };
}
