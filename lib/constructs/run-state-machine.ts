import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface RunStateMachineProps {
  /** Resolves the period and binds the run's SQL (lambdas/handlers/plan-queries.ts). */
  readonly planFunction: lambda.IFunction;
  /** Runs the job on the precomputed results (lambdas/handlers/run-period.ts). */
  readonly jobFunction: lambda.IFunction;
  readonly workGroupName: string;
  readonly databaseName: string;
  /** Planned statements running on Athena at once. */
  readonly queryConcurrency: number;
  /** One statement running longer fails the run. */
  readonly queryTimeout: Duration;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** The whole run. @default Duration.hours(6) */
  readonly timeout?: Duration;
}

/**
 * One run of a period: plan (Lambda) -> every planned statement on Athena through Step Functions' native
 * `startQueryExecution.sync` integration, in parallel and with retries (so no Lambda waits on a query, and
 * a query may take longer than Lambda's 15 minutes) -> the job (Lambda) reading those results by id.
 * Input: `{ cadence, periodId?, resend?, scheduledTime? }`; a backfill is a manual start with a periodId.
 */
export class RunStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);

    const plan = tasks.LambdaInvoke.jsonata(this, 'Plan', {
      lambdaFunction: props.planFunction,
      comment: 'Resolve the period and bind the SQL statements of the run',
      outputs: '{% $states.result.Payload %}',
    });

    // Run values are written into the SQL as literals by the plan step: Athena accepts `?` parameters only
    // in a WHERE clause, so the statements carry no ExecutionParameters.
    const startQuery = new sfn.CustomState(this, 'StartQuery', {
      stateJson: {
        Type: 'Task',
        Comment: 'Run one statement on Athena and wait for it without holding a Lambda',
        Resource: `arn:${Aws.PARTITION}:states:::athena:startQueryExecution.sync`,
        TimeoutSeconds: props.queryTimeout.toSeconds(),
        Arguments: {
          QueryString: '{% $states.input.queryString %}',
          WorkGroup: props.workGroupName,
          QueryExecutionContext: { Database: props.databaseName, Catalog: 'AwsDataCatalog' },
        },
        Output:
          "{% $merge([$states.input, {'queryExecutionId': $states.result.QueryExecution.QueryExecutionId}]) %}",
      },
    })
      .addRetry({
        errors: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
        interval: Duration.seconds(5),
        maxAttempts: 6,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      })
      // A failed query is retried once only: each attempt may scan up to the workgroup's cutoff.
      .addRetry({
        errors: ['States.TaskFailed', 'States.Timeout'],
        interval: Duration.seconds(60),
        maxAttempts: 1,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });

    const runQueries = sfn.Map.jsonata(this, 'RunQueries', {
      comment: 'Run the planned statements on Athena',
      items: sfn.ProvideItems.jsonata('{% $states.input.statements %}'),
      maxConcurrency: props.queryConcurrency,
      outputs: {
        request: '{% $states.input.request %}',
        runAt: '{% $states.input.runAt %}',
        queries: '{% $states.result %}',
      },
    });
    runQueries.itemProcessor(startQuery);

    const job = tasks.LambdaInvoke.jsonata(this, 'RunJob', {
      lambdaFunction: props.jobFunction,
      comment: 'Segment, compute KPIs, write the snapshot and send the mail from the precomputed results',
      outputs: '{% $states.result.Payload %}',
    });

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays ?? 90,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      queryLanguage: sfn.QueryLanguage.JSONATA,
      comment: 'revenue-segments: one run of a monthly or quarterly period',
      definitionBody: sfn.DefinitionBody.fromChainable(plan.next(runQueries).next(job)),
      timeout: props.timeout ?? Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }
}
