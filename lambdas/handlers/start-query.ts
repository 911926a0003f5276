import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { Context } from 'aws-lambda';
import { S3ObjectStore } from '../adapters/aws/s3-object-store.ts';
import { QueryError } from '../core/errors.ts';
import { readEnv, startQueryEnvSchema } from './env.ts';
import { parseEvent, plannedStatementSchema, type StartedStatement } from './events.ts';
import { loadPlannedStatement } from './planned-statements.ts';

const env = readEnv(startQueryEnvSchema);
const plans = new S3ObjectStore({ bucket: env.REVSEG_PLAN_BUCKET });
const athena = new AthenaClient({});
const logger = new Logger();

/**
 * The state machine's query step: reads one planned statement from S3 by key and starts it on Athena,
 * returning at once with its execution id (Step Functions then polls it, so no Lambda waits on a query).
 * The client request token is derived from the key, so a retried invocation finds the execution it
 * already started instead of starting (and paying for) a second one.
 */
export async function handler(event: unknown, context?: Context): Promise<StartedStatement> {
  if (context) logger.addContext(context);
  const planned = parseEvent(plannedStatementSchema, event, 'query step input');
  const statement = await loadPlannedStatement(plans, planned.key);
  const started = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: statement.queryString,
      WorkGroup: env.REVSEG_ATHENA_WORKGROUP,
      QueryExecutionContext: { Database: env.REVSEG_GLUE_DATABASE, Catalog: 'AwsDataCatalog' },
      ClientRequestToken: createHash('sha256').update(planned.key).digest('hex'),
    }),
  );
  if (!started.QueryExecutionId) {
    throw new QueryError(`athena returned no query execution id for planned statement ${planned.name}`);
  }
  logger.info('started planned statement', {
    name: planned.name,
    queryExecutionId: started.QueryExecutionId,
  });
  return { ...planned, queryExecutionId: started.QueryExecutionId };
}
