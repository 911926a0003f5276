import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

export interface RunStateMachineProps {
  /** Resolves the period, binds the run's SQL and stores it in S3 (lambdas/handlers/plan-queries.ts). */
  readonly planFunction: lambda.IFunction;
  /** Starts one planned statement on Athena by its S3 key (lambdas/handlers/start-query.ts). */
  readonly startQueryFunction: lambda.IFunction;
  /** Runs the job on the precomputed results (lambdas/handlers/run-period.ts). */
  readonly jobFunction: lambda.IFunction;
  /** Planned statements running on Athena at once. */
  readonly queryConcurrency: number;
  /** One statement running longer is stopped and fails the run. */
  readonly queryTimeout: Duration;
  /** Told about every failed run: the state that failed, the error and cause, the period. */
  readonly failureTopic: sns.ITopic;
  /** Wait between two looks at a running statement. @default Duration.seconds(10) */
  readonly pollInterval?: Duration;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** The whole run. @default Duration.hours(6) */
  readonly timeout?: Duration;
}

/**
 * One run of a period: plan (Lambda: binds the SQL and stores each statement in S3) -> per planned statement,
 * in parallel: start it (Lambda, by S3 key), then watch it with Step Functions' Athena GetQueryExecution
 * integration until it ends or times out (so no Lambda waits on a query, and a query may take longer than
 * Lambda's 15 minutes) -> the job (Lambda) reading the results by execution id.
 *
 * The SQL never travels in the state machine's data: only statement names and S3 keys do. The state
 * payload stays far below its 256 KB limit however long the statements grow, and the execution history
 * (logged with its data) holds no SQL. Starting by key needs a Lambda because Step Functions' Athena
 * integration takes the query text itself; watching needs none.
 *
 * Any failure is caught, published to `failureTopic` with the failing state, error, cause and period, and
 * ends the execution as failed with the same error.
 * Input: `{ cadence, periodId?, resend?, resendTo?, skipMail?, scheduledTime? }`.
 */
