// `make github-setup`'s plan, offline: the gh calls built from a stub of the CI stack's outputs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { type Call, GhError, gh, plan, roles } from '../../scripts/github-setup';

const REPOSITORY = 'acme/orders-service';
const OUTPUTS = {
  DeployRoleArnDev: 'arn:aws:iam::111111111111:role/orders-service-github-deploy-dev',
  DiffRoleArnDev: 'arn:aws:iam::111111111111:role/orders-service-github-diff-dev',
  DeployRoleArnStaging: 'arn:aws:iam::111111111111:role/orders-service-github-deploy-staging',
  DiffRoleArnStaging: 'arn:aws:iam::111111111111:role/orders-service-github-diff-staging',
  BootstrapCommandDev: 'npx cdk bootstrap ...',
};

function environmentBody(calls: Call[], environment: string): Call['body'] {
  const matching = calls.filter(
    (call) => call.args[3] === `repos/${REPOSITORY}/environments/${environment}`,
  );
  expect(matching).toHaveLength(1);
  const [call] = matching;
  expect(call?.args.slice(0, 3)).toEqual(['api', '--method', 'PUT']);
  expect(call?.body).toBeDefined();
  return call?.body;
}

test('roles are read per environment', () => {
  expect(roles(OUTPUTS)).toEqual({
    dev: { Deploy: OUTPUTS.DeployRoleArnDev, Diff: OUTPUTS.DiffRoleArnDev },
    staging: { Deploy: OUTPUTS.DeployRoleArnStaging, Diff: OUTPUTS.DiffRoleArnStaging },
  });
});

test('every environment after the first requires reviewers and deploys from main only', () => {
  const calls = plan(OUTPUTS, {
    repository: REPOSITORY,
    promotionOrder: ['dev', 'staging', 'prod'],
    reviewerIds: [42],
  });
  const dev = environmentBody(calls, 'dev');
  const staging = environmentBody(calls, 'staging');
  expect(dev?.['reviewers']).toEqual([]);
  expect(staging?.['reviewers']).toEqual([{ type: 'User', id: 42 }]);
  for (const body of [dev, staging]) {
    expect(body?.['deployment_branch_policy']).toEqual({
      protected_branches: false,
      custom_branch_policies: true,
    });
  }
  const branchPolicies = calls.filter((call) => call.args.includes('name=main'));
  expect(branchPolicies.map((call) => call.args[3])).toEqual(
    ['dev', 'staging'].map(
      (env) => `repos/${REPOSITORY}/environments/${env}/deployment-branch-policies`,
    ),
  );
  expect(branchPolicies.every((call) => call.skipIfListed !== undefined)).toBe(true);
});

test("role variables come from the stack's outputs", () => {
  const calls = plan(OUTPUTS, {
    repository: REPOSITORY,
    promotionOrder: ['dev', 'staging'],
    reviewerIds: [1],
  });
  const variables = calls
    .map((call) => call.args)
    .filter((args) => args[0] === 'variable' && args[1] === 'set');
  expect(variables).toEqual([
    [
      'variable',
      'set',
      'AWS_DEPLOY_ROLE_ARN',
      '--repo',
      REPOSITORY,
      '--env',
      'dev',
      '--body',
      OUTPUTS.DeployRoleArnDev,
    ],
    [
      'variable',
      'set',
      'AWS_DIFF_ROLE_ARN_DEV',
      '--repo',
      REPOSITORY,
      '--body',
      OUTPUTS.DiffRoleArnDev,
    ],
    [
      'variable',
      'set',
      'AWS_DEPLOY_ROLE_ARN',
      '--repo',
      REPOSITORY,
      '--env',
      'staging',
      '--body',
      OUTPUTS.DeployRoleArnStaging,
    ],
    [
      'variable',
      'set',
      'AWS_DIFF_ROLE_ARN_STAGING',
      '--repo',
      REPOSITORY,
      '--body',
      OUTPUTS.DiffRoleArnStaging,
    ],
  ]);
});

test("environments of another account's stack are left alone", () => {
  // prod's roles live in another account's CI identity stack; it is still the one gated
  // environment after dev, and this stack's outputs set up nothing for it.
  const calls = plan(OUTPUTS, {
    repository: REPOSITORY,
    promotionOrder: ['dev', 'staging', 'prod'],
    reviewerIds: [1],
  });
  expect(calls.filter((call) => call.args.join(' ').includes('prod'))).toEqual([]);
  expect(plan({}, { repository: REPOSITORY, promotionOrder: ['dev'], reviewerIds: [1] })).toEqual(
    [],
  );
});

test('an environment with only one of its two roles is refused', () => {
  const withoutDiff = Object.fromEntries(
    Object.entries(OUTPUTS).filter(([key]) => key !== 'DiffRoleArnDev'),
  );
  expect(() =>
    plan(withoutDiff, { repository: REPOSITORY, promotionOrder: ['dev'], reviewerIds: [1] }),
  ).toThrow('no DiffRoleArn output for dev');
});

describe('gh', () => {
  // A stand-in gh on the PATH that records its arguments, one a line, and what it read on stdin.
  let bin: string;
  let path: string | undefined;

  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'fake-gh-'));
    writeFileSync(
      join(bin, 'gh'),
      '#!/bin/sh\nif [ "$1" = fail ]; then echo "HTTP 403: denied" >&2; exit 1; fi\n' +
        'printf "%s\\n" "$@"; printf "stdin:"; cat\n',
      { mode: 0o755 },
    );
    path = process.env['PATH'];
    process.env['PATH'] = `${bin}${delimiter}${path ?? ''}`;
  });

  afterAll(() => {
    process.env['PATH'] = path;
  });

  test('gets each argument as it is, with no shell in between, and the body on stdin', () => {
    const output = gh(['variable', 'set', 'NAME', '--body', 'a b; echo $HOME'], {
      body: { reviewers: [] },
    });
    expect(output).toBe('variable\nset\nNAME\n--body\na b; echo $HOME\nstdin:{"reviewers":[]}');
  });

  test('a failing call names the command and what gh said', () => {
    expect(() => gh(['fail', 'now'])).toThrow(new GhError('gh fail now failed: HTTP 403: denied'));
    expect(gh(['fail', 'now'], { check: false })).toBe('');
  });
});
