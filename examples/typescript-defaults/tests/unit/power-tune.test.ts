// `make power-tune`, offline: CloudFormation mocked, Step Functions a stub or a stand-in AWS CLI.
import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import {
  type Execution,
  FUNCTIONS,
  INVOCATIONS,
  POWER_VALUES,
  PowerTuningError,
  type StepFunctions,
  TOOL_OUTPUT,
  TOOL_STACK,
  awsCli,
  executionInput,
  functionArn,
  main,
  payload,
  stateMachineArn,
  tune,
} from '../../scripts/power-tune';

const STACK = 'OrdersService-dev';
const STACK_ID = `arn:aws:cloudformation:eu-west-1:111122223333:stack/${STACK}/0a1b2c3d`;
const [FUNCTION = ''] = Object.keys(FUNCTIONS);
const PREFIX = FUNCTIONS[FUNCTION] ?? '';
const FUNCTION_NAME = `${STACK}-${PREFIX}-AbCdEf123456`;
const MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:powerTuningStateMachine-x1';
const EXECUTION = 'arn:aws:states:eu-west-1:111122223333:execution:powerTuningStateMachine-x1:r1';
const RESULTS = {
  power: 512,
  cost: 0.0000008332,
  duration: 23.77,
  stateMachine: {
    executionCost: 0.0003,
    lambdaCost: 0.0011,
    visualization: 'https://lambda-power-tuning.show/#gAAAAQACAAQABsAL;IQnh;EanfNBGp',
  },
};

const cloudformationMock = mockClient(CloudFormationClient);
const cloudformation = new CloudFormationClient({ region: 'eu-west-1' });

function resource(
  LogicalResourceId: string,
  PhysicalResourceId: string,
  ResourceType: string,
): StackResourceSummary {
  return {
    LogicalResourceId,
    PhysicalResourceId,
    ResourceType,
    LastUpdatedTimestamp: new Date(),
    ResourceStatus: 'CREATE_COMPLETE',
  };
}

// The stack's resources on two pages: the paginator must follow NextToken.
function stackWith(...resources: StackResourceSummary[]): void {
  cloudformationMock
    .on(ListStackResourcesCommand, { StackName: STACK, NextToken: undefined })
    .resolves({ StackResourceSummaries: resources.slice(0, 1), NextToken: 'page-2' })
    .on(ListStackResourcesCommand, { StackName: STACK, NextToken: 'page-2' })
    .resolves({ StackResourceSummaries: resources.slice(1) })
    .on(DescribeStacksCommand, { StackName: STACK })
    .resolves({
      Stacks: [
        {
          StackName: STACK,
          StackId: STACK_ID,
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
        },
      ],
    });
}

function toolStackWith(outputs: Record<string, string>): void {
  cloudformationMock.on(DescribeStacksCommand, { StackName: TOOL_STACK }).resolves({
    Stacks: [
      {
        StackName: TOOL_STACK,
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
        })),
      },
    ],
  });
}

/** Step Functions answering with these states of the execution, one per call. */
function stepFunctionsAnswering(...states: Execution[]): StepFunctions & { inputs: string[] } {
  const inputs: string[] = [];
  return {
    inputs,
    startExecution: (machine, input) => {
      expect(machine).toBe(MACHINE);
      inputs.push(input);
      return Promise.resolve(EXECUTION);
    },
    describeExecution: (execution) => {
      expect(execution).toBe(EXECUTION);
      const state = states.shift();
      return state ? Promise.resolve(state) : Promise.reject(new Error('no more states'));
    },
  };
}

beforeEach(() => {
  cloudformationMock.reset();
});

