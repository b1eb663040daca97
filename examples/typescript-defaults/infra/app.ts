/** The CDK app: a service stack per environment; per account, the CI identity and cost stacks. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import {
  App,
  CliCredentialsStackSynthesizer,
  DefaultStackSynthesizer,
  Validations,
  type Environment,
  type Stack,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { CiIdentityStack } from './ci-identity-stack';
import { applyTags, RequiredTagsCheck } from './compliance';
import { REGION } from './contract';
import { CostStack } from './cost-stack';
import { ServiceStack } from './service-stack';
import {
  CI_IDENTITIES,
  COST_REGION,
  COST_STACKS,
  ENVIRONMENTS,
  SERVICE_NAME,
  stackName,
  type EnvironmentName,
} from './settings';

/** The context of cdk.json: the CLI passes it to the app, and so do the tests. */
export function featureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export function buildApp(app: App): App {
  // An environment without an account of its own takes the deploying credentials'; without them
  // (tests, `make synth`, the pipeline's build) its stack stays account-agnostic and synthesizes
  // offline.
  const defaultAccount = process.env['CDK_DEFAULT_ACCOUNT'];
  const environment = (account: string | undefined, region = REGION): Environment => ({
    region,
    ...(account !== undefined && { account }),
  });
  const serviceStacks = new Map<EnvironmentName, Stack>();
  for (const settings of Object.values(ENVIRONMENTS)) {
    const stack = new ServiceStack(app, stackName(settings.name), {
      settings,
      env: environment(settings.account ?? defaultAccount),
      // Deployed through this environment's own bootstrap roles (see infra/settings.ts).
      synthesizer: new DefaultStackSynthesizer({ qualifier: settings.bootstrapQualifier }),
      description: `${SERVICE_NAME} (${settings.name})`,
      terminationProtection: settings.terminationProtection,
    });
    applyTags(stack, settings.name);
    serviceStacks.set(settings.name, stack);
  }

  for (const identity of CI_IDENTITIES) {
    const ciIdentity = new CiIdentityStack(app, identity.stackName, {
      serviceStacks: new Map(
        [...serviceStacks].filter(([name]) => identity.environments.includes(name)),
      ),
      env: environment(identity.account ?? defaultAccount),
      // An administrator deploys it with their own credentials, before `cdk bootstrap` (which
      // needs its execution policies): no bootstrap roles, no assets.
      synthesizer: new CliCredentialsStackSynthesizer(),
      description:
        `${SERVICE_NAME}: GitHub OIDC roles and CloudFormation execution policies of ` +
        identity.environments.join(', '),
    });
    applyTags(ciIdentity, 'shared');
  }

  for (const cost of COST_STACKS) {
    const costStack = new CostStack(app, cost.stackName, {
      environments: cost.environments,
      // Budgets and Cost Explorer resources live in COST_REGION, whatever REGION.
      env: environment(cost.account ?? defaultAccount, COST_REGION),
      // Like the CI identity, an administrator deploys it: the deploy roles, which the budgets
      // watch, cannot change or delete them.
      synthesizer: new CliCredentialsStackSynthesizer(),
      description: `${SERVICE_NAME}: budgets and cost anomaly alerts of ${cost.environments.join(', ')}`,
    });
    applyTags(costStack, 'shared');
  }

  // Any unacknowledged cdk-nag AwsSolutions finding, or a resource without the required tags in
  // the synthesized templates, fails synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new RequiredTagsCheck());
  return app;
}

// `cdk synth`, `cdk diff` and `cdk deploy` run this file (cdk.json); tests import buildApp instead.
// Context given on the command line or by the CLI from cdk.json takes precedence over these.
if (require.main === module) {
  buildApp(new App({ context: featureFlags() })).synth();
}
