import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { manifestKey, SNAPSHOTS_PREFIX } from '../../lambdas/core/snapshot/layout.ts';
import { SNAPSHOT_TABLE_SCHEMAS } from '../../lambdas/core/snapshot/tables.ts';
import { MailLedger } from '../../lambdas/jobs/steps/mail-ledger.ts';
import { MAIL_LEDGER_PREFIX } from '../../lib/access-policies.ts';
import { parseDeployConfig } from '../../lib/config.ts';
import { RUN_CONFIG_FILE } from '../../lib/pipeline-stack.ts';
import { buildStacks } from '../../lib/stacks.ts';
import { testDeployConfig } from '../fixtures/deploy-config.ts';

/** Synthesizes both stacks without bundling the handlers (bundling is covered by `cdk synth` in CI). */
function synth(config: unknown = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildStacks(app, parseDeployConfig(testDeployConfig(config)));
  return { data: Template.fromStack(stacks.data), pipeline: Template.fromStack(stacks.pipeline) };
}

interface GlueTableInput {
  PartitionKeys: unknown;
  Parameters: Record<string, string | undefined>;
  StorageDescriptor: { Columns: unknown };
}

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Sid?: string };

function statementsOf(template: Template, type: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy'): Statement[] {
  return Object.values(template.findResources(type)).flatMap(
    (r) =>
      (r as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

const { data, pipeline } = synth({
  alarmEmail: 'ops@example.com',
  schedule: { timeZone: 'Europe/Berlin', quarterly: { hour: 7, minute: 30 } },
  runConfig: {
    fiscalYearStartMonth: 2,
    mail: { from: 'reports@acme.example', leadership: ['cro@acme.example'] },
  },
});

describe('data stack: buckets', () => {
  it('creates four buckets, all private, encrypted and TLS-only', () => {
    data.resourceCountIs('AWS::S3::Bucket', 4);
    data.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    const policies = Object.values(data.findResources('AWS::S3::BucketPolicy'));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('versions the snapshot store and expires replaced versions; expires query results', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })],
      },
      LoggingConfiguration: { LogFilePrefix: 'store/', DestinationBucketName: Match.anyValue() },
    });
    data.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            ExpirationInDays: 7,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          }),
        ],
      },
      LoggingConfiguration: { LogFilePrefix: 'results/', DestinationBucketName: Match.anyValue() },
      VersioningConfiguration: Match.absent(),
    });
  });

  it('logs access of every bucket but the access-log bucket itself', () => {
    const buckets = Object.values(data.findResources('AWS::S3::Bucket')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(buckets.filter((b) => b.Properties.LoggingConfiguration !== undefined)).toHaveLength(3);
  });

  it('creates no input bucket when an existing one is configured', () => {
    const existing = synth({ input: { bucketName: 'acme-exports', prefix: 'crm/' } });
    existing.data.resourceCountIs('AWS::S3::Bucket', 3);
    existing.data.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'revenue_lines',
        StorageDescriptor: Match.objectLike({ Location: 's3://acme-exports/crm/revenue_lines/' }),
      }),
    });
  });
});

describe('data stack: Athena workgroup', () => {
  it('enforces engine v3, the result location, result encryption and the bytes-scanned cutoff', () => {
    data.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'revenue-segments',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 10737418240,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: {
            'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('ResultsBucket') }, '/results/']],
          },
        },
      },
    });
  });

  it('takes the cutoff from config', () => {
    synth({ athena: { bytesScannedCutoffPerQuery: 50_000_000 } }).data.hasResourceProperties(
      'AWS::Athena::WorkGroup',
      {
        WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 50_000_000 }),
      },
    );
  });
});