export class RunStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);
    const timeoutMs = props.queryTimeout.toMilliseconds();

    const plan = tasks.LambdaInvoke.jsonata(this, 'Plan', {
      lambdaFunction: props.planFunction,
      comment: 'Resolve the period, bind the SQL statements of the run and store them in S3',
      outputs: '{% $states.result.Payload %}',
      assign: {
        cleanup: '{% $states.result.Payload.cleanup %}',
        period:
          "{% $states.result.Payload.request.cadence & ' ' & $states.result.Payload.request.periodId %}",
      },
    });

    // Starts one planned statement by key and watches it to its end; a Map runs one chain per statement. The
    // staging, query and clean-up Maps each need their own states, so their ids carry a prefix.
    const statementRunner = (prefix: string): sfn.IChainable => {
      const startQuery = tasks.LambdaInvoke.jsonata(this, `${prefix}StartQuery`, {
        lambdaFunction: props.startQueryFunction,
        comment:
          'Start one planned statement on Athena by its S3 key (idempotent: a retry finds its execution)',
        outputs: '{% $states.result.Payload %}',
        assign: { startedAt: '{% $now() %}' },
      });
      startQuery.addRetry({
        errors: ['Athena.TooManyRequestsException', 'TooManyRequestsException'],
        interval: Duration.seconds(5),
        maxAttempts: 6,
        backoffRate: 2,
        jitterStrategy: sfn.JitterType.FULL,
      });

      const wait = sfn.Wait.jsonata(this, `${prefix}WaitForQuery`, {
        comment: 'Let the statement run',
        time: sfn.WaitTime.duration(props.pollInterval ?? Duration.seconds(10)),
      });
      const watch = new sfn.CustomState(this, `${prefix}GetQueryExecution`, {
        stateJson: {
          Type: 'Task',
          Comment: 'Look at the running statement',
          Resource: `arn:${Aws.PARTITION}:states:::athena:getQueryExecution`,
          Arguments: { QueryExecutionId: '{% $states.input.queryExecutionId %}' },
          Output:
            "{% $merge([$states.input, {'state': $states.result.QueryExecution.Status.State, 'reason': $states.result.QueryExecution.Status.StateChangeReason}]) %}",
          Retry: [
            {
              ErrorEquals: ['Athena.TooManyRequestsException', 'Athena.InternalServerException'],
              IntervalSeconds: 5,
              MaxAttempts: 6,
              BackoffRate: 2,
              JitterStrategy: 'FULL',
            },
          ],
        },
      });
      const succeeded = sfn.Succeed.jsonata(this, `${prefix}QuerySucceeded`, {
        outputs: {
          name: '{% $states.input.name %}',
          key: '{% $states.input.key %}',
          queryExecutionId: '{% $states.input.queryExecutionId %}',
        },
      });
      const failed = sfn.Fail.jsonata(this, `${prefix}QueryFailed`, {
        error: 'Athena.QueryFailed',
        cause:
          "{% 'statement ' & $states.input.name & ' (athena query ' & $states.input.queryExecutionId & ') ' & $lowercase($states.input.state) & ': ' & ($exists($states.input.reason) ? $states.input.reason : 'no reason given') %}",
      });
      const stop = new sfn.CustomState(this, `${prefix}StopQuery`, {
        stateJson: {
          Type: 'Task',
          Comment: 'Stop a statement that ran past the query timeout',
          Resource: `arn:${Aws.PARTITION}:states:::athena:stopQueryExecution`,
          Arguments: { QueryExecutionId: '{% $states.input.queryExecutionId %}' },
          Output: '{% $states.input %}',
        },
      });
      const timedOut = sfn.Fail.jsonata(this, `${prefix}QueryTimedOut`, {
        error: 'Athena.QueryTimeout',
        cause: `{% 'statement ' & $states.input.name & ' (athena query ' & $states.input.queryExecutionId & ') still ' & $states.input.state & ' after ${props.queryTimeout.toMinutes()} minutes (athena.queryTimeoutMinutes) and was stopped' %}`,
      });
      const decide = sfn.Choice.jsonata(this, `${prefix}QueryDone`, {
        comment: 'Ended, timed out or still running?',
      })
        .when(sfn.Condition.jsonata("{% $states.input.state = 'SUCCEEDED' %}"), succeeded)
        .when(sfn.Condition.jsonata("{% $states.input.state in ['FAILED', 'CANCELLED'] %}"), failed)
        .when(
          sfn.Condition.jsonata(`{% $toMillis($now()) - $toMillis($startedAt) > ${timeoutMs} %}`),
          stop.next(timedOut),
        )
        .otherwise(wait);
      return startQuery.next(wait).next(watch).next(decide);
    };

    const stageInputs = sfn.Map.jsonata(this, 'StageInputs', {
      comment:
        'Stage the shared includes (checked revenue lines, parsed activities and campaign responses) as Parquet, one after another: the only statements that read those inputs',
      items: sfn.ProvideItems.jsonata('{% $states.input.stages %}'),
      maxConcurrency: 1,
      outputs: '{% $states.input %}',
    });
    stageInputs.itemProcessor(statementRunner('Stage'));

    const runQueries = sfn.Map.jsonata(this, 'RunQueries', {
      comment: 'Run the planned statements on Athena',
      items: sfn.ProvideItems.jsonata('{% $states.input.statements %}'),
      maxConcurrency: props.queryConcurrency,
      outputs: {
        request: '{% $states.input.request %}',
        runAt: '{% $states.input.runAt %}',
        stagingTag: '{% $states.input.stagingTag %}',
        queries: '{% $states.result %}',
      },
    });
    runQueries.itemProcessor(statementRunner(''));

    const job = tasks.LambdaInvoke.jsonata(this, 'RunJob', {
      lambdaFunction: props.jobFunction,
      comment: 'Segment, compute KPIs, write the snapshot and send the mail from the precomputed results',
      outputs: '{% $states.result.Payload %}',
      assign: { outcome: '{% $states.result.Payload %}' },
    });

    // The staged tables' files expire with the query results; their Glue tables are dropped here.
    const dropStaged = sfn.Map.jsonata(this, 'DropStaged', {
      comment: 'Drop the tables the run staged its inputs into',
      items: sfn.ProvideItems.jsonata('{% $cleanup %}'),
      maxConcurrency: 1,
      outputs: '{% $outcome %}',
    });
    dropStaged.itemProcessor(statementRunner('Drop'));

    const notify = tasks.SnsPublish.jsonata(this, 'NotifyFailure', {
      topic: props.failureTopic,
      comment: 'Tell the operators which state failed, why, and for which period',
      subject: 'revenue-segments run failed',
      message: sfn.TaskInput.fromText(
        "{% 'revenue-segments run ' & $states.context.Execution.Name & ' failed in state ' & $states.input.state & ' for ' & $states.input.period & '.\\nError: ' & $states.input.error & '\\nCause: ' & $states.input.cause & '\\nExecution: ' & $states.context.Execution.Id %}",
      ),
      outputs: '{% $states.input %}',
    });
    const runFailed = sfn.Fail.jsonata(this, 'RunFailed', {
      error: '{% $states.input.error %}',
      cause: "{% $states.input.state & ' failed for ' & $states.input.period & ': ' & $states.input.cause %}",
    });
    notify.next(runFailed);
    const caught = (state: string, period: string) => ({
      errors: [sfn.Errors.ALL],
      outputs: {
        state,
        period,
        error: '{% $states.errorOutput.Error %}',
        cause: "{% $exists($states.errorOutput.Cause) ? $states.errorOutput.Cause : 'no cause given' %}",
      },
    });
    // Before the plan the period may still be unresolved: name what the input asked for.
    plan.addCatch(
      notify,
      caught(
        'Plan',
        "{% $states.input.cadence & ' ' & ($exists($states.input.periodId) ? $states.input.periodId : 'period last closed at ' & ($exists($states.input.scheduledTime) ? $states.input.scheduledTime : 'the start')) %}",
      ),
    );
    const planned = "{% $states.input.request.cadence & ' ' & $states.input.request.periodId %}";
    stageInputs.addCatch(notify, caught('StageInputs', planned));
    runQueries.addCatch(notify, caught('RunQueries', planned));
    job.addCatch(notify, caught('RunJob', planned));
    dropStaged.addCatch(notify, caught('DropStaged', '{% $period %}'));

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays ?? 90,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      queryLanguage: sfn.QueryLanguage.JSONATA,
      comment: 'revenue-segments: one run of a monthly or quarterly period',
      definitionBody: sfn.DefinitionBody.fromChainable(
        plan.next(stageInputs).next(runQueries).next(job).next(dropStaged),
      ),
      timeout: props.timeout ?? Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }
}
