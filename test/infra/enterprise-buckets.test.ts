import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../lib/config.ts';
import { buildStacks } from '../../lib/stacks.ts';
import { testDeployConfig } from '../fixtures/deploy-config.ts';

function templates(config: unknown = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stacks = buildStacks(app, parseDeployConfig(testDeployConfig(config)));
  return { data: Template.fromStack(stacks.data), pipeline: Template.fromStack(stacks.pipeline) };
}

type Statement = { Sid?: string; Action: unknown; Resource: unknown; Condition?: unknown };
function managedStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::ManagedPolicy')).flatMap(
    (r) =>
      (r as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
        .Statement,
  );
}

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const plain = templates();

describe('an existing SSE-KMS input bucket', () => {
  it('lets the query roles decrypt with its key, through S3 only', () => {
    const { data } = templates({ input: { bucketName: 'corp-exports', kmsKeyArn: KEY } });
    const decrypt = managedStatements(data).find((s) => s.Sid === 'DecryptInputData');
    expect(decrypt).toEqual({
      Sid: 'DecryptInputData',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY,
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
  });

  it('grants no KMS key without one configured, and refuses a malformed ARN', () => {
    expect(managedStatements(plain.data).some((s) => JSON.stringify(s.Action).includes('kms:'))).toBe(false);
    expect(() => parseDeployConfig(testDeployConfig({ input: { kmsKeyArn: 'alias/corp' } }))).toThrow(
      'input.kmsKeyArn: use a KMS key ARN',
    );
  });
});

describe('a Glue catalog governed by Lake Formation', () => {
  it('grants the query step and the job DESCRIBE on the database and SELECT, DESCRIBE on its tables', () => {
    const { data, pipeline } = templates({ lakeFormation: true });
    pipeline.resourcePropertiesCountIs(
      'AWS::LakeFormation::PrincipalPermissions',
      {
        Resource: {
          Table: { CatalogId: '123456789012', DatabaseName: 'revenue_segments', TableWildcard: {} },
        },
        Permissions: ['SELECT', 'DESCRIBE'],
        PermissionsWithGrantOption: [],
        Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [Match.stringLikeRegexp('Role'), 'Arn'] } },
      },
      2,
    );
    pipeline.resourcePropertiesCountIs(
      'AWS::LakeFormation::PrincipalPermissions',
      {
        Resource: { Database: { CatalogId: '123456789012', Name: 'revenue_segments' } },
        Permissions: ['DESCRIBE'],
      },
      2,
    );
    expect(managedStatements(data).find((s) => s.Sid === 'LakeFormationDataAccess')?.Action).toBe(
      'lakeformation:GetDataAccess',
    );
  });

  it('creates no Lake Formation grant by default', () => {
    plain.pipeline.resourceCountIs('AWS::LakeFormation::PrincipalPermissions', 0);
  });
});