describe('data stack: Glue tables', () => {
  it('declares CSV input columns as strings, in contract order, skipping the header row', () => {
    data.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'revenue_lines',
        Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
        StorageDescriptor: Match.objectLike({
          Columns: ['account_id', 'invoice_id', 'booked_on', 'amount', 'currency', 'product'].map((Name) => ({
            Name,
            Type: 'string',
          })),
          SerdeInfo: Match.objectLike({ SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde' }),
        }),
      }),
    });
  });

  it('types Parquet input columns and adds optional tables only when configured', () => {
    const parquet = synth({
      input: {
        format: 'parquet',
        optionalTables: ['opportunities'],
        parquetColumnTypes: { 'accounts.employee_count': 'bigint' },
      },
    }).data;
    parquet.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'revenue_lines',
        StorageDescriptor: Match.objectLike({
          Columns: Match.arrayWith([
            { Name: 'booked_on', Type: 'date' },
            { Name: 'amount', Type: 'decimal(18,2)' },
          ]),
          SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        }),
      }),
    });
    parquet.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'accounts',
        StorageDescriptor: Match.objectLike({
          Columns: Match.arrayWith([{ Name: 'employee_count', Type: 'bigint' }]),
        }),
      }),
    });
    parquet.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Name: 'opportunities' }),
    });
    // 2 required + 1 optional input tables + fx_rates (always, see the next test) + one per snapshot table.
    const snapshotTables = Object.keys(SNAPSHOT_TABLE_SCHEMAS).length;
    expect(snapshotTables).toBeGreaterThanOrEqual(5);
    parquet.resourceCountIs('AWS::Glue::Table', 4 + snapshotTables);
    data.resourceCountIs('AWS::Glue::Table', 3 + snapshotTables);
  });

  it('always creates the fx_rates table, once, so the revenue queries can join it when no rates are given', () => {
    const fxTables = (template: Template) =>
      Object.values(
        template.findResources('AWS::Glue::Table', {
          Properties: { TableInput: Match.objectLike({ Name: 'fx_rates' }) },
        }),
      ) as { Properties: { TableInput: GlueTableInput } }[];
    const absent = fxTables(data);
    expect(absent).toHaveLength(1);
    expect(absent[0]?.Properties.TableInput.StorageDescriptor.Columns).toEqual([
      { Name: 'currency', Type: 'string' },
      { Name: 'month', Type: 'string' },
      { Name: 'rate_to_reporting', Type: 'string' },
    ]);
    expect(fxTables(synth({ input: { optionalTables: ['fx_rates', 'costs'] } }).data)).toHaveLength(1);
  });

  it('projects snapshot partitions by cadence (enum) and period (every month and quarter), no crawler', () => {
    const tables = data.findResources('AWS::Glue::Table', {
      Properties: { TableInput: Match.objectLike({ Name: 'account_segments' }) },
    });
    const input = (Object.values(tables)[0] as { Properties: { TableInput: GlueTableInput } }).Properties
      .TableInput;
    expect(input.PartitionKeys).toEqual([
      { Name: 'cadence', Type: 'string' },
      { Name: 'period', Type: 'string' },
    ]);
    expect(input.Parameters['projection.enabled']).toBe('true');
    expect(input.Parameters['projection.cadence.type']).toBe('enum');
    expect(input.Parameters['projection.cadence.values']).toBe('monthly,quarterly');
    expect(input.Parameters['projection.period.type']).toBe('enum');
    const periods = (input.Parameters['projection.period.values'] ?? '').split(',');
    expect(periods).toContain('2026-10');
    expect(periods).toContain('2026-Q3');
    // 2015..2040: 26 years x (12 months + 4 quarters).
    expect(periods).toHaveLength(26 * 16);
    // Athena's own placeholders, not JavaScript ones.
    const placeholders = `cadence=\${cadence}/period=\${period}/`;
    expect(JSON.stringify(input.Parameters['storage.location.template'])).toContain(
      `/snapshots/account_segments/${placeholders}`,
    );
    expect(input.StorageDescriptor.Columns).toEqual(
      SNAPSHOT_TABLE_SCHEMAS.account_segments.map((c) => ({
        Name: c.name,
        Type: c.type === 'STRING' ? 'string' : c.type.toLowerCase(),
      })),
    );
    expect(input.StorageDescriptor.Columns).toContainEqual({ Name: 'revenue_t12m', Type: 'double' });
    expect(input.StorageDescriptor.Columns).toContainEqual({ Name: 'invoices_t12m', Type: 'bigint' });
    data.resourceCountIs('AWS::Glue::Crawler', 0);
  });
});