describe('the function', () => {
  test("is found among the stack's resources", async () => {
    stackWith(
      resource('LogRetentionaae0aa3c5b4d4f87', `${STACK}-LogRetention-1`, 'AWS::Lambda::Function'),
      resource(`${PREFIX}Role0A1B2C3D`, 'role', 'AWS::IAM::Role'),
      resource(`${PREFIX}5F4E3D2C`, FUNCTION_NAME, 'AWS::Lambda::Function'),
    );
    await expect(functionArn(cloudformation, STACK, FUNCTION)).resolves.toBe(
      `arn:aws:lambda:eu-west-1:111122223333:function:${FUNCTION_NAME}`,
    );
  });

  test('an unknown one is refused with the known ones', async () => {
    const refusal = functionArn(cloudformation, STACK, 'nope');
    await expect(refusal).rejects.toThrow(
      new PowerTuningError(
        `unknown function 'nope': FUNCTION is one of ${Object.keys(FUNCTIONS).join(', ')}`,
      ),
    );
    expect(cloudformationMock.calls()).toEqual([]);
  });

  test('a stack without it asks for a deploy', async () => {
    stackWith(resource('Other5F4E3D2C', 'other', 'AWS::Lambda::Function'));
    await expect(functionArn(cloudformation, STACK, FUNCTION)).rejects.toThrow(
      `holds no ${FUNCTION} function: deploy it first`,
    );
  });

  test('a missing stack is reported in one line', async () => {
    cloudformationMock
      .on(ListStackResourcesCommand)
      .rejects(new Error(`Stack with id ${STACK} does not exist`));
    await expect(functionArn(cloudformation, STACK, FUNCTION)).rejects.toThrow(
      new PowerTuningError(`cannot read the stack ${STACK}: Stack with id ${STACK} does not exist`),
    );
  });
});

describe('the state machine', () => {
  test('given, is used as it is', async () => {
    await expect(stateMachineArn(cloudformation, MACHINE)).resolves.toBe(MACHINE);
    expect(cloudformationMock.calls()).toEqual([]);
  });

  test("otherwise comes from the tool's stack", async () => {
    toolStackWith({ [TOOL_OUTPUT]: MACHINE });
    await expect(stateMachineArn(cloudformation)).resolves.toBe(MACHINE);
  });

  test('missing, the message says how to get it', async () => {
    cloudformationMock.on(DescribeStacksCommand).rejects(new Error('does not exist'));
    await expect(stateMachineArn(cloudformation)).rejects.toThrow(
      'set POWER_TUNING_STATE_MACHINE_ARN, or deploy the tool as the stack',
    );
    toolStackWith({ SomethingElse: 'x' });
    await expect(stateMachineArn(cloudformation)).rejects.toThrow(`has no output ${TOOL_OUTPUT}`);
  });
});

test("the payload is the function's file, or an empty event", () => {
  const folder = mkdtempSync(join(tmpdir(), 'power-tuning-'));
  writeFileSync(join(folder, 'api.json'), '{"rawPath": "/health"}');
  expect(payload('api', folder)).toEqual({ rawPath: '/health' });
  expect(payload('daily-report', folder)).toEqual({});
  writeFileSync(join(folder, 'broken.json'), '{not json');
  expect(() => payload('broken', folder)).toThrow(/broken\.json is not JSON/);
});

test('the input names the function, the sizes, the invocations and the strategy', () => {
  expect(executionInput('arn:fn', { a: 1 }, 'speed')).toEqual({
    lambdaARN: 'arn:fn',
    powerValues: POWER_VALUES,
    num: INVOCATIONS,
    payload: { a: 1 },
    strategy: 'speed',
  });
});

