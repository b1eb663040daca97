/**
 * How GitHub Actions deploys without stored keys, and what a deployment may do.
 *
 * One CI identity stack per AWS account, for the environments in that account. For each of them:
 *
 * - a deploy role, assumable only through GitHub's OIDC provider by workflows of
 *   acme/orders-service running in the GitHub environment of the same name, which may only
 *   assume the CDK bootstrap roles of that environment's qualifier in this account;
 * - a diff role, assumable only by workflows running on the main branch, which may only assume
 *   that qualifier's bootstrap lookup role (read-only): the pipeline shows `cdk diff` with it
 *   before anyone approves the deployment;
 * - where the environment's settings turn on `smokeSignedIn`, a policy of the deploy role that
 *   lets `make smoke` create a throwaway user in that environment's user pool, sign it in and
 *   delete it, and nothing else;
 * - the CloudFormation execution policies that `cdk bootstrap --cloudformation-execution-policies`
 *   gives that qualifier's execution role: the actions the environment's stack needs, IAM only on
 *   roles and policies named with the stack's name (see infra/execution-policy.ts).
 */
import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnAnalyzer } from 'aws-cdk-lib/aws-accessanalyzer';
import {
  ManagedPolicy,
  OidcProviderNative,
  Policy,
  PolicyStatement,
  Role,
  WebIdentityPrincipal,
  type IOidcProvider,
} from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

import { acknowledge, requiredTags } from './compliance';
import { REGION } from './contract';
import { deploymentActions, inParts, resourceTypes } from './execution-policy';
import {
  ENVIRONMENTS,
  GITHUB_REPOSITORY,
  SERVICE_NAME,
  stackName,
  type EnvironmentName,
} from './settings';

const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
// The roles `cdk bootstrap` creates for a qualifier; `cdk diff` reads through the lookup role.
const CDK_BOOTSTRAP_ROLES = [
  'deploy-role',
  'file-publishing-role',
  'image-publishing-role',
  'lookup-role',
] as const;
// The token subject of a workflow job on the main branch that names no GitHub environment.
const MAIN_BRANCH_SUBJECT = `repo:${GITHUB_REPOSITORY}:ref:refs/heads/main`;
// What `make smoke` does with a throwaway user of the environment's pool (scripts/smoke-test.ts).
export const SMOKE_TEST_USER_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminInitiateAuth',
  'cognito-idp:AdminDeleteUser',
];

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export interface CiIdentityStackProps extends StackProps {
  /** The service stack of each environment this account deploys. */
  readonly serviceStacks: ReadonlyMap<EnvironmentName, Stack>;
}

interface GitHubRoleProps {
  readonly roleName: string;
  readonly description: string;
  readonly subject: string;
  readonly mayAssume: string[];
}

export class CiIdentityStack extends Stack {
  readonly provider: IOidcProvider;

