import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { CADENCES } from '../../lambdas/core/period.ts';

export interface ReportMailProps {
  /** The sender address of every report (`runConfig.mail.from`). */
  readonly from: string;
  /**
   * The SES identity to create: `domain` (Easy DKIM, so receivers enforcing DMARC accept the mail), `email`
   * (the single sender address, for a trial), or `none` (it exists already).
   */
  readonly identity: 'domain' | 'email' | 'none';
  /** The domain of the domain identity; the sender's address is in it. */
  readonly domain: string;
  /** The only domains reports may be sent to (`runConfig.mail.allowedDomains`), enforced again by IAM. */
  readonly allowedDomains: readonly string[];
  /** An existing configuration set to send through instead of the one created here. @default create one */
  readonly existingConfigurationSet?: string;
  /** Encrypts the mail events topic; SES of this account is allowed to use it. */
  readonly topicKey: kms.IKey;
  /** Where the failed-mail alarms go. */
  readonly alarmTopic: sns.ITopic;
  /** Subscribed to the bounce and complaint events. @default none */
  readonly alarmEmail?: string;
  /** The CloudWatch namespace and service dimension the job publishes `mailsFailed` under. */
  readonly metricsNamespace: string;
  readonly serviceName: string;
}

/**
 * Everything SES needs to send the reports and be heard when they do not arrive: the sender identity (a
 * domain with Easy DKIM by default), a configuration set whose bounce, complaint and reject events go to an
 * encrypted SNS topic (addresses that bounce or complain are suppressed), an alarm per cadence on the job's
 * `mailsFailed` metric, and the send grant, which IAM limits to the sender and the allowed domains.
 */
export class ReportMail extends Construct {
  /** Name of the configuration set every mail is sent through. */
  readonly configurationSetName: string;
  readonly configurationSet: ses.IConfigurationSet;
  /** Bounce, complaint and reject events; absent when an existing configuration set is used. */
  readonly eventsTopic?: sns.Topic;
  readonly identityName: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ReportMailProps,
  ) {
    super(scope, id);
    if (props.existingConfigurationSet) {
      this.configurationSet = ses.ConfigurationSet.fromConfigurationSetName(
        this,
        'ConfigurationSet',
        props.existingConfigurationSet,
      );
    } else {
      const set = new ses.ConfigurationSet(this, 'ConfigurationSet', {
        reputationMetrics: true,
        sendingEnabled: true,
        suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      });
      props.topicKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'SesEventsOfThisAccount',
          principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
        }),
      );
      this.eventsTopic = new sns.Topic(this, 'EventsTopic', {
        displayName: 'revenue-segments mail bounces and complaints',
        masterKey: props.topicKey,
        enforceSSL: true,
      });
      if (props.alarmEmail) {
        this.eventsTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      }
      set.addEventDestination('BouncesAndComplaints', {
        destination: ses.EventDestination.snsTopic(this.eventsTopic),
        events: [
          ses.EmailSendingEvent.BOUNCE,
          ses.EmailSendingEvent.COMPLAINT,
          ses.EmailSendingEvent.REJECT,
          ses.EmailSendingEvent.RENDERING_FAILURE,
        ],
      });
      this.configurationSet = set;
    }
    this.configurationSetName = this.configurationSet.configurationSetName;

    this.identityName = props.identity === 'email' ? props.from : props.domain;
    if (props.identity !== 'none') {
      new ses.EmailIdentity(this, 'SenderIdentity', {
        identity:
          props.identity === 'email' ? ses.Identity.email(props.from) : ses.Identity.domain(props.domain),
        ...(props.identity === 'domain'
          ? {
              dkimSigning: true,
              dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
            }
          : {}),
        configurationSet: this.configurationSet,
      });
    }

    for (const cadence of CADENCES) {
      new cloudwatch.Alarm(this, `MailsFailed-${cadence}`, {
        metric: new cloudwatch.Metric({
          namespace: props.metricsNamespace,
          metricName: 'mailsFailed',
          dimensionsMap: { service: props.serviceName, cadence },
          statistic: 'Sum',
          period: Duration.hours(1),
        }),
        alarmDescription: `A ${cadence} revenue-segments run could not deliver some mails (failed or in doubt): see the run's failedMails and the mail ledger, then rerun with resendTo`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new actions.SnsAction(props.alarmTopic));
    }
  }

  /**
   * SendRawEmail through the sender's identity and the configuration set only, from the configured sender
   * only (`ses:FromAddress`), and to addresses in the allowed domains only (`ses:Recipients`, every
   * recipient), so IAM refuses what the recipient policy would refuse even if the code did not.
   */
  grantSend(grantee: iam.IRole): void {
    const stack = Stack.of(this);
    const identity = (name: string) =>
      stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    grantee.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendMailAsConfiguredSender',
        actions: ['ses:SendRawEmail'],
        resources: [
          identity(this.props.from),
          identity(this.props.domain),
          stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: this.configurationSetName,
          }),
        ],
        conditions: {
          StringEquals: { 'ses:FromAddress': this.props.from },
          'ForAllValues:StringLike': { 'ses:Recipients': this.props.allowedDomains.map((d) => `*@${d}`) },
        },
      }),
    );
  }
}
