/**
 * What CloudFormation may do when it deploys a service stack: its execution policy.
 *
 * `cdk bootstrap --cloudformation-execution-policies` gives CloudFormation's execution role these
 * policies instead of AdministratorAccess. Their actions are the ones CloudFormation's resource
 * handlers call to create, read, update and delete the resource types the stack holds, as
 * CloudFormation's resource schemas list them (cfn-lint ships the schemas). A new resource type in
 * a service stack adds its actions the next time the CI identity stack is deployed.
 */
import { CfnResource, type Stack } from 'aws-cdk-lib';

import { iamActions, resourceSchema } from './resource-schemas';

export { iamActions } from './resource-schemas';

const HANDLERS = ['create', 'read', 'update', 'delete'] as const;
// An IAM action: a service prefix and an action name. Some schemas also list entries that are
// not (such as `s3:REST.PUT.OBJECT`): IAM refuses them, and they grant nothing.
const IAM_ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+\*?$/;
// CloudFormation invokes a custom resource's provider function with the execution role.
const CUSTOM_RESOURCE_ACTIONS: ReadonlySet<string> = new Set(['lambda:InvokeFunction']);
// Resources that CloudFormation handles itself, calling nothing with the execution role.
const CLOUDFORMATION_OWN_TYPES: ReadonlySet<string> = new Set(['AWS::CDK::Metadata']);
// A few schemas list actions by wildcard; the execution policy names each action instead (from
// the Service Authorization Reference). A new wildcard fails synth until it is listed here.
export const WILDCARD_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'application-autoscaling:Describe*': [
    'application-autoscaling:DescribeScalableTargets',
    'application-autoscaling:DescribeScalingActivities',
    'application-autoscaling:DescribeScalingPolicies',
    'application-autoscaling:DescribeScheduledActions',
  ],
  'dynamodb:Describe*': [
    'dynamodb:DescribeContinuousBackups',
    'dynamodb:DescribeContributorInsights',
    'dynamodb:DescribeKinesisStreamingDestination',
    'dynamodb:DescribeTable',
    'dynamodb:DescribeTableReplicaAutoScaling',
    'dynamodb:DescribeTimeToLive',
  ],
};
// A managed policy holds at most 6,144 characters (whitespace aside); each part stays below it,
// leaving room for the statement around the actions.
const POLICY_ACTION_CHARACTERS = 5000;

export function resourceTypes(stack: Stack): Set<string> {
  return new Set(
    stack.node
      .findAll()
      .filter((node) => CfnResource.isCfnResource(node))
      .map((resource) => resource.cfnResourceType),
  );
}

/** The actions CloudFormation calls to manage one resource type in the region. */
export function handlerActions(region: string, resourceType: string): ReadonlySet<string> {
  if (
    resourceType.startsWith('Custom::') ||
    resourceType === 'AWS::CloudFormation::CustomResource'
  ) {
    return CUSTOM_RESOURCE_ACTIONS;
  }
  if (CLOUDFORMATION_OWN_TYPES.has(resourceType)) {
    return new Set();
  }
  const schema = resourceSchema(region, resourceType);
  if (schema === undefined) {
    throw new Error(`${resourceType}: ${region} has no resource schema for it`);
  }
  const actions = new Set(
    HANDLERS.flatMap((handler) => schema.handlers?.[handler]?.permissions ?? []).filter((action) =>
      IAM_ACTION.test(action),
    ),
  );
  if (actions.size === 0) {
    throw new Error(`${resourceType}: its resource schema lists no handler permissions`);
  }
  return actions;
}

/** Every action CloudFormation needs to deploy these resource types, sorted; never a wildcard. */
export function deploymentActions(types: Iterable<string>, region: string): string[] {
  const listed = new Set([...types].flatMap((type) => [...handlerActions(region, type)]));
  const unknown = [...listed]
    .filter((a) => a.includes('*') && !Object.hasOwn(WILDCARD_ACTIONS, a))
    .sort();
  if (unknown.length > 0) {
    throw new Error(`name the actions of ${unknown.join(', ')} in WILDCARD_ACTIONS`);
  }
  // Some schemas still list actions IAM renamed or never had (s3:PutBucketReplication): they
  // grant nothing, and IAM's own names for them are listed too.
  const known = iamActions();
  const actions = new Set(
    [...listed].filter((a) => !a.includes('*') && known.has(a.toLowerCase())),
  );
  for (const wildcard of listed) {
    for (const action of WILDCARD_ACTIONS[wildcard] ?? []) {
      actions.add(action);
    }
  }
  return [...actions].sort();
}

/** The actions split into lists that each fit one managed policy. */
export function inParts(actions: readonly string[]): string[][] {
  let part: string[] = [];
  const parts = [part];
  let size = 0;
  for (const action of actions) {
    if (part.length > 0 && size + action.length + 3 > POLICY_ACTION_CHARACTERS) {
      part = [];
      parts.push(part);
      size = 0;
    }
    part.push(action);
    size += action.length + 3;
  }
  return parts;
}
