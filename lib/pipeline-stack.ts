import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps, TimeZone } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { Cadence } from '../lambdas/core/period.ts';
import type { DeployConfig } from './config.ts';
import { ReportMail } from './constructs/report-mail.ts';
import { METRICS_NAMESPACE, RevsegFunction, SERVICE_NAME } from './constructs/revseg-function.ts';
import { RunStateMachine } from './constructs/run-state-machine.ts';
import type { RevenueSegmentsDataStack } from './data-stack.ts';
import { acknowledgeRule, acknowledgeWildcardResource } from './nag-acknowledgments.ts';

/** The validated run config travels in the bundle as this file (it may outgrow Lambda's 4 KB environment). */
export const RUN_CONFIG_FILE = 'run-config.json';

export const NAMED_QUERY_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'named-queries');

/** The leadership questions saved as Athena named queries, one `.sql` file each under lib/named-queries/. */
export const NAMED_QUERIES = [
  { file: 'latest-segment-summary', name: 'Latest segment summary' },
  { file: 'segment-trend', name: 'Segment trend over periods' },
  { file: 'migrations-this-period', name: 'Migrations this period' },
  { file: 'high-value-at-risk', name: 'High-value accounts at risk' },
  { file: 'growth-opportunities', name: 'Growth opportunities' },
] as const;

export interface RevenueSegmentsPipelineStackProps extends StackProps {
  readonly config: DeployConfig;
  readonly data: RevenueSegmentsDataStack;
}

/**
 * Stateless resources: the plan and job functions, the run state machine, the monthly and quarterly
 * schedules with their dead-letter queue, failure alarms, the SES sender identity and the named queries.
 */
export class RevenueSegmentsPipelineStack extends Stack {
  readonly stateMachine: RunStateMachine;
  readonly planFunction: RevsegFunction;
  readonly startQueryFunction: RevsegFunction;
  readonly jobFunction: RevsegFunction;