describe('a tuning', () => {
  beforeEach(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined); // the execution's ARN
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('is waited for, and its results returned', async () => {
    const stepFunctions = stepFunctionsAnswering(
      { status: 'RUNNING' },
      { status: 'SUCCEEDED', output: JSON.stringify({ results: RESULTS }) },
    );
    const waits: number[] = [];
    const input = executionInput('arn:fn', {}, 'cost');
    const results = await tune(stepFunctions, MACHINE, input, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    expect(results).toEqual({
      power: 512,
      cost: RESULTS.cost,
      duration: RESULTS.duration,
      visualization: RESULTS.stateMachine.visualization,
    });
    expect(stepFunctions.inputs.map((raw) => JSON.parse(raw) as unknown)).toEqual([input]);
    expect(waits).toHaveLength(1);
  });

  test('that failed says why', async () => {
    const stepFunctions = stepFunctionsAnswering({
      status: 'FAILED',
      error: 'Lambda.Unknown',
      cause: 'The function errored on its payload',
    });
    await expect(tune(stepFunctions, MACHINE, {})).rejects.toThrow(
      new PowerTuningError(
        'the tuning failed: Lambda.Unknown: The function errored on its payload',
      ),
    );
  });
});

describe('main', () => {
  let logged: string[];
  let errors: string[];

  beforeEach(() => {
    logged = [];
    errors = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => logged.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => errors.push(line));
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('prints the chosen size and the charts', async () => {
    stackWith(resource(`${PREFIX}5F4E3D2C`, FUNCTION_NAME, 'AWS::Lambda::Function'));
    const stepFunctions = stepFunctionsAnswering({
      status: 'SUCCEEDED',
      output: JSON.stringify(RESULTS),
    });
    const argv = [FUNCTION, '--stack', STACK, '--state-machine-arn', MACHINE];
    await expect(main(argv, () => ({ cloudformation, stepFunctions }))).resolves.toBe(0);
    const printed = logged.join('\n');
    expect(printed).toContain('Cost strategy: 512 MiB');
    expect(printed).toContain(RESULTS.stateMachine.visualization);
    expect(printed).toMatch(/set \w+MemoryMib in infra\/settings\.ts/);
  });

  test('without the tool, fails with the reason', async () => {
    stackWith(resource(`${PREFIX}5F4E3D2C`, FUNCTION_NAME, 'AWS::Lambda::Function'));
    cloudformationMock
      .on(DescribeStacksCommand, { StackName: TOOL_STACK })
      .rejects(new Error('does not exist'));
    const stepFunctions = stepFunctionsAnswering();
    const argv = [FUNCTION, '--stack', STACK, '--state-machine-arn', ''];
    await expect(main(argv, () => ({ cloudformation, stepFunctions }))).resolves.toBe(1);
    expect(errors.join('\n')).toContain('power-tune: no AWS Lambda Power Tuning state machine');
  });

  test('refuses an unknown strategy before calling AWS', async () => {
    const stepFunctions = stepFunctionsAnswering();
    const argv = [FUNCTION, '--stack', STACK, '--strategy', 'cheap'];
    await expect(main(argv, () => ({ cloudformation, stepFunctions }))).resolves.toBe(2);
    expect(errors.join('\n')).toContain("invalid choice: 'cheap'");
    expect(cloudformationMock.calls()).toEqual([]);
  });
});

describe('the AWS CLI', () => {
  // A stand-in aws on the PATH: it records its arguments, one a line, and answers as told.
  let bin: string;
  let path: string | undefined;

  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'fake-aws-'));
    writeFileSync(
      join(bin, 'aws'),
      '#!/bin/sh\nprintf "%s\\n" "$@" > "$0.arguments"\n' +
        'if [ "$4" = fail ]; then echo "An error occurred (AccessDenied)" >&2; exit 254; fi\n' +
        `echo '{"executionArn": "${EXECUTION}", "status": "RUNNING"}'\n`,
      { mode: 0o755 },
    );
    path = process.env['PATH'];
    process.env['PATH'] = `${bin}${delimiter}${path ?? ''}`;
  });

  afterAll(() => {
    process.env['PATH'] = path;
  });

  function argumentsGiven(): string[] {
    return readFileSync(join(bin, 'aws.arguments'), 'utf8').trimEnd().split('\n');
  }

  test('gets each argument as it is, in the region of the stacks', async () => {
    const cli = awsCli('eu-west-1');
    await expect(cli.startExecution(MACHINE, '{"a": "b c; $HOME"}')).resolves.toBe(EXECUTION);
    expect(argumentsGiven()).toEqual([
      'stepfunctions',
      'start-execution',
      '--state-machine-arn',
      MACHINE,
      '--input',
      '{"a": "b c; $HOME"}',
      '--region',
      'eu-west-1',
      '--output',
      'json',
    ]);
    await expect(cli.describeExecution(EXECUTION)).resolves.toMatchObject({ status: 'RUNNING' });
    expect(argumentsGiven().slice(0, 4)).toEqual([
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      EXECUTION,
    ]);
  });

  test('a failing call names the command and what the CLI said', async () => {
    await expect(awsCli('eu-west-1').startExecution('fail', '{}')).rejects.toThrow(
      new PowerTuningError(
        'aws stepfunctions start-execution failed: An error occurred (AccessDenied)',
      ),
    );
  });
});