describe('IAM', () => {
  const managed = statementsOf(data, 'AWS::IAM::ManagedPolicy');
  const inline = statementsOf(pipeline, 'AWS::IAM::Policy');

  it('grants no action wildcard and no "*" resource except the X-Ray/log-delivery statement AWS requires', () => {
    for (const statement of [...managed, ...inline]) {
      const actions = ([] as string[]).concat(statement.Action);
      expect(actions.filter((a) => a.includes('*') && !a.startsWith('kms:GenerateDataKey'))).toEqual([]);
      if (statement.Resource === '*') {
        expect(actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))).toBe(true);
      }
    }
  });

  it('lets the job send mail only as the configured sender', () => {
    const ses = inline.filter((s) => ([] as string[]).concat(s.Action).some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(ses[0]?.Action).toBe('ses:SendRawEmail');
    expect(ses[0]?.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'reports@acme.example' },
      'ForAllValues:StringLike': { 'ses:Recipients': ['*@example.com', '*@acme.example'] },
    });
    const resources = JSON.stringify(ses[0]?.Resource);
    expect(resources).toContain(':identity/reports@acme.example');
    expect(resources).toContain(':identity/acme.example');
  });

  it('grants the prefixes the job really writes to', () => {
    const store = new FolderObjectStore(tmpdir());
    const ledger = new MailLedger(store, 'monthly', '2026-10', () => new Date());
    expect(ledger.key('leadership', 'cro@example.com').startsWith(MAIL_LEDGER_PREFIX)).toBe(true);
    expect(manifestKey('monthly', '2026-10').startsWith(`${SNAPSHOTS_PREFIX}/`)).toBe(true);
  });

  it('scopes snapshot and ledger writes to their prefixes', () => {
    const writes = managed.find((s) => s.Sid === 'WriteSnapshotsAndLedger');
    expect(writes?.Action).toEqual(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);
    const resources = JSON.stringify(writes?.Resource);
    expect(resources).toContain('/snapshots/*');
    expect(resources).toContain('/mail-ledger/*');
  });

  it('lets the job list the store bucket without an s3:prefix condition, so a missing key reads as 404, not 403', () => {
    const storePolicies = data.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Description: Match.stringLikeRegexp('snapshot partitions and the mail ledger') },
    });
    const [storePolicyId] = Object.keys(storePolicies);
    const storeStatements = Object.values(storePolicies).flatMap(
      (r) =>
        (r as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
          .Statement,
    );
    const storeLists = storeStatements.filter((s) =>
      ([] as string[]).concat(s.Action).includes('s3:ListBucket'),
    );
    expect(storeLists).toHaveLength(1);
    expect(JSON.stringify(storeLists[0]?.Resource)).toContain('StoreBucket');
    expect(storeLists[0]?.Condition).toBeUndefined();
    const jobRoles = pipeline.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('segment, snapshot and mail') },
    });
    expect(JSON.stringify(jobRoles)).toContain(storePolicyId ?? '(no store policy)');
  });

  it('lets queries read only the input table prefixes, and write only the results prefix', () => {
    const input = managed.find((s) => s.Sid === 'ReadInputData');
    expect(input?.Action).toBe('s3:GetObject');
    const inputResources = JSON.stringify(input?.Resource);
    expect(inputResources).toContain('/input/revenue_lines/*');
    expect(inputResources).toContain('/input/accounts/*');
    expect(JSON.stringify(managed.find((s) => s.Sid === 'WriteQueryResults')?.Resource)).toContain(
      '/results/*',
    );
    const list = managed.find((s) => s.Sid === 'ListInputData');
    expect(list?.Condition).toEqual({
      StringLike: { 's3:prefix': ['input/revenue_lines/*', 'input/accounts/*', 'input/fx_rates/*'] },
    });
  });

  it('lets queries run only in the workgroup and the default data catalog, and only the job read results', () => {
    const run = managed.find((s) => s.Sid === 'RunQueriesInWorkGroup');
    expect(run?.Action).toEqual([
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:StopQueryExecution',
    ]);
    expect(JSON.stringify(run?.Resource)).toContain(':workgroup/revenue-segments');
    expect(JSON.stringify(managed.find((s) => s.Sid === 'UseDataCatalog')?.Resource)).toContain(
      ':datacatalog/AwsDataCatalog',
    );
    const results = inline.filter((s) => s.Action === 'athena:GetQueryResults');
    expect(results).toHaveLength(1);
    expect(JSON.stringify(results[0]?.Resource)).toContain('workgroup/revenue-segments');
  });

  it('names each Glue table instead of a table wildcard', () => {
    const glue = managed.find((s) => s.Sid === 'ReadGlueTables');
    const resources = JSON.stringify(glue?.Resource);
    for (const table of ['revenue_lines', 'accounts', 'account_segments', 'segment_kpis', 'quarantine']) {
      expect(resources).toContain(`:table/revenue_segments/${table}`);
    }
    expect(resources).not.toContain('/*');
  });

  it('gives the plan function nothing but its own log group and storing statements under plans/', () => {
    const roles = pipeline.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('resolve the period') },
    });
    const [planRoleId] = Object.keys(roles);
    const policies = Object.values(pipeline.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes(`"${planRoleId}"`),
    ) as { Properties: { PolicyDocument: { Statement: Statement[] } } }[];
    const actions = policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s) => s.Action));
    expect(actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    const managedArns = JSON.stringify(roles[planRoleId ?? '']?.Properties.ManagedPolicyArns);
    expect(managedArns).toContain('PlanWritePolicy');
    expect(managedArns).not.toContain('QueryAccessPolicy');
    const write = managed.find((s) => s.Sid === 'WritePlannedStatements');
    expect(write?.Action).toBe('s3:PutObject');
    expect(JSON.stringify(write?.Resource)).toContain('/plans/*');
  });
});

