/**
 * Measure a deployed function at each memory size: `make power-tune FUNCTION=<name> ENV=<env>`.
 *
 * It runs AWS Lambda Power Tuning, the state machine deployed once per account (README: Power
 * tuning), against one of the stack's functions: the state machine invokes the function
 * INVOCATIONS times at each of POWER_VALUES (MiB) with the payload in power-tuning/<function>.json
 * ({} without one), then reports the size that the strategy prefers (the cheapest, the fastest, or
 * a balance) and a link to its cost and speed charts. The invocations are real, side effects
 * included.
 *
 * The stack's resources come from CloudFormation's SDK client; the state machine runs through the
 * AWS CLI (`aws stepfunctions`), as the project has no Step Functions SDK client.
 */
import {
  CloudFormationClient,
  DescribeStacksCommand,
  paginateListStackResources,
} from '@aws-sdk/client-cloudformation';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, types } from 'node:util';

import { REGION } from '../infra/contract';

// The stack's functions by the name `make power-tune` takes, each with the start of its logical
// id in the stack (its construct's path; the CDK appends a hash).
export const FUNCTIONS: Readonly<Record<string, string>> = {
  api: 'ApiHandlerFunction',
};
export const PAYLOADS = join(__dirname, '..', 'power-tuning');
// The stack `aws serverlessrepo create-cloud-formation-change-set --stack-name
// aws-lambda-power-tuning` creates (the README's command), and its output.
export const TOOL_STACK = 'serverlessrepo-aws-lambda-power-tuning';
export const TOOL_OUTPUT = 'StateMachineARN';
export const POWER_VALUES = [128, 256, 512, 1024, 1536, 2048, 3008];
// Invocations per memory size, one after the other: the sizes run side by side, within the
// reserved concurrency of every environment.
export const INVOCATIONS = 50;
export const STRATEGIES = ['cost', 'speed', 'balanced'];
const POLL_MS = 5_000;

/** Why the tuning cannot run or did not finish, in one line. */
export class PowerTuningError extends Error {}

function messageOf(error: unknown): string {
  return types.isNativeError(error) ? error.message : String(error);
}

/** The ARN of one of the stack's functions, found among the stack's resources. */
export async function functionArn(
  cloudformation: CloudFormationClient,
  stack: string,
  name: string,
): Promise<string> {
  const prefix = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (prefix === undefined) {
    throw new PowerTuningError(
      `unknown function '${name}': FUNCTION is one of ${Object.keys(FUNCTIONS).join(', ')}`,
    );
  }
  const logicalId = new RegExp(`^${prefix}[0-9A-F]{8}$`);
  const names: string[] = [];
  let stackId: string;
  try {
    for await (const page of paginateListStackResources(
      { client: cloudformation },
      { StackName: stack },
    )) {
      for (const resource of page.StackResourceSummaries ?? []) {
        if (
          resource.ResourceType === 'AWS::Lambda::Function' &&
          logicalId.test(resource.LogicalResourceId ?? '') &&
          resource.PhysicalResourceId
        ) {
          names.push(resource.PhysicalResourceId);
        }
      }
    }
    const { Stacks: [described] = [] } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: stack }),
    );
    stackId = described?.StackId ?? '';
  } catch (error) {
    throw new PowerTuningError(`cannot read the stack ${stack}: ${messageOf(error)}`);
  }
  const [functionName] = names;
  if (functionName === undefined) {
    throw new PowerTuningError(`the stack ${stack} holds no ${name} function: deploy it first`);
  }
  // arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
  const [, partition, , region, account] = stackId.split(':');
  return `arn:${partition ?? 'aws'}:lambda:${region ?? REGION}:${account ?? ''}:function:${functionName}`;
}

/** The state machine given, or the one the README's command deployed. */
export async function stateMachineArn(
  cloudformation: CloudFormationClient,
  given?: string,
): Promise<string> {
  if (given) {
    return given;
  }
  const missing =
    'no AWS Lambda Power Tuning state machine: set POWER_TUNING_STATE_MACHINE_ARN, or deploy ' +
    `the tool as the stack ${TOOL_STACK} (README: Power tuning)`;
  let outputs;
  try {
    const { Stacks: [described] = [] } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: TOOL_STACK }),
    );
    outputs = described?.Outputs ?? [];
  } catch (error) {
    throw new PowerTuningError(`${missing}; ${messageOf(error)}`);
  }
  const arn = outputs.find(({ OutputKey }) => OutputKey === TOOL_OUTPUT)?.OutputValue;
  if (!arn) {
    throw new PowerTuningError(`${missing}; ${TOOL_STACK} has no output ${TOOL_OUTPUT}`);
  }
  return arn;
}

/** The event each invocation gets: power-tuning/<function>.json, or {}. */
export function payload(name: string, folder = PAYLOADS): unknown {
  const path = join(folder, `${name}.json`);
  if (!existsSync(path)) {
    return {};
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new PowerTuningError(`${path} is not JSON: ${messageOf(error)}`);
  }
}

/** The state machine's input (the tool's README: "State machine input"). */
export function executionInput(
  lambdaArn: string,
  event: unknown,
  strategy: string,
): Record<string, unknown> {
  return {
    lambdaARN: lambdaArn,
    powerValues: POWER_VALUES,
    num: INVOCATIONS,
    payload: event,
    strategy,
  };
}

