/**
 * The CI identity: GitHub OIDC roles that can do nothing but hand over to their own CDK roles, and
 * the least-privilege policies CloudFormation deploys with.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';

import { REGION } from '../../infra/contract';
import {
  deploymentActions,
  handlerActions,
  iamActions,
  resourceTypes,
} from '../../infra/execution-policy';
import {
  CI_IDENTITIES,
  ENVIRONMENT_NAMES,
  ENVIRONMENTS,
  GITHUB_REPOSITORY,
  SERVICE_NAME,
  stackName,
  type CiIdentity,
  type EnvironmentName,
} from '../../infra/settings';
import { serviceTemplate, stackTemplate } from './harness';
import { arrayAt, at, only, resources, type Resource } from './resources';

// The policy of a deploy role that lets `make smoke` manage a throwaway user (smokeSignedIn).
const SMOKE_POLICY = '-smoke-test-users';

function identityOf(environment: EnvironmentName): CiIdentity {
  const [identity, ...others] = CI_IDENTITIES.filter((ci) => ci.environments.includes(environment));
  if (identity === undefined || others.length > 0) {
    throw new Error(`${environment} must be in exactly one CI identity`);
  }
  return identity;
}

function ciTemplateOf(environment: EnvironmentName): Template {
  return stackTemplate(identityOf(environment).stackName);
}

/** An ARN as text, with CloudFormation's pseudo parameters as ${AWS::Name}. */
function joined(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  return arrayAt(value, 'Fn::Join', 1)
    .map((part) => (typeof part === 'string' ? part : '${' + String(at(part, 'Ref')) + '}'))
    .join('');
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function role(template: Template, name: string): [string, Resource] {
  return only(template, 'AWS::IAM::Role', { RoleName: name });
}

function inlinePolicies(template: Template, [roleId]: [string, Resource]): Resource[] {
  return [...resources(template, 'AWS::IAM::Policy').values()].filter(
    (policy) => JSON.stringify(policy.Properties['Roles']) === JSON.stringify([{ Ref: roleId }]),
  );
}

/** What a role may assume: the resources of its one statement, which allows sts:AssumeRole only. */
function assumable(template: Template, githubRole: [string, Resource]): string[] {
  const policies = inlinePolicies(template, githubRole).filter(
    (policy) => !String(policy.Properties['PolicyName']).includes(SMOKE_POLICY),
  );
  expect(policies).toHaveLength(1);
  const statements = arrayAt(policies[0], 'Properties', 'PolicyDocument', 'Statement');
  expect(statements).toHaveLength(1);
  expect(at(statements[0], 'Action')).toBe('sts:AssumeRole');
  return asList(at(statements[0], 'Resource')).map(joined);
}

function accountText(identity: CiIdentity): string {
  return identity.account ?? '${AWS::AccountId}';
}

function trust(template: Template, roleName: string): unknown {
  const [, githubRole] = role(template, roleName);
  const statements = arrayAt(githubRole.Properties, 'AssumeRolePolicyDocument', 'Statement');
  expect(statements).toHaveLength(1);
  expect(at(statements[0], 'Action')).toBe('sts:AssumeRoleWithWebIdentity');
  return at(statements[0], 'Condition');
}

test('one CI identity stack per account holds its environments only', () => {
  expect(new Set(CI_IDENTITIES.map((ci) => ci.account)).size).toBe(CI_IDENTITIES.length);
  expect(CI_IDENTITIES.flatMap((ci) => ci.environments).sort()).toEqual(
    [...ENVIRONMENT_NAMES].sort(),
  );
  for (const ci of CI_IDENTITIES) {
    const names = [...resources(stackTemplate(ci.stackName), 'AWS::IAM::Role').values()].map(
      (githubRole) => githubRole.Properties['RoleName'],
    );
    expect(new Set(names)).toEqual(
      new Set(
        ci.environments.flatMap((env) =>
          ['deploy', 'diff'].map((kind) => `${SERVICE_NAME}-github-${kind}-${env}`),
        ),
      ),
    );
  }
});

test('stacks are pinned to their accounts', () => {
  for (const environment of ENVIRONMENT_NAMES) {
    expect(ENVIRONMENTS[environment].account).toBe(identityOf(environment).account);
  }
});

test('environments sharing an account have bootstrap qualifiers of their own', () => {
  for (const ci of CI_IDENTITIES) {
    const qualifiers = new Set(ci.environments.map((env) => ENVIRONMENTS[env].bootstrapQualifier));
    expect(qualifiers.size).toBe(ci.environments.length);
  }
});

// An action CloudFormation needs for each chosen service's resources (and alarms, on the
// functions, the table and the container service: the bucket has none).
const SERVICE_ACTIONS = [
  'apigateway:POST',
  'lambda:CreateFunction',
  'dynamodb:CreateTable',
  'sns:CreateTopic',
  'cloudwatch:PutMetricAlarm',
];

describe.each(CI_IDENTITIES.map((ci) => ci.stackName))('the CI identity stack %s', (name) => {
  test('creates the GitHub OIDC provider', () => {
    const template = stackTemplate(name);
    template.resourceCountIs('AWS::IAM::OIDCProvider', 1);
    template.hasResourceProperties('AWS::IAM::OIDCProvider', {
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  test('IAM Access Analyzer watches the account', () => {
    stackTemplate(name).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ACCOUNT',
    });
  });

  test('the GitHub roles have no managed policies', () => {
    stackTemplate(name).allResourcesProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
    });
  });
});

describe.each(ENVIRONMENT_NAMES)('the CI identity of %s', (environment) => {
  const identity = identityOf(environment);
  const qualifier = ENVIRONMENTS[environment].bootstrapQualifier;
  const account = accountText(identity);

  test('the deploy role trusts only this repository in its GitHub environment', () => {
    expect(
      trust(ciTemplateOf(environment), `${SERVICE_NAME}-github-deploy-${environment}`),
    ).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repo:${GITHUB_REPOSITORY}:environment:${environment}`,
      },
    });
  });

  test('the diff role trusts only the main branch', () => {
    expect(trust(ciTemplateOf(environment), `${SERVICE_NAME}-github-diff-${environment}`)).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': `repo:${GITHUB_REPOSITORY}:ref:refs/heads/main`,
      },
    });
  });

  test("the deploy role may assume only its own environment's bootstrap roles", () => {
    const template = ciTemplateOf(environment);
    const deploy = role(template, `${SERVICE_NAME}-github-deploy-${environment}`);
    const roles = assumable(template, deploy).map((arn) => arn.split(`:iam::${account}:`)[1]);
    expect(roles.sort()).toEqual(
      ['deploy-role', 'file-publishing-role', 'image-publishing-role', 'lookup-role'].map(
        (name) => `role/cdk-${qualifier}-${name}-${account}-${REGION}`,
      ),
    );
  });

  test("the diff role may assume only its environment's lookup role", () => {
    const template = ciTemplateOf(environment);
    const diff = role(template, `${SERVICE_NAME}-github-diff-${environment}`);
    const roles = assumable(template, diff);
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatch(
      new RegExp(
        `:iam::${literally(account)}:role/cdk-${qualifier}-lookup-role-${literally(account)}-${REGION}$`,
      ),
    );
  });

  test('only deploy roles of environments with a signed-in smoke test manage users', () => {
    const template = ciTemplateOf(environment);
    const smokePolicies = (kind: string): Resource[] =>
      inlinePolicies(
        template,
        role(template, `${SERVICE_NAME}-github-${kind}-${environment}`),
      ).filter((policy) => String(policy.Properties['PolicyName']).includes(SMOKE_POLICY));
    expect(smokePolicies('diff')).toEqual([]);
    const smoke = smokePolicies('deploy');
    if (!ENVIRONMENTS[environment].smokeSignedIn) {
      expect(smoke).toEqual([]);
      return;
    }
    expect(smoke).toHaveLength(1);
    const properties = smoke[0]?.Properties;
    expect(at(properties, 'PolicyName')).toBe(`${SERVICE_NAME}${SMOKE_POLICY}-${environment}`);
    const statements = arrayAt(properties, 'PolicyDocument', 'Statement');
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(at(statement, 'Effect')).toBe('Allow');
    expect(arrayAt(statement, 'Action').sort()).toEqual([
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminDeleteUser',
      'cognito-idp:AdminInitiateAuth',
      'cognito-idp:AdminSetUserPassword',
    ]);
    // Every user pool of the environment's account and region (the pool's id is not known
    // here)...
    const resource = joined(at(statement, 'Resource'));
    expect(resource).toMatch(/^arn:/);
    expect(resource.split(':').slice(2).join(':')).toBe(
      `cognito-idp:${REGION}:${account}:userpool/*`,
    );
    // ...that carry this service's and environment's tags, as the service stack tags its own.
    expect(at(statement, 'Condition')).toEqual({
      StringEquals: {
        'aws:ResourceTag/Service': SERVICE_NAME,
        'aws:ResourceTag/Env': environment,
      },
    });
  });

  test('the user pools carry the tags the smoke test policy names', () => {
    serviceTemplate(environment).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTags: Match.objectLike({ Service: SERVICE_NAME, Env: environment }),
    });
  });

  // --- the CloudFormation execution policies ----------------------------------------------------

  function executionStatements(): unknown[] {
    const policies = resources(ciTemplateOf(environment), 'AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: Match.stringLikeRegexp(
        `^${SERVICE_NAME}-cfn-execution-${environment}-[0-9]+$`,
      ),
    });
    expect(policies.size).toBeGreaterThan(0);
    return [...policies.values()].flatMap((policy) =>
      arrayAt(policy.Properties, 'PolicyDocument', 'Statement'),
    );
  }

  function actionsOf(statement: unknown): string[] {
    return asList(at(statement, 'Action')).map(String);
  }

  test('the execution policy has no wildcard action', () => {
    for (const statement of executionStatements()) {
      expect(at(statement, 'Effect')).toBe('Allow');
      for (const action of actionsOf(statement)) {
        expect(action).not.toContain('*');
      }
    }
  });

  test("the execution policy limits IAM to the stack's own roles and policies", () => {
    const prefix = stackName(environment);
    for (const statement of executionStatements()) {
      const actions = actionsOf(statement);
      const names = asList(at(statement, 'Resource'))
        .map(joined)
        .map((arn) => arn.slice(arn.lastIndexOf(':') + 1));
      if (!actions.some((action) => action.startsWith('iam:'))) {
        // Everything else stays in the project's region.
        expect(at(statement, 'Condition', 'StringEquals', 'aws:RequestedRegion')).toBe(REGION);
        continue;
      }
      expect(actions.every((action) => action.startsWith('iam:'))).toBe(true);
      if (actions.length === 1 && actions[0] === 'iam:CreateServiceLinkedRole') {
        expect(names).toEqual(['role/aws-service-role/*']);
        continue;
      }
      expect(names.sort()).toEqual([`policy/${prefix}-*`, `role/${prefix}-*`]);
    }
  });

  test('the execution policy covers every resource of the stack', () => {
    const granted = new Set(executionStatements().flatMap(actionsOf));
    const types = Object.values(serviceTemplate(environment).toJSON()['Resources'] as object).map(
      (resource) => String(at(resource, 'Type')),
    );
    for (const action of [...deploymentActions(types, REGION), ...SERVICE_ACTIONS]) {
      expect(granted).toContain(action);
    }
    // The stack's own roles, and the functions' and tasks' roles handed to their services.
    for (const action of ['iam:CreateRole', 'iam:PutRolePolicy', 'iam:PassRole']) {
      expect(granted).toContain(action);
    }
  });

  test('the execution policy names only actions IAM knows', () => {
    for (const action of executionStatements().flatMap(actionsOf)) {
      expect(iamActions()).toContain(action.toLowerCase());
    }
  });
});

test("no GitHub role can assume another environment's bootstrap roles", () => {
  for (const environment of ENVIRONMENT_NAMES) {
    const { bootstrapQualifier } = ENVIRONMENTS[environment];
    const identity = identityOf(environment);
    const template = stackTemplate(identity.stackName);
    for (const kind of ['deploy', 'diff']) {
      const githubRole = role(template, `${SERVICE_NAME}-github-${kind}-${environment}`);
      for (const arn of assumable(template, githubRole)) {
        expect(arn).toContain(`role/cdk-${bootstrapQualifier}-`);
        expect(arn).toContain(`:iam::${accountText(identity)}:`);
        for (const other of ENVIRONMENT_NAMES) {
          const otherQualifier = ENVIRONMENTS[other].bootstrapQualifier;
          if (otherQualifier !== bootstrapQualifier) {
            expect(arn).not.toContain(`cdk-${otherQualifier}-`);
          }
        }
      }
    }
  }
});

test('handler actions come from the resource schemas', () => {
  expect(handlerActions(REGION, 'AWS::DynamoDB::Table')).toContain('dynamodb:CreateTable');
  expect(handlerActions(REGION, 'Custom::Anything')).toEqual(new Set(['lambda:InvokeFunction']));
  expect(resourceTypes(new Stack())).toEqual(new Set());
});

/** Text as a regular expression that matches it literally. */
function literally(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