describe('pipeline stack: functions', () => {
  it('runs the three handlers on Node.js 22, arm64, with Powertools settings and JSON logs', () => {
    pipeline.resourceCountIs('AWS::Lambda::Function', 3);
    pipeline.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'revenue-segments',
          POWERTOOLS_METRICS_NAMESPACE: 'RevenueSegments',
          REVSEG_SQL_DIR: '/var/task/sql',
          REVSEG_PLAN_BUCKET: Match.anyValue(),
        }),
      },
    });
  });

  it('ships the validated run config inside each bundle, defaults filled in', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = parseDeployConfig(
      testDeployConfig({ runConfig: { currency: 'EUR', mail: { from: 'reports@acme.example' } } }),
    );
    const { pipeline: stack } = buildStacks(app, config);
    for (const fn of [stack.planFunction, stack.jobFunction]) {
      const shipped = JSON.parse(readFileSync(path.join(fn.stagedFilesDir, RUN_CONFIG_FILE), 'utf8'));
      expect(shipped).toEqual(config.runConfig);
      expect(shipped.currency).toBe('EUR');
      expect(shipped.segments.inactiveName).toBe('Inactive');
    }
  });

  it('ships the chart assets (resvg WebAssembly, fonts) with the job function only', () => {
    const functions = Object.values(pipeline.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment?: { Variables?: Record<string, unknown> } };
    }[];
    const withCharts = functions.filter((f) => f.Properties.Environment?.Variables?.REVSEG_CHART_ASSETS_DIR);
    expect(withCharts).toHaveLength(1);
    expect(withCharts[0]?.Properties.Environment?.Variables).toMatchObject({
      REVSEG_CHART_ASSETS_DIR: '/var/task/chart-assets',
      REVSEG_STORE_BUCKET: expect.anything(),
    });
  });

  it('takes the job memory and timeout from config and tells it where everything is', () => {
    pipeline.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 10_240,
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          REVSEG_ATHENA_WORKGROUP: 'revenue-segments',
          REVSEG_GLUE_DATABASE: 'revenue_segments',
          REVSEG_STORE_BUCKET: Match.anyValue(),
          REVSEG_SES_MAX_SEND_RATE: '1',
        }),
      },
    });
    synth({ lambda: { memoryMb: 4096, timeoutMinutes: 10 } }).pipeline.hasResourceProperties(
      'AWS::Lambda::Function',
      {
        MemorySize: 4096,
        Timeout: 600,
      },
    );
  });
});

