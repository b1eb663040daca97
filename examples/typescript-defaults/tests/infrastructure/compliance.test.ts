/** The tagging policy and cdk-nag, on every stack. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { App, CfnResource, Stack, Tags, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';

import { REQUIRED_TAGS, RequiredTagsCheck, applyTags, tagProperty } from '../../infra/compliance';
import {
  CI_IDENTITIES,
  COST_STACKS,
  ENVIRONMENT_NAMES,
  SERVICE_NAME,
  TEAM,
  stackName,
} from '../../infra/settings';
import { assemblyDirectory, stackTemplate } from './harness';
import { arrayAt, at } from './resources';

// The stacks of an account rather than of an environment: tagged Env=shared.
const ACCOUNT_STACKS = [
  ...CI_IDENTITIES.map((identity) => identity.stackName),
  ...COST_STACKS.map((cost) => cost.stackName),
];
const POLICY = path.resolve(__dirname, '..', '..', 'policies', 'tag-policy.json');

interface Manifest {
  readonly artifacts?: Readonly<Record<string, { readonly type: string }>>;
  readonly missing?: readonly unknown[];
}

function manifest(): Manifest {
  return JSON.parse(
    readFileSync(path.join(assemblyDirectory(), 'manifest.json'), 'utf8'),
  ) as Manifest;
}

test('every stack synthesizes without unacknowledged nag findings', () => {
  const stacks = Object.entries(manifest().artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([name]) => name);
  expect(stacks.sort()).toEqual([...ENVIRONMENT_NAMES.map(stackName), ...ACCOUNT_STACKS].sort());
});

test('synth needs no lookup in an AWS account', () => {
  // A lookup (such as the zones of a stack pinned to an account) would need credentials.
  expect(manifest().missing).toBeUndefined();
});

const STACKS = [
  ...ENVIRONMENT_NAMES.map((environment) => ({ name: stackName(environment), env: environment })),
  ...ACCOUNT_STACKS.map((name) => ({ name, env: 'shared' })),
];

test.each(STACKS)(
  'every resource of $name that takes tags carries Service, Env and Team',
  ({ name, env }) => {
    const expected = { Service: SERVICE_NAME, Env: env, Team: TEAM };
    const resources = Object.entries(stackTemplate(name).toJSON()['Resources'] as object);
    const taggable = resources.filter(
      ([, resource]) => tagProperty(String(at(resource, 'Type'))) !== undefined,
    );
    expect(taggable.length).toBeGreaterThan(0);
    for (const [logicalId, resource] of taggable) {
      const property = tagProperty(String(at(resource, 'Type'))) ?? '';
      const tags = at(resource, 'Properties', property);
      // A list of Key and Value pairs, or (a few types) a map.
      const values = new Map<unknown, unknown>(
        Array.isArray(tags)
          ? (tags as unknown[]).map((tag) => [at(tag, 'Key'), at(tag, 'Value')])
          : Object.entries(tags as object),
      );
      const carried = Object.fromEntries(
        Object.keys(expected).map((key) => [key, values.get(key)]),
      );
      expect({ logicalId, tags: carried }).toEqual({ logicalId, tags: expected });
    }
  },
);

function checkedApp(): [App, Stack] {
  const app = new App();
  const stack = new Stack(app, 'Checked');
  Validations.of(app).addPlugins(new RequiredTagsCheck());
  return [app, stack];
}

test('synth fails naming the resource that misses a required tag', () => {
  const [app, stack] = checkedApp();
  const queue = new Queue(stack, 'Queue');
  applyTags(stack, 'dev');
  Tags.of(queue).remove('Team');
  expect(() => app.synth()).toThrow(/AWS::SQS::Queue misses the tags Team\b/);
});

test('resources the CDK adds without tag support are tagged too', () => {
  const [, stack] = checkedApp();
  new CfnResource(stack, 'Plain', { type: 'AWS::SQS::Queue' });
  applyTags(stack, 'dev');
  const template = Template.fromStack(stack).toJSON();
  const tags = arrayAt(template, 'Resources', 'Plain', 'Properties', 'Tags');
  expect(new Set(tags.map((tag) => at(tag, 'Key')))).toEqual(new Set(REQUIRED_TAGS));
});

test('an untagged resource without tag support fails synth', () => {
  const [app, stack] = checkedApp();
  new CfnResource(stack, 'Plain', { type: 'AWS::SQS::Queue' });
  expect(() => app.synth()).toThrow('AWS::SQS::Queue misses the tags Service, Env, Team');
});

test("the required tags match the Organizations' tag policy", () => {
  const policy: unknown = JSON.parse(readFileSync(POLICY, 'utf8'));
  expect(new Set(Object.keys(at(policy, 'tags') as object))).toEqual(
    new Set(REQUIRED_TAGS.map((key) => key.toLowerCase())),
  );
  const allowedEnvironments = arrayAt(policy, 'tags', 'env', 'tag_value', '@@assign');
  expect(new Set(allowedEnvironments)).toEqual(new Set([...ENVIRONMENT_NAMES, 'shared']));
});