export interface Execution {
  readonly status: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export interface StepFunctions {
  /** The new execution's ARN. */
  startExecution(stateMachineArn: string, input: string): Promise<string>;
  describeExecution(executionArn: string): Promise<Execution>;
}

/** Step Functions through the AWS CLI on the PATH, each argument as it is (no shell). */
export function awsCli(region = REGION): StepFunctions {
  const aws = (args: readonly string[]): Record<string, unknown> => {
    const result = spawnSync('aws', [...args, '--region', region, '--output', 'json'], {
      encoding: 'utf8',
      env: process.env,
    });
    if (result.error !== undefined || result.status !== 0) {
      const reason = result.error?.message ?? result.stderr.trim();
      throw new PowerTuningError(`aws ${args.slice(0, 2).join(' ')} failed: ${reason}`);
    }
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };
  // Promises, as an SDK client's calls: a failure rejects them.
  return {
    startExecution: (machine, input) =>
      Promise.resolve().then(() => {
        const { executionArn } = aws([
          'stepfunctions',
          'start-execution',
          '--state-machine-arn',
          machine,
          '--input',
          input,
        ]);
        if (typeof executionArn !== 'string') {
          throw new PowerTuningError(`aws stepfunctions start-execution named no execution`);
        }
        return executionArn;
      }),
    describeExecution: (execution) =>
      Promise.resolve().then(
        () =>
          aws([
            'stepfunctions',
            'describe-execution',
            '--execution-arn',
            execution,
          ]) as unknown as Execution,
      ),
  };
}

export interface Results {
  readonly power: number;
  readonly cost: number;
  readonly duration: number;
  readonly visualization: string;
}

/** The results in an execution's output; newer releases of the tool wrap them in `results`. */
export function resultsOf(output: string): Results {
  const parsed = JSON.parse(output) as Record<string, unknown>;
  const results = (parsed['results'] ?? parsed) as Record<string, unknown>;
  const stateMachine = results['stateMachine'] as Record<string, unknown> | undefined;
  const visualization = stateMachine?.['visualization'];
  if (typeof visualization !== 'string') {
    throw new PowerTuningError(`the tuning's output has no results: ${output.slice(0, 200)}`);
  }
  return {
    power: Number(results['power']),
    cost: Number(results['cost']),
    duration: Number(results['duration']),
    visualization,
  };
}

/** Start an execution, wait for it, and return its results. */
export async function tune(
  stepFunctions: StepFunctions,
  machine: string,
  input: Readonly<Record<string, unknown>>,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<Results> {
  let execution: Execution;
  let executionArn: string;
  try {
    executionArn = await stepFunctions.startExecution(machine, JSON.stringify(input));
    console.log(`Started ${executionArn}; it takes a few minutes.`);
    while ((execution = await stepFunctions.describeExecution(executionArn)).status === 'RUNNING') {
      await wait(POLL_MS);
    }
  } catch (error) {
    throw new PowerTuningError(`cannot run ${machine}: ${messageOf(error)}`);
  }
  if (execution.status !== 'SUCCEEDED') {
    const reason = [execution.error, execution.cause].filter(Boolean).join(': ');
    throw new PowerTuningError(
      `the tuning ${execution.status.toLowerCase()}: ${reason || executionArn}`,
    );
  }
  return resultsOf(execution.output ?? '{}');
}

/** What to read in the results, and where to set the memory size they suggest. */
export function report(name: string, strategy: string, results: Results): string {
  const setting = name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return [
    `${strategy.charAt(0).toUpperCase()}${strategy.slice(1)} strategy: ${String(results.power)} MiB ` +
      `(about ${results.duration.toFixed(1)} ms and $${results.cost.toFixed(10)} per invocation)`,
    `Cost and speed at every size: ${results.visualization}`,
    `To use it, set ${setting}MemoryMib in infra/settings.ts.`,
  ].join('\n');
}

const USAGE = `usage: power-tune.ts [-h] --stack STACK [--strategy {cost,speed,balanced}] [--state-machine-arn STATE_MACHINE_ARN] function

Measure a deployed function at each memory size: \`make power-tune FUNCTION=<name> ENV=<env>\`.

positional arguments:
  function              one of ${Object.keys(FUNCTIONS).join(', ')}

options:
  -h, --help            show this help message and exit
  --stack STACK         the deployed stack, e.g. the dev stack
  --strategy {cost,speed,balanced}
  --state-machine-arn STATE_MACHINE_ARN
                        the tool's state machine; by default the output ${TOOL_OUTPUT} of ${TOOL_STACK}`;

function usageError(message: string): number {
  console.error(`${USAGE}\n\npower-tune.ts: error: ${message}`);
  return 2;
}

export interface Clients {
  readonly cloudformation: CloudFormationClient;
  readonly stepFunctions: StepFunctions;
}

export async function main(
  argv: string[],
  clients: () => Clients = () => ({
    // The stacks' region; the tool's state machine must be deployed there too.
    cloudformation: new CloudFormationClient({ region: REGION }),
    stepFunctions: awsCli(),
  }),
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stack: { type: 'string' },
        strategy: { type: 'string', default: 'cost' },
        'state-machine-arn': {
          type: 'string',
          default: process.env['POWER_TUNING_STATE_MACHINE_ARN'] ?? '',
        },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return usageError(messageOf(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) {
    return usageError('give exactly one function');
  }
  if (!values.stack) {
    return usageError('the following arguments are required: --stack');
  }
  if (!STRATEGIES.includes(values.strategy)) {
    return usageError(`argument --strategy: invalid choice: '${values.strategy}'`);
  }
  const { cloudformation, stepFunctions } = clients();
  try {
    const lambdaArn = await functionArn(cloudformation, values.stack, name);
    const machine = await stateMachineArn(cloudformation, values['state-machine-arn']);
    const input = executionInput(lambdaArn, payload(name), values.strategy);
    console.log(`Tuning ${lambdaArn} with ${machine}`);
    console.log(report(name, values.strategy, await tune(stepFunctions, machine, input)));
  } catch (error) {
    if (error instanceof PowerTuningError) {
      console.error(`power-tune: ${error.message}`);
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