describe('pipeline stack: schedules and orchestration', () => {
  it('runs monthly on the 2nd at 06:00 and quarterly at the configured time, in the configured time zone', () => {
    pipeline.resourceCountIs('AWS::Scheduler::Schedule', 2);
    pipeline.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 2 * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      Target: Match.objectLike({
        Input: JSON.stringify({ cadence: 'monthly', scheduledTime: '<aws.scheduler.scheduled-time>' }),
        DeadLetterConfig: { Arn: Match.anyValue() },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 10 }),
      }),
    });
    // Fiscal year from February: quarters start in Feb, May, Aug and Nov.
    pipeline.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 7 2 2,5,8,11 ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      Target: Match.objectLike({
        Input: JSON.stringify({ cadence: 'quarterly', scheduledTime: '<aws.scheduler.scheduled-time>' }),
      }),
    });
  });

  it('disables a schedule on request', () => {
    synth({ schedule: { quarterly: { enabled: false } } }).pipeline.hasResourceProperties(
      'AWS::Scheduler::Schedule',
      {
        State: 'DISABLED',
        Target: Match.objectLike({ Input: Match.stringLikeRegexp('quarterly') }),
      },
    );
  });

  it('starts planned statements by key and watches them without a Lambda waiting, traced and fully logged', () => {
    const machines = Object.values(pipeline.findResources('AWS::StepFunctions::StateMachine')) as {
      Properties: { DefinitionString: unknown; TracingConfiguration: unknown; LoggingConfiguration: unknown };
    }[];
    expect(machines).toHaveLength(1);
    const definition = JSON.stringify(machines[0]?.Properties.DefinitionString);
    expect(definition).toContain(':states:::athena:getQueryExecution');
    expect(definition).toContain(':states:::athena:stopQueryExecution');
    expect(definition).not.toContain('startQueryExecution');
    expect(definition).toContain('\\"QueryLanguage\\":\\"JSONata\\"');
    expect(definition).toContain('\\"MaxConcurrency\\":4');
    expect(definition).toContain('Athena.TooManyRequestsException');
    expect(machines[0]?.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(machines[0]?.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL' });
  });

  it('keeps the scheduler dead letters encrypted and TLS-only', () => {
    pipeline.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    pipeline.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny' })]) },
    });
  });
});

describe('pipeline stack: alarms, SES and named queries', () => {
  it('alarms on failed, timed-out and aborted runs and on dead-lettered starts, to an encrypted topic', () => {
    // Failed, timed-out and aborted runs, dead-lettered starts, and failed mails of each cadence.
    pipeline.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Namespace: 'AWS/States',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
    }
    pipeline.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
    });
    pipeline.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    pipeline.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    pipeline.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('subscribes nobody when no alarm email is configured', () => {
    synth().pipeline.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('creates the sender identity as configured', () => {
    pipeline.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'acme.example' });
    synth({
      ses: { identity: 'email' },
      runConfig: { mail: { from: 'r@acme.example' } },
    }).pipeline.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'r@acme.example' });
    synth({ ses: { identity: 'none' } }).pipeline.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });

  it('saves the five leadership questions as named queries in the workgroup', () => {
    pipeline.resourceCountIs('AWS::Athena::NamedQuery', 5);
    for (const name of [
      'Latest segment summary',
      'Segment trend over periods',
      'Migrations this period',
      'High-value accounts at risk',
      'Growth opportunities',
    ]) {
      pipeline.hasResourceProperties('AWS::Athena::NamedQuery', {
        Name: `revenue-segments: ${name}`,
        Database: 'revenue_segments',
        WorkGroup: 'revenue-segments',
        QueryString: Match.stringLikeRegexp('SELECT'),
      });
    }
  });
});
