/**
 * A Lambda function the way this service runs them.
 *
 * One handler file of service/handlers, bundled by esbuild (a devDependency: never Docker) into a
 * small ES module; the AWS SDK comes with the runtime, and Powertools and zod with AWS's public
 * Powertools layer, of the version package.json pins (the one the tests run against). arm64,
 * Node.js 24, X-Ray tracing, JSON logs kept as long as the environment says (with a share of the
 * invocations sampled at DEBUG), and alarms on errors, throttles and p99 duration. Functions
 * invoked asynchronously send failed events to a queue.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { Duration, Stack } from 'aws-cdk-lib';
import { TreatMissingData, type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  LayerVersion,
  LoggingFormat,
  Runtime,
  Tracing,
  type ILayerVersion,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';

import { acknowledge } from '../compliance';
import { SERVICE_NAME, STACK_PREFIX, type EnvironmentSettings } from '../settings';
import type { Monitoring } from './monitoring';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
// The newest Node.js runtime of both Lambda and the Powertools layer: the layer of each release
// since 2.34 lists nodejs22.x and nodejs24.x as its compatible runtimes.
export const RUNTIME = Runtime.NODEJS_24_X;
const DEFAULT_TIMEOUT = Duration.seconds(10);
// Provided at run time, so never bundled: the AWS SDK by the runtime; Powertools (the event
// handler included) by its layer, which also installs zod 4 for the parser (the layer's build,
// layers/src/layer-publisher-stack.ts of powertools-lambda-typescript at v2.35.0). Bundled, zod
// alone would take more than the 20 KB a bundle may weigh (tests/infrastructure/bundle-size.test.ts).
const EXTERNAL_MODULES = ['@aws-sdk/*', '@aws-lambda-powertools/*', 'zod'];

/**
 * The SSM public parameter that holds the ARN of the Powertools layer of this version.
 *
 * AWS publishes `/aws/service/powertools/typescript/generic/all/<version>` (and `.../latest`)
 * for every release of Powertools for AWS Lambda (TypeScript) ("Lambda layers" in its
 * documentation): the layer's version number is resolved at deploy, never written here. The
 * documentation names the commercial regions for these parameters; the layers themselves are in
 * the AWS GovCloud (US) regions too.
 */
export function powertoolsLayerParameter(version: string): string {
  return `/aws/service/powertools/typescript/generic/all/${version}`;
}

/** The Powertools version package.json pins (the same for every Powertools package). */
export function powertoolsVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const version = manifest.dependencies?.['@aws-lambda-powertools/logger'];
  if (version === undefined || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `package.json must pin @aws-lambda-powertools/logger to an exact version; got ${String(version)}`,
    );
  }
  return version;
}

/** One reference per stack to the Powertools layer. */
function powertoolsLayer(scope: Construct): ILayerVersion {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild('PowertoolsLayer');
  if (existing !== undefined) {
    return existing as ILayerVersion;
  }
  const arn = StringParameter.valueForStringParameter(
    stack,
    powertoolsLayerParameter(powertoolsVersion()),
  );
  return LayerVersion.fromLayerVersionArn(stack, 'PowertoolsLayer', arn);
}

export interface ServiceFunctionProps {
  /** The handler's file in service/handlers, without `.ts`; it exports `handler`. */
  readonly handler: string;
  readonly description: string;
  readonly settings: EnvironmentSettings;
  readonly monitoring: Monitoring;
  readonly environment?: Readonly<Record<string, string>>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  readonly invokedAsynchronously?: boolean;
}

export class ServiceFunction extends Construct {
  readonly role: Role;
  readonly function: NodejsFunction;
  readonly failedInvocations: Queue | undefined;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const { settings, invokedAsynchronously = false } = props;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${id} function of ${SERVICE_NAME}`,
    });
    logGroup.grantWrite(this.role);
    if (invokedAsynchronously) {
      this.failedInvocations = new Queue(this, 'FailedInvocations', {
        enforceSSL: true,
        encryption: QueueEncryption.SQS_MANAGED,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(
        this.failedInvocations,
        'AwsSolutions-SQS3',
        "This queue is itself the on-failure destination of the function's asynchronous invocations.",
      );
    }
    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: path.join(PROJECT_ROOT, 'service', 'handlers', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      bundling: {
        format: OutputFormat.ESM,
        // ES module builds of the bundled dependencies, for esbuild to shake their unused code.
        mainFields: ['module', 'main'],
        minify: true,
        // Stack traces point into the TypeScript sources (NODE_OPTIONS below), without carrying
        // the sources themselves in the asset.
        sourceMap: true,
        sourcesContent: false,
        externalModules: EXTERNAL_MODULES,
        logLevel: LogLevel.WARNING,
      },
      role: this.role,
      layers: [powertoolsLayer(this)],
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      memorySize: props.memorySize ?? 512,
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      reservedConcurrentExecutions: settings.reservedConcurrency,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: STACK_PREFIX,
        POWERTOOLS_LOG_LEVEL: settings.logLevel,
        // This share of invocations logs at DEBUG, whatever the log level.
        POWERTOOLS_LOGGER_SAMPLE_RATE: String(settings.logSampleRate),
        ENVIRONMENT: settings.name,
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      ...(this.failedInvocations && {
        onFailure: new SqsDestination(this.failedInvocations),
        retryAttempts: 2,
      }),
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions.",
    );
    this.alarmOnErrorsThrottlesAndLatency(settings, props.monitoring);
  }

  private alarmOnErrorsThrottlesAndLatency(
    settings: EnvironmentSettings,
    monitoring: Monitoring,
  ): void {
    const period = Duration.minutes(5);
    const path = this.function.node.path;
    const alarms: Alarm[] = [
      this.function.metricErrors({ period }).createAlarm(this, 'Errors', {
        alarmDescription: `${path} raised errors`,
        threshold: settings.alarmErrorThreshold,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      this.function.metricThrottles({ period }).createAlarm(this, 'Throttles', {
        alarmDescription: `${path} was throttled: reserved concurrency is exhausted`,
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      this.function.metricDuration({ period, statistic: 'p99' }).createAlarm(this, 'P99Duration', {
        alarmDescription: `${path} p99 duration is above its target`,
        threshold: settings.alarmP99DurationMs,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    ];
    if (this.failedInvocations) {
      alarms.push(
        this.failedInvocations
          .metricApproximateNumberOfMessagesVisible({ period })
          .createAlarm(this, 'FailedInvocationsWaiting', {
            alarmDescription: `Events that ${path} failed to process are waiting in its failure queue`,
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
      );
    }
    monitoring.notifyOn(...alarms);
  }
}
