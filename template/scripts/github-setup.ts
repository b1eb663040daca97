/**
 * Sets up the repository's GitHub environments from a CI identity stack: `make github-setup`.
 *
 * For each environment whose roles the stack holds, with the `gh` CLI: the GitHub environment,
 * with required reviewers for every environment after the first in promotion order and deployments
 * from `main` only; its variable AWS_DEPLOY_ROLE_ARN; and the repository variable
 * AWS_DIFF_ROLE_ARN_<ENV> that the pipeline's diff job (which runs in no environment) reads.
 * Run it with credentials for the stack's account; run it again after changing reviewers.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

import { stackOutputs, type Outputs } from './stack-outputs';

const ROLE_OUTPUT = /^(?<kind>Deploy|Diff)RoleArn(?<environment>[A-Z][a-z]+)$/;

type RoleKind = 'Deploy' | 'Diff';

/** One `gh` command, with the JSON it reads on stdin, if any. */
export interface Call {
  readonly args: readonly string[];
  readonly body?: Readonly<Record<string, unknown>>;
  // Skipped when this API path's answer, filtered by the jq expression, lists the value.
  readonly skipIfListed?: readonly [path: string, jq: string, value: string];
}

/** A `gh` command that failed: its message is the one line to show. */
export class GhError extends Error {
  override name = 'GhError';
}

/** {environment: {Deploy: arn, Diff: arn}} from the CI identity stack's outputs. */
export function roles(outputs: Outputs): Record<string, Partial<Record<RoleKind, string>>> {
  const found: Record<string, Partial<Record<RoleKind, string>>> = {};
  for (const [key, value] of Object.entries(outputs)) {
    const groups = ROLE_OUTPUT.exec(key)?.groups;
    if (groups?.['environment'] && groups['kind']) {
      const environment = groups['environment'].toLowerCase();
      found[environment] = { ...found[environment], [groups['kind']]: value };
    }
  }
  return found;
}

function role(arns: Partial<Record<RoleKind, string>>, kind: RoleKind, environment: string) {
  const arn = arns[kind];
  if (arn === undefined) {
    throw new Error(`the stack has no ${kind}RoleArn output for ${environment}`);
  }
  return arn;
}

/** The `gh` calls that set up the environments whose roles these outputs hold. */
export function plan(
  outputs: Outputs,
  options: {
    readonly repository: string;
    readonly promotionOrder: readonly string[];
    readonly reviewerIds: readonly number[];
  },
): Call[] {
  const { repository, promotionOrder, reviewerIds } = options;
  const byEnvironment = roles(outputs);
  const calls: Call[] = [];
  for (const environment of promotionOrder) {
    const arns = byEnvironment[environment];
    if (arns === undefined) {
      continue; // its roles are in another account's CI identity stack
    }
    const gated = environment !== promotionOrder[0];
    const policies = `repos/${repository}/environments/${environment}/deployment-branch-policies`;
    calls.push(
      {
        args: [
          'api',
          '--method',
          'PUT',
          `repos/${repository}/environments/${environment}`,
          '--input',
          '-',
        ],
        body: {
          reviewers: gated ? reviewerIds.map((id) => ({ type: 'User', id })) : [],
          deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
        },
      },
      {
        args: ['api', '--method', 'POST', policies, '-f', 'name=main', '-f', 'type=branch'],
        skipIfListed: [policies, '.branch_policies[].name', 'main'],
      },
      {
        args: [
          'variable',
          'set',
          'AWS_DEPLOY_ROLE_ARN',
          '--repo',
          repository,
          '--env',
          environment,
          '--body',
          role(arns, 'Deploy', environment),
        ],
      },
      {
        args: [
          'variable',
          'set',
          `AWS_DIFF_ROLE_ARN_${environment.toUpperCase()}`,
          '--repo',
          repository,
          '--body',
          role(arns, 'Diff', environment),
        ],
      },
    );
  }
  return calls;
}

/** Run gh (from the PATH, as the user runs it) with an argument array: no shell in between. */
export function gh(
  args: readonly string[],
  options: { readonly body?: unknown; readonly check?: boolean } = {},
): string {
  const { body, check = true } = options;
  const result = spawnSync('gh', args, {
    input: body === undefined ? '' : JSON.stringify(body),
    encoding: 'utf8',
    env: process.env,
  });
  if (check && (result.error !== undefined || result.status !== 0)) {
    const reason = result.error?.message ?? result.stderr.trim();
    throw new GhError(`gh ${args.join(' ')} failed: ${reason}`);
  }
  return result.stdout;
}

/** GitHub user ids of the reviewers; the signed-in gh user when none are named. */
export function reviewerIds(logins: readonly string[]): number[] {
  const paths = logins.length > 0 ? logins.map((login) => `users/${login}`) : ['user'];
  return paths.map((path) => Number(gh(['api', path, '--jq', '.id'])));
}

const USAGE = `usage: github-setup.ts [-h] --stack STACK --repository REPOSITORY --environments ENVIRONMENTS [--reviewers REVIEWERS]

Sets up the repository's GitHub environments from a CI identity stack: \`make github-setup\`.

options:
  -h, --help            show this help message and exit
  --stack STACK         the CI identity stack
  --repository REPOSITORY
                        owner/name
  --environments ENVIRONMENTS
                        every environment, in promotion order
  --reviewers REVIEWERS
                        GitHub logins, comma-separated`;

function usageError(message: string): number {
  console.error(`${USAGE}\n\ngithub-setup.ts: error: ${message}`);
  return 2;
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: 'string' },
        repository: { type: 'string' },
        environments: { type: 'string' },
        reviewers: { type: 'string', default: '' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const { stack, repository, environments, reviewers } = values;
  if (stack === undefined || repository === undefined || environments === undefined) {
    const missing = ['stack', 'repository', 'environments'].filter((name) => !(name in values));
    return usageError(`the following arguments are required: --${missing.join(', --')}`);
  }
  try {
    const calls = plan(await stackOutputs(stack), {
      repository,
      promotionOrder: environments.split(/\s+/).filter(Boolean),
      reviewerIds: reviewerIds(reviewers.split(',').filter(Boolean)),
    });
    if (calls.length === 0) {
      console.log(`${stack} holds no deploy roles: is it deployed?`);
      return 1;
    }
    for (const call of calls) {
      if (call.skipIfListed) {
        const [path, jq, value] = call.skipIfListed;
        if (gh(['api', path, '--jq', jq], { check: false }).split(/\s+/).includes(value)) {
          continue; // set up by an earlier run
        }
      }
      console.log(`gh ${call.args.join(' ')}`);
      gh(call.args, { body: call.body });
    }
  } catch (error) {
    if (error instanceof GhError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
