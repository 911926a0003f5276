import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parseDeployConfig } from '../../lib/config.ts';
import { buildStacks } from '../../lib/stacks.ts';
import { testDeployConfig } from '../fixtures/deploy-config.ts';

function pipelineTemplate(config: unknown = {}): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return Template.fromStack(buildStacks(app, parseDeployConfig(testDeployConfig(config))).pipeline);
}

const template = pipelineTemplate({
  runConfig: { mail: { from: 'reports@acme.example', allowedDomains: ['acme.example', 'example.com'] } },
});

describe('mail on AWS: sender identity', () => {
  it("verifies the sender's domain with Easy DKIM (2048-bit) and sends through the configuration set", () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'acme.example',
      DkimAttributes: { SigningEnabled: true },
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      ConfigurationSetAttributes: { ConfigurationSetName: Match.anyValue() },
    });
  });

  it('verifies a named domain, or the single sender address for a trial', () => {
    pipelineTemplate({
      ses: { domain: 'acme.example' },
      runConfig: {
        mail: { from: 'reports@mail.acme.example', allowedDomains: ['mail.acme.example', 'example.com'] },
      },
    }).hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'acme.example' });
    const trial = pipelineTemplate({
      ses: { identity: 'email' },
      runConfig: { mail: { from: 'me@acme.example' } },
    });
    trial.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'me@acme.example',
      DkimSigningAttributes: Match.absent(),
    });
  });
});

describe('mail on AWS: bounces, complaints and failed mails', () => {
  it('creates a configuration set that suppresses bounces and complaints and sends those events to SNS', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        Enabled: true,
        MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
        SnsDestination: { TopicARN: { Ref: Match.stringLikeRegexp('MailEventsTopic') } },
      }),
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'revenue-segments mail bounces and complaints',
      KmsMasterKeyId: Match.anyValue(),
    });
  });

  it('lets only this account’s SES publish those events and use the topic key', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'AWS:SourceAccount': '123456789012' }) },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
          }),
        ]),
      },
    });
  });

  it('alarms when a run of either cadence reports failed mails (mailsFailed)', () => {
    for (const cadence of ['monthly', 'quarterly']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'RevenueSegments',
        MetricName: 'mailsFailed',
        Dimensions: Match.arrayWith([
          { Name: 'cadence', Value: cadence },
          { Name: 'service', Value: 'revenue-segments' },
        ]),
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmTopic') }],
      });
    }
  });

  it('tells the job the configuration set, and uses an existing one instead when configured', () => {
    const env = JSON.stringify(template.findResources('AWS::Lambda::Function'));
    expect(env).toContain('"REVSEG_SES_CONFIGURATION_SET":{"Ref":"MailConfigurationSet');
    const existing = pipelineTemplate({ ses: { configurationSet: 'corp-mail' } });
    existing.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    expect(JSON.stringify(existing.findResources('AWS::Lambda::Function'))).toContain(
      '"REVSEG_SES_CONFIGURATION_SET":"corp-mail"',
    );
  });
});

describe('mail on AWS: IAM enforces the sender and the allowed domains', () => {
  it('conditions SendRawEmail on ses:FromAddress and on every recipient being in allowedDomains', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as {
      Properties: {
        PolicyDocument: { Statement: { Sid?: string; Condition?: unknown; Resource: unknown }[] };
      };
    }[];
    const send = policies
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .find((s) => s.Sid === 'SendMailAsConfiguredSender');
    expect(send?.Condition).toEqual({
      StringEquals: { 'ses:FromAddress': 'reports@acme.example' },
      'ForAllValues:StringLike': { 'ses:Recipients': ['*@acme.example', '*@example.com'] },
    });
    expect(JSON.stringify(send?.Resource)).toContain(':configuration-set/');
  });
});