  constructor(scope: Construct, id: string, props: CiIdentityStackProps) {
    super(scope, id, props);
    this.provider = new OidcProviderNative(this, 'GitHubOidcProvider', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIds: ['sts.amazonaws.com'],
    });
    // IAM Access Analyzer reports any policy that grants access from outside this account.
    // Like the OIDC provider, it is set up once per account, by the first service there.
    new CfnAnalyzer(this, 'AccessAnalyzer', { type: 'ACCOUNT' });
    for (const [environment, serviceStack] of props.serviceStacks) {
      this.environmentRoles(environment, serviceStack);
    }
  }

  private environmentRoles(environment: EnvironmentName, serviceStack: Stack): void {
    const qualifier = ENVIRONMENTS[environment].bootstrapQualifier;
    const suffix = capitalize(environment);
    const bootstrapRole = (role: string): string =>
      `arn:${this.partition}:iam::${this.account}:role/cdk-${qualifier}-${role}-${this.account}-${this.region}`;

    const deployRole = this.gitHubRole(`DeployRole${suffix}`, {
      roleName: `${SERVICE_NAME}-github-deploy-${environment}`,
      description: `GitHub Actions deploys ${SERVICE_NAME} to ${environment}`,
      subject: `repo:${GITHUB_REPOSITORY}:environment:${environment}`,
      mayAssume: CDK_BOOTSTRAP_ROLES.map(bootstrapRole),
    });
    if (ENVIRONMENTS[environment].smokeSignedIn) {
      this.smokeTestUsers(environment, deployRole);
    }
    const diffRole = this.gitHubRole(`DiffRole${suffix}`, {
      roleName: `${SERVICE_NAME}-github-diff-${environment}`,
      description: `GitHub Actions on main reads what a deploy to ${environment} would change`,
      subject: MAIN_BRANCH_SUBJECT,
      mayAssume: [bootstrapRole('lookup-role')],
    });
    const policies = this.executionPolicies(environment, serviceStack);
    const policyArns = Fn.join(
      ',',
      policies.map((policy) => policy.managedPolicyArn),
    );

    new CfnOutput(this, `DeployRoleArn${suffix}`, {
      value: deployRole.roleArn,
      description: `AWS_DEPLOY_ROLE_ARN of the GitHub environment '${environment}'`,
    });
    new CfnOutput(this, `DiffRoleArn${suffix}`, {
      value: diffRole.roleArn,
      description: `Repository variable AWS_DIFF_ROLE_ARN_${environment.toUpperCase()}`,
    });
    new CfnOutput(this, `BootstrapCommand${suffix}`, {
      value: Fn.join('', [
        `npx cdk bootstrap aws://${this.account}/${this.region} --qualifier ${qualifier} `,
        '--cloudformation-execution-policies ',
        policyArns,
      ]),
      description: `Bootstraps ${environment}'s qualifier with its execution policies`,
    });
  }

  private gitHubRole(id: string, props: GitHubRoleProps): Role {
    const role = new Role(this, id, {
      roleName: props.roleName,
      description: props.description,
      maxSessionDuration: Duration.hours(1),
      assumedBy: new WebIdentityPrincipal(this.provider.oidcProviderArn, {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB_OIDC_HOST}:sub`]: props.subject,
        },
      }),
    });
    role.addToPolicy(
      new PolicyStatement({ actions: ['sts:AssumeRole'], resources: props.mayAssume }),
    );
    return role;
  }

  /** The deploy role may manage throwaway users of its own environment's user pool only. */
  private smokeTestUsers(environment: EnvironmentName, deployRole: Role): void {
    // The pool's id is known only once the service stack is deployed, so the statement names
    // every pool of this account and region, and its conditions keep the pools that carry the
    // environment's Service and Env tags (applyTags puts them on every resource of the stack).
    // Cognito evaluates aws:ResourceTag for these actions on a user pool (IAM's service
    // reference, as cfn-lint ships it: resource `userpool`, condition key
    // aws:ResourceTag/${TagKey}); tagging a pool takes cognito-idp:TagResource, which no GitHub
    // role has.
    const tags = requiredTags(environment);
    const userPools = `arn:${this.partition}:cognito-idp:${this.region}:${this.account}:userpool/*`;
    const policy = new Policy(this, `SmokeTestUsers${capitalize(environment)}`, {
      policyName: `${SERVICE_NAME}-smoke-test-users-${environment}`,
      roles: [deployRole],
      statements: [
        new PolicyStatement({
          sid: 'SmokeTestUsersOfTheEnvironmentsPool',
          actions: SMOKE_TEST_USER_ACTIONS,
          resources: [userPools],
          conditions: {
            StringEquals: {
              'aws:ResourceTag/Service': tags.Service,
              'aws:ResourceTag/Env': tags.Env,
            },
          },
        }),
      ],
    });
    acknowledge(
      policy,
      `AwsSolutions-IAM5[Resource::${this.asNagNames(userPools)}]`,
      "The user pool's id is known only after the service stack's deploy; the statement's " +
        'conditions keep the pools tagged with this service and environment.',
    );
  }

  /** CloudFormation's permissions for one environment's stack, in as many policies as they need. */
  private executionPolicies(environment: EnvironmentName, serviceStack: Stack): ManagedPolicy[] {
    const prefix = stackName(environment);
    const iamArn = `arn:${this.partition}:iam::${this.account}`;
    const actions = deploymentActions(resourceTypes(serviceStack), REGION);
    const named = [`${iamArn}:role/${prefix}-*`, `${iamArn}:policy/${prefix}-*`];
    // Each statement, with why its resources hold a wildcard.
    const statements: [PolicyStatement, string][] = [];
    const roleActions = actions.filter(
      (a) => a.startsWith('iam:') && a !== 'iam:CreateServiceLinkedRole',
    );
    if (roleActions.length > 0) {
      statements.push([
        new PolicyStatement({
          sid: 'RolesAndPoliciesOfTheStack',
          actions: roleActions,
          resources: named,
        }),
        "CloudFormation names the stack's roles and policies when it creates them, each starting " +
          "with the stack's name: no narrower name is known before the deploy.",
      ]);
    }
    if (actions.includes('iam:CreateServiceLinkedRole')) {
      statements.push([
        new PolicyStatement({
          sid: 'ServiceLinkedRoles',
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [`${iamArn}:role/aws-service-role/*`],
        }),
        'Services create their service-linked roles under aws-service-role/ on first use; their ' +
          "names are the services', not the stack's.",
      ]);
    }
    const otherActions = actions.filter((a) => !a.startsWith('iam:'));
    inParts(otherActions).forEach((part, index) => {
      statements.push([
        new PolicyStatement({
          sid: `ResourceHandlersInTheRegion${String(index + 1)}`,
          actions: part,
          resources: ['*'],
          conditions: { StringEquals: { 'aws:RequestedRegion': this.region } },
        }),
        "CloudFormation's resource handlers call Describe and List APIs without resource-level " +
          'permissions, and create resources not named yet; the statement holds only their ' +
          "actions, in the project's region.",
      ]);
    });
    return statements.map(([statement, reason], index) => {
      const policy = new ManagedPolicy(
        this,
        `ExecutionPolicy${capitalize(environment)}${String(index + 1)}`,
        {
          managedPolicyName: `${SERVICE_NAME}-cfn-execution-${environment}-${String(index + 1)}`,
          description: `What CloudFormation may do to deploy ${prefix}`,
          statements: [statement],
        },
      );
      for (const resource of statement.resources) {
        acknowledge(policy, `AwsSolutions-IAM5[Resource::${this.asNagNames(resource)}]`, reason);
      }
      return policy;
    });
  }

  /** A string as cdk-nag's findings name it: pseudo parameters become <AWS::AccountId>. */
  private asNagNames(value: string): string {
    const resolved: unknown = this.resolve(value);
    if (typeof resolved === 'string') {
      return resolved;
    }
    const [, parts] = (resolved as { 'Fn::Join': [string, (string | { Ref: string })[]] })[
      'Fn::Join'
    ];
    return parts.map((part) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join('');
  }
}
