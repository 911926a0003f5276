import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { planAthenaStatements } from '../adapters/aws/athena-statement-plan.ts';
import { S3ObjectStore } from '../adapters/aws/s3-object-store.ts';
import { FileSqlSource } from '../adapters/local/file-sql-source.ts';
import { lastClosedPeriod, parsePeriod } from '../core/period.ts';
import { plannedQueries } from '../jobs/steps/read-input.ts';
import { planEnvSchema, readEnv, readRunConfig } from './env.ts';
import { parseEvent, type RunPlan, runInputSchema } from './events.ts';
import { savePlannedStatements } from './planned-statements.ts';

const env = readEnv(planEnvSchema);
const config = readRunConfig(env.REVSEG_RUN_CONFIG_FILE);
const sql = new FileSqlSource(env.REVSEG_SQL_DIR);
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
  const bound = planAthenaStatements(
    plannedQueries(period, runAt.slice(0, 10), fy, config.currency, env.REVSEG_OPTIONAL_TABLES),
    sql,
  );
  const statements = await savePlannedStatements(plans, period, bound);
  logger.info('planned run', {
    period: period.id,
    cadence: period.cadence,
    runAt,
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
    statements,
  };
}
