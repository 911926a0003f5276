import type { App } from 'aws-cdk-lib';
import type { DeployConfig } from './config.ts';
import { RevenueSegmentsDataStack } from './data-stack.ts';
import { RevenueSegmentsPipelineStack } from './pipeline-stack.ts';

export interface RevenueSegmentsStacks {
  readonly data: RevenueSegmentsDataStack;
  readonly pipeline: RevenueSegmentsPipelineStack;
}

/** Builds the stateful data stack and the stateless pipeline stack that uses it. */
export function buildStacks(app: App, config: DeployConfig): RevenueSegmentsStacks {
  const env = {
    account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT,
    region: config.region ?? process.env.CDK_DEFAULT_REGION,
  };
  const data = new RevenueSegmentsDataStack(app, `${config.stackPrefix}-Data`, {
    env,
    config,
    description: 'revenue-segments: buckets, Glue tables and Athena workgroup (stateful)',
  });
  const pipeline = new RevenueSegmentsPipelineStack(app, `${config.stackPrefix}-Pipeline`, {
    env,
    config,
    data,
    description: 'revenue-segments: functions, state machine, schedules, alarms, SES and named queries',
  });
  return { data, pipeline };
}