  constructor(scope: Construct, id: string, props: RevenueSegmentsPipelineStackProps) {
    super(scope, id, props);
    const { config, data } = props;
    const from = config.runConfig.mail.from;
    const runConfigFile = { [RUN_CONFIG_FILE]: `${JSON.stringify(config.runConfig, null, 2)}\n` };
    const runConfigEnv = { REVSEG_RUN_CONFIG_FILE: `/var/task/${RUN_CONFIG_FILE}` };

    const planBucket = { REVSEG_PLAN_BUCKET: data.resultsBucket.bucketName };
    this.planFunction = new RevsegFunction(this, 'Plan', {
      handlerName: 'plan-queries',
      description: 'revenue-segments: resolve the period and bind the SQL of a run',
      memoryMb: 512,
      timeout: Duration.minutes(1),
      logRetentionDays: config.lambda.logRetentionDays,
      environment: {
        ...runConfigEnv,
        ...planBucket,
        REVSEG_OPTIONAL_TABLES: config.input.optionalTables.join(','),
      },
      bundledFiles: runConfigFile,
    });
    this.startQueryFunction = new RevsegFunction(this, 'StartQuery', {
      handlerName: 'start-query',
      description: 'revenue-segments: start one planned statement on Athena',
      memoryMb: 256,
      timeout: Duration.minutes(1),
      logRetentionDays: config.lambda.logRetentionDays,
      environment: {
        ...planBucket,
        REVSEG_ATHENA_WORKGROUP: data.workGroupName,
        REVSEG_GLUE_DATABASE: data.databaseName,
      },
    });
    this.jobFunction = new RevsegFunction(this, 'Job', {
      handlerName: 'run-period',
      description: 'revenue-segments: segment, snapshot and mail one period',
      memoryMb: config.lambda.memoryMb,
      timeout: Duration.minutes(config.lambda.timeoutMinutes),
      logRetentionDays: config.lambda.logRetentionDays,
      bundledFiles: runConfigFile,
      chartAssets: true,
      environment: {
        ...runConfigEnv,
        ...planBucket,
        REVSEG_ATHENA_WORKGROUP: data.workGroupName,
        REVSEG_GLUE_DATABASE: data.databaseName,
        REVSEG_STORE_BUCKET: data.storeBucket.bucketName,
        REVSEG_SES_MAX_SEND_RATE: String(config.ses.maxSendRate),
      },
    });

    const { key: alarmKey, topic: alarmTopic } = this.alarmTopic(config);
    this.stateMachine = new RunStateMachine(this, 'Run', {
      planFunction: this.planFunction.function,
      startQueryFunction: this.startQueryFunction.function,
      jobFunction: this.jobFunction.function,
      queryConcurrency: config.athena.queryConcurrency,
      queryTimeout: Duration.minutes(config.athena.queryTimeoutMinutes),
      failureTopic: alarmTopic,
      logRetentionDays: config.lambda.logRetentionDays,
    });
    // Publishing to the encrypted topic (the failure notice) needs its key.
    alarmKey.grant(this.stateMachine.stateMachine.role, 'kms:Decrypt', 'kms:GenerateDataKey');

    this.planFunction.role.addManagedPolicy(data.planAccessPolicies.write);
    this.startQueryFunction.role.addManagedPolicy(data.planAccessPolicies.read);
    this.jobFunction.role.addManagedPolicy(data.planAccessPolicies.read);
    // Watching and stopping the statements (GetQueryExecution, StopQueryExecution) in the workgroup.
    this.stateMachine.stateMachine.role.addManagedPolicy(data.queryAccessPolicy);
    // Athena runs a statement with the credentials of whoever started it: the query step.
    this.startQueryFunction.role.addManagedPolicy(data.queryAccessPolicy);
    this.jobFunction.role.addManagedPolicy(data.queryAccessPolicy);
    if (config.lakeFormation) this.grantLakeFormation(data, [this.startQueryFunction, this.jobFunction]);
    this.jobFunction.role.addManagedPolicy(data.storeAccessPolicy);
    this.jobFunction.role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadQueryResults',
        actions: ['athena:GetQueryResults'],
        resources: [data.workGroupArn],
      }),
    );
    const mail = new ReportMail(this, 'Mail', {
      from,
      identity: config.ses.identity,
      domain: config.ses.domain ?? from.slice(from.lastIndexOf('@') + 1),
      allowedDomains: config.runConfig.mail.allowedDomains,
      existingConfigurationSet: config.ses.configurationSet,
      topicKey: alarmKey,
      alarmTopic,
      alarmEmail: config.alarmEmail,
      metricsNamespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
    });
    mail.grantSend(this.jobFunction.role);
    this.jobFunction.function.addEnvironment('REVSEG_SES_CONFIGURATION_SET', mail.configurationSetName);

    const deadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const cadence of ['monthly', 'quarterly'] as const) {
      this.schedule(cadence, config, deadLetters);
    }
    this.alarms(alarmTopic, deadLetters);
    this.namedQueries(data);

    new CfnOutput(this, 'StateMachineArn', {
      value: this.stateMachine.stateMachine.stateMachineArn,
      description: 'Start it with {"cadence":"monthly","periodId":"2026-07"} to run (or rerun) a period',
    });
    this.acknowledgeFindings(deadLetters);
  }

  /** Accepted cdk-nag findings, each with the reason a security reviewer needs. */
  private acknowledgeFindings(deadLetters: sqs.Queue): void {
    for (const fn of [this.planFunction, this.startQueryFunction, this.jobFunction]) {
      acknowledgeRule(
        fn.function,
        'L1',
        'Pinned to Node.js 22, an LTS runtime Lambda supports into 2027 and the version CI tests the code on; moving to a newer runtime is a one-line change in RevsegFunction once CI runs on it.',
      );
    }
    const machineRole = this.stateMachine.stateMachine.role;
    const machinePolicy = machineRole.node.tryFindChild('DefaultPolicy') ?? machineRole;
    for (const fn of [this.planFunction, this.startQueryFunction, this.jobFunction]) {
      acknowledgeWildcardResource(
        machinePolicy,
        `${fn.function.functionArn}:*`,
        'Step Functions invokes this one function; the :* suffix only covers its versions and aliases, as the LambdaInvoke integration grants.',
      );
    }
    acknowledgeWildcardResource(
      machinePolicy,
      '*',
      'X-Ray tracing of the state machine (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and CloudWatch Logs delivery for its log group (logs:CreateLogDelivery and related) do not support resource-level permissions, so AWS requires Resource "*".',
    );
    acknowledgeRule(
      deadLetters,
      'SQS3',
      'This queue is itself the dead-letter queue of the EventBridge Scheduler schedules (cdk-nag only recognises queues used as DLQs by other queues); a dead-letter queue of a dead-letter queue would have nothing to catch.',
    );
  }

  private schedule(cadence: Cadence, config: DeployConfig, deadLetters: sqs.IQueue): void {
    const settings = config.schedule[cadence];
    new scheduler.Schedule(this, cadence === 'monthly' ? 'MonthlySchedule' : 'QuarterlySchedule', {
      description: `revenue-segments: run the ${cadence} period just closed`,
      enabled: settings.enabled,
      schedule: scheduler.ScheduleExpression.cron({
        minute: String(settings.minute),
        hour: String(settings.hour),
        day: String(settings.dayOfMonth),
        month: cadence === 'monthly' ? '*' : quarterStartMonths(config.runConfig.fiscalYearStartMonth),
        timeZone: TimeZone.of(config.schedule.timeZone),
      }),
      target: new targets.StepFunctionsStartExecution(this.stateMachine.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({
          cadence,
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: deadLetters,
        retryAttempts: 10,
        maxEventAge: Duration.hours(12),
      }),
    });
  }

  /** The encrypted topic of alarms and failed-run notices, with the optional email subscription. */
  private alarmTopic(config: DeployConfig): { key: kms.Key; topic: sns.Topic } {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'revenue-segments: encrypts the alarm topic; CloudWatch alarms may use it',
      enableKeyRotation: true,
    });
    // Only CloudWatch acting for this account's alarms: without the condition any account's alarm could
    // ask CloudWatch to use the key (the confused-deputy problem).
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'revenue-segments alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarmEmail) topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    return { key, topic };
  }

  /**
   * With Lake Formation governing the catalog, IAM alone does not let Athena read a table: grant the roles
   * that run queries DESCRIBE on the database and SELECT and DESCRIBE on its tables (input and snapshot).
   */
  private grantLakeFormation(data: RevenueSegmentsDataStack, functions: readonly RevsegFunction[]): void {
    for (const fn of functions) {
      const principal = { dataLakePrincipalIdentifier: fn.role.roleArn };
      new lakeformation.CfnPrincipalPermissions(fn, 'LakeFormationDatabase', {
        principal,
        resource: { database: { catalogId: this.account, name: data.databaseName } },
        permissions: ['DESCRIBE'],
        permissionsWithGrantOption: [],
      });
      new lakeformation.CfnPrincipalPermissions(fn, 'LakeFormationTables', {
        principal,
        resource: { table: { catalogId: this.account, databaseName: data.databaseName, tableWildcard: {} } },
        permissions: ['SELECT', 'DESCRIBE'],
        permissionsWithGrantOption: [],
      });
    }
  }

  private alarms(topic: sns.ITopic, deadLetters: sqs.Queue): void {
    const machine = this.stateMachine.stateMachine;
    const period = Duration.minutes(5);
    const alarms: [string, cloudwatch.IMetric, string][] = [
      ['RunFailedAlarm', machine.metricFailed({ period }), 'A revenue-segments run failed'],
      ['RunTimedOutAlarm', machine.metricTimedOut({ period }), 'A revenue-segments run timed out'],
      ['RunAbortedAlarm', machine.metricAborted({ period }), 'A revenue-segments run was aborted'],
      [
        'ScheduleDeadLetterAlarm',
        deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
        'A scheduled revenue-segments run could not be started and was dead-lettered',
      ],
    ];
    for (const [id, metric, description] of alarms) {
      new cloudwatch.Alarm(this, id, {
        metric,
        alarmDescription: `${description}: see the state machine's failed executions or the dead-letter queue`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new actions.SnsAction(topic));
    }
  }

  private namedQueries(data: RevenueSegmentsDataStack): void {
    for (const query of NAMED_QUERIES) {
      new athena.CfnNamedQuery(this, `NamedQuery-${query.file}`, {
        name: `revenue-segments: ${query.name}`,
        description: `revenue-segments leadership question: ${query.name}`,
        database: data.databaseName,
        workGroup: data.workGroupName,
        queryString: readFileSync(path.join(NAMED_QUERY_DIR, `${query.file}.sql`), 'utf8'),
      });
    }
  }
}

/** Months (1-12) in which a fiscal quarter starts, as a cron month list, e.g. `1,4,7,10`. */
export function quarterStartMonths(fiscalYearStartMonth: number): string {
  return [0, 3, 6, 9]
    .map((offset) => ((fiscalYearStartMonth - 1 + offset) % 12) + 1)
    .sort((a, b) => a - b)
    .join(',');
}
