import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource of a policy. The finding id
 * is computed exactly as cdk-nag computes it, so each acknowledgment covers that one resource and nothing
 * else (a new wildcard added later is still reported).
 */
export function acknowledgeWildcardResource(policy: IConstruct, resource: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(policy).resolve(resource));
  Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flat}]`, reason });
}

/** Acknowledges one whole cdk-nag AwsSolutions rule on a construct. */
export function acknowledgeRule(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${rule}`, reason });
}
