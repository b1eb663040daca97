/**
 * The dashboard of every environment: one per stack, showing every alarm of the stack and a
 * section for each part of the project.
 */
import type { Template } from 'aws-cdk-lib/assertions';

import { REGION } from '../../infra/contract';
import {
  ENVIRONMENT_NAMES,
  SERVICE_NAME,
  STACK_PREFIX,
  type EnvironmentName,
} from '../../infra/settings';
import { serviceTemplate } from './harness';
import { arrayAt, at, only, resources, textAt } from './resources';

// The sections of the dashboard, in order, below its header and the alarms: each part of the
// project has its own, and a part the project lacks has none.
const SECTIONS = [
  // The API and its function.
  'HTTP API',
  'Api function',
  // All functions together.
  'Concurrency and cold starts',
  // The table.
  'DynamoDB table',
];

/**
 * A template value as text: a Ref as `${LogicalId}`, a GetAtt as `${LogicalId.Attribute}`, a
 * join joined, and any other function as `Name(arguments)`.
 */
function text(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(text).join(',');
  }
  const [entry, ...others] = Object.entries(value as Record<string, unknown>);
  if (entry === undefined || others.length > 0) {
    throw new Error(`not an intrinsic function: ${JSON.stringify(value)}`);
  }
  const [name, argument] = entry;
  if (name === 'Ref') {
    return `\${${String(argument)}}`;
  }
  if (name === 'Fn::GetAtt') {
    return `\${${arrayAt(value, name).map(String).join('.')}}`;
  }
  if (name === 'Fn::Join') {
    const [separator, parts] = argument as [string, unknown[]];
    return parts.map(text).join(separator);
  }
  return `${name}(${text(argument)})`;
}

interface Widget {
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

/** The widgets of the stack's one dashboard, its body resolved as `text` resolves values. */
function widgets(template: Template): Widget[] {
  const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
  const body = JSON.parse(text(dashboard.Properties['DashboardBody'])) as unknown;
  return arrayAt(body, 'widgets') as Widget[];
}

/** The name of each section, from its header: `### <kind> **[<name>](<link>)**` or `### <name>`. */
function sections(template: Template): string[] {
  return widgets(template)
    .filter((widget) => widget.type === 'text')
    .map((widget) => textAt(widget.properties, 'markdown'))
    .filter((markdown) => markdown.startsWith('### '))
    .map((markdown) => /\*\*\[?([^\]*]+)/.exec(markdown)?.[1] ?? markdown.slice('### '.length));
}

/** Each metric of the graphs with this title, as [namespace, name, ...dimensions, options]. */
function metrics(template: Template, title?: string): unknown[][] {
  return widgets(template)
    .filter((widget) => widget.type === 'metric')
    .filter((widget) => title === undefined || widget.properties['title'] === title)
    .flatMap((widget) => arrayAt(widget.properties, 'metrics') as unknown[][]);
}

/** Whether a graph with this title shows this metric of this resource (dimensions in order). */
function shows(
  template: Template,
  title: string | undefined,
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
): boolean {
  const wanted = [namespace, metricName, ...Object.entries(dimensions).flat()];
  return metrics(template, title).some((metric) =>
    wanted.every((value, index) => metric[index] === value),
  );
}

describe.each(ENVIRONMENT_NAMES)('the dashboard of %s', (environment: EnvironmentName) => {
  const name = `${STACK_PREFIX}-${environment}`;
  let template: Template;

  beforeAll(() => {
    template = serviceTemplate(environment);
  });

  test('is the one dashboard of the stack, named after it, and the only thing the library adds', () => {
    const [id, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties['DashboardName']).toBe(name);
    const created = Object.keys(template.toJSON()['Resources'] as Record<string, unknown>).filter(
      (logicalId) => logicalId.startsWith('Dashboard'),
    );
    expect(created).toEqual([id]);
  });

  test('the DashboardUrl output opens it in the console of its region', () => {
    const outputs = Object.entries(template.findOutputs('*')).filter(([id]) =>
      id.startsWith('DashboardUrl'),
    );
    expect(outputs.map(([, output]) => text(at(output, 'Value')))).toEqual([
      `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=${REGION}` +
        `#dashboards/dashboard/${name}`,
    ]);
  });

  test('opens with the service and environment, then the state of every alarm of the stack', () => {
    const [header, alarms] = widgets(template);
    expect(header?.properties['markdown']).toBe(`# ${SERVICE_NAME} in ${environment}`);
    expect(alarms?.type).toBe('alarm');
    // Every alarm, and nothing but the alarms: one that skips Monitoring.notifyOn fails here.
    const expected = [...resources(template, 'AWS::CloudWatch::Alarm').keys()].map(
      (id) => `\${${id}.Arn}`,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect([...arrayAt(alarms?.properties, 'alarms')].sort()).toEqual(expected.sort());
    // Four alarms to a row, below the title.
    expect(alarms).toMatchObject({ width: 24, height: 1 + Math.ceil(expected.length / 4) });
  });

  test('has a section for each part of the project, and none for a part it lacks', () => {
    expect(sections(template)).toEqual(SECTIONS);
  });

  test('shows the depth and the age of the oldest message of every queue', () => {
    const queues = [...resources(template, 'AWS::SQS::Queue').keys()];
    expect(queues).toEqual([]);
    for (const queue of queues) {
      const dimensions = { QueueName: `\${${queue}.QueueName}` };
      for (const metricName of [
        'ApproximateNumberOfMessagesVisible',
        'ApproximateAgeOfOldestMessage',
      ]) {
        expect({
          queue,
          metricName,
          shown: shows(template, undefined, 'AWS/SQS', metricName, dimensions),
        }).toEqual({
          queue,
          metricName,
          shown: true,
        });
      }
    }
  });

  test('shows the concurrency and the Powertools cold starts of every function', () => {
    const functions = resources(template, 'AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: SERVICE_NAME } },
    });
    expect(functions.size).toBe(1);
    for (const [id, fn] of functions) {
      const namespace = textAt(
        fn.Properties,
        'Environment',
        'Variables',
        'POWERTOOLS_METRICS_NAMESPACE',
      );
      expect(namespace).toBe(STACK_PREFIX);
      const coldStarts = metrics(template, 'Cold starts').filter(
        (metric) => metric[3] === `\${${id}}`,
      );
      expect(coldStarts).toEqual([
        [
          namespace,
          'ColdStart',
          'function_name',
          `\${${id}}`,
          'service',
          SERVICE_NAME,
          expect.objectContaining({ stat: 'Sum' }),
        ],
      ]);
      expect(
        shows(template, 'Concurrent executions', 'AWS/Lambda', 'ConcurrentExecutions', {
          FunctionName: `\${${id}}`,
        }),
      ).toBe(true);
    }
  });

  test('shows the HTTP API', () => {
    const [api] = only(template, 'AWS::ApiGatewayV2::Api');
    expect(shows(template, 'Latency', 'AWS/ApiGateway', 'Latency', { ApiId: `\${${api}}` })).toBe(
      true,
    );
  });

  test('shows the throttles of the table', () => {
    const [table] = only(template, 'AWS::DynamoDB::GlobalTable');
    expect(metrics(template, 'Throttles').some((metric) => metric.includes(`\${${table}}`))).toBe(
      true,
    );
  });
});
