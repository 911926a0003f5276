import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../lib/config.ts';
import { buildStacks } from '../../lib/stacks.ts';
import { testDeployConfig } from '../fixtures/deploy-config.ts';

/** Synthesizes the pipeline stack without bundling the handlers. */
function pipelineTemplate(config: unknown = {}): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildStacks(app, parseDeployConfig(testDeployConfig(config)));
  return Template.fromStack(stacks.pipeline);
}

interface State {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  Catch?: { ErrorEquals: string[]; Next: string; Output: Record<string, string> }[];
  Arguments?: Record<string, unknown>;
  Error?: string;
  Cause?: string;
  Choices?: { Condition: string; Next: string }[];
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
}

/** The state machine definition with CloudFormation references replaced by placeholders. */
function definitionOf(template: Template): { StartAt: string; States: Record<string, State> } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as {
    Properties: { DefinitionString: { 'Fn::Join': [string, unknown[]] } };
  }[];
  const parts = machine?.Properties.DefinitionString['Fn::Join'][1] ?? [];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'REF')).join(''));
}

const template = pipelineTemplate();
const definition = definitionOf(template);

describe('run state machine: a failed run notifies with its cause', () => {
  it('catches every error of the plan, the queries and the job and publishes it to the alarm topic', () => {
    for (const name of ['Plan', 'RunQueries', 'RunJob']) {
      const state = definition.States[name];
      expect(state?.Catch).toEqual([
        expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'NotifyFailure' }),
      ]);
      const output = state?.Catch?.[0]?.Output ?? {};
      expect(output.state).toBe(name);
      expect(output.error).toBe('{% $states.errorOutput.Error %}');
      expect(output.cause).toContain('$states.errorOutput.Cause');
      expect(output.period).toContain(
        name === 'Plan' ? '$states.input.periodId' : '$states.input.request.periodId',
      );
    }
    const notify = definition.States.NotifyFailure;
    expect(notify?.Resource).toBe('arn:REF:states:::sns:publish');
    expect(JSON.stringify(notify?.Arguments)).toContain('"TopicArn":"REF"');
    for (const field of [
      '$states.input.state',
      '$states.input.period',
      '$states.input.error',
      '$states.input.cause',
    ]) {
      expect(notify?.Arguments?.Message).toContain(field);
    }
    expect(notify?.Next).toBe('RunFailed');
    // Still a failed execution, so the failed-run alarm fires too.
    expect(definition.States.RunFailed).toMatchObject({ Type: 'Fail', Error: '{% $states.input.error %}' });
  });

  it('reports a refused lease (another run of the period) as a failure at once, never retrying the job', () => {
    const job = definition.States.RunJob as State & { Retry?: { ErrorEquals: string[] }[] };
    const retried = (job.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(retried.every((e) => e.startsWith('Lambda.'))).toBe(true);
    expect(job.Catch?.[0]?.ErrorEquals).toEqual(['States.ALL']);
  });

  it('lets the state machine publish to the encrypted alarm topic', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('"Action":"sns:Publish"');
    expect(policies).toMatch(/"Action":\["kms:Decrypt","kms:GenerateDataKey"\]/);
  });
});

describe('run state machine: statements travel by key and are watched within the query timeout', () => {
  const processor = definition.States.RunQueries?.ItemProcessor;

  it('carries no SQL: the query step starts a statement by its S3 key, Step Functions only watches it', () => {
    const text = JSON.stringify(definition);
    expect(text).not.toMatch(/QueryString|SELECT /);
    expect(processor?.StartAt).toBe('StartQuery');
    expect(processor?.States.StartQuery?.Resource).toBe('arn:REF:states:::lambda:invoke');
    expect(processor?.States.GetQueryExecution?.Resource).toBe('arn:REF:states:::athena:getQueryExecution');
    expect(processor?.States.QueryFailed).toMatchObject({ Type: 'Fail', Error: 'Athena.QueryFailed' });
  });

  it("stops a statement after Athena's default 30-minute DML timeout unless configured otherwise", () => {
    const timeoutOf = (d: typeof definition) =>
      d.States.RunQueries?.ItemProcessor?.States.QueryDone?.Choices?.find((c) => c.Next === 'StopQuery')
        ?.Condition;
    expect(timeoutOf(definition)).toBe('{% $toMillis($now()) - $toMillis($startedAt) > 1800000 %}');
    expect(timeoutOf(definitionOf(pipelineTemplate({ athena: { queryTimeoutMinutes: 90 } })))).toContain(
      '> 5400000',
    );
    expect(processor?.States.QueryTimedOut).toMatchObject({ Type: 'Fail', Error: 'Athena.QueryTimeout' });
  });
});

describe('alarm topic key', () => {
  it('lets CloudWatch use the key only for alarms of this account (aws:SourceAccount)', () => {
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as {
      Properties: {
        KeyPolicy: { Statement: { Principal?: unknown; Condition?: unknown; Action: unknown }[] };
      };
    }[];
    const cloudwatch = (key?.Properties.KeyPolicy.Statement ?? []).filter((s) =>
      JSON.stringify(s.Principal).includes('cloudwatch.amazonaws.com'),
    );
    expect(cloudwatch).toHaveLength(1);
    expect(cloudwatch[0]?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });
});

describe('run state machine: each large input is scanned once per run', () => {
  it('stages the shared includes one after another before the queries, and drops them after the job', () => {
    const order: string[] = [];
    for (let name: string | undefined = definition.StartAt; name; name = definition.States[name]?.Next) {
      order.push(name);
    }
    expect(order).toEqual(['Plan', 'StageInputs', 'RunQueries', 'RunJob', 'DropStaged']);
    const stage = definition.States.StageInputs as State & { MaxConcurrency?: number; Items?: string };
    expect(stage.MaxConcurrency).toBe(1);
    expect(stage.Items).toBe('{% $states.input.stages %}');
    expect(stage.ItemProcessor?.StartAt).toBe('StageStartQuery');
    const drop = definition.States.DropStaged as State & { Items?: string };
    expect(drop.Items).toBe('{% $cleanup %}');
    for (const name of ['StageInputs', 'DropStaged']) {
      expect(definition.States[name]?.Catch?.[0]?.Next).toBe('NotifyFailure');
    }
  });

  it('lets the runs create and drop only their staged tables, and write only under staging/', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const data = Template.fromStack(buildStacks(app, parseDeployConfig(testDeployConfig({}))).data);
    const policies = data.findResources('AWS::IAM::ManagedPolicy');
    const statements = Object.values(policies).flatMap(
      (p) =>
        (
          p as {
            Properties: {
              PolicyDocument: { Statement: { Sid?: string; Action: string[]; Resource: unknown }[] };
            };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const stage = statements.find((s) => s.Sid === 'StageRunTables');
    expect(stage?.Action).toEqual(['glue:CreateTable', 'glue:DeleteTable', 'glue:GetTable']);
    expect(JSON.stringify(stage?.Resource)).toContain('/revseg_stage_*');
    const write = statements.find((s) => s.Sid === 'WriteStagedData');
    expect(JSON.stringify(write?.Resource)).toContain('/staging/*');
    expect(write?.Action).not.toContain('s3:*');
  });
});
