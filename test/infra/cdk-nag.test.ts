import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../lib/config.ts';
import { buildStacks } from '../../lib/stacks.ts';
import { testDeployConfig } from '../fixtures/deploy-config.ts';

function appWithChecks(config: unknown = {}) {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [] },
    outdir: mkdtempSync(path.join(tmpdir(), 'revseg-nag-')),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stacks = buildStacks(app, parseDeployConfig(testDeployConfig(config)));
  return { app, stacks };
}

function acknowledgments(root: IConstruct): { id: string; reason: string }[] {
  return root.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason })));
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['the default config', {}],
    [
      'a config with every option set',
      {
        alarmEmail: 'ops@example.com',
        input: {
          format: 'parquet',
          bucketName: 'acme-exports',
          prefix: 'crm/',
          optionalTables: ['opportunities', 'costs', 'fx_rates'],
          kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        },
        lakeFormation: true,
        ses: { identity: 'domain', configurationSet: 'revseg' },
      },
    ],
    [
      'a trial config: a single sender address, the configuration set the stack creates',
      { ses: { identity: 'email' }, athena: { queryTimeoutMinutes: 90 } },
    ],
  ])('has zero unacknowledged findings for %s', (_name, config) => {
    const { app } = appWithChecks(config);
    expect(() => app.synth()).not.toThrow();
  });

  it('still reports a new wildcard that nobody acknowledged (the checks are really on)', () => {
    const { app, stacks } = appWithChecks();
    stacks.pipeline.jobFunction.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::some-bucket/*'] }),
    );
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:s3:::some-bucket\/\*\]/);
  });

  it('gives every acknowledgment a reason a reviewer can check', () => {
    const { app } = appWithChecks();
    const acks = acknowledgments(app).filter((a) => a.id.startsWith('AwsSolutions::'));
    expect(acks.length).toBeGreaterThanOrEqual(8);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^AwsSolutions::AwsSolutions-(IAM5\[Resource::.+\]|L1|S1|SQS3)$/);
      expect(ack.reason.length).toBeGreaterThan(80);
    }
    expect(acks.map((a) => a.id)).not.toContain('AwsSolutions::AwsSolutions-IAM5');
  });
});
