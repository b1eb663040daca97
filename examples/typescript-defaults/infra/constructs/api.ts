/**
 * The HTTP API: API Gateway (HTTP API) in front of one Lambda function.
 *
 * Every request goes to the function, whose Powertools router owns the routes (see
 * service/handlers/api.ts), so a route is added in one place. Every request but `GET /health`
 * carries a JWT that API Gateway verifies before the function runs; the function takes the caller
 * from its `sub` claim. The stage throttles, writes an access log, and CORS admits the allowed
 * origins only.
 */
import { CfnOutput, Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Alias } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import { acknowledge } from '../compliance';
import { ALLOWED_ORIGINS, SERVICE_NAME, type EnvironmentSettings } from '../settings';
import type { Data } from './data';
import { ServiceFunction } from './function';
import type { Monitoring } from './monitoring';

// One JSON object per request, with the HTTP API's own context variables.
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
});

export interface ApiProps {
  readonly settings: EnvironmentSettings;
  readonly monitoring: Monitoring;
  readonly authorizer: IHttpRouteAuthorizer;
  readonly data?: Data;
}

export class Api extends Construct {
  readonly handler: ServiceFunction;
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { settings, monitoring } = props;
    this.handler = new ServiceFunction(this, 'Handler', {
      handler: 'api',
      description: 'Serves the HTTP API',
      settings,
      memorySize: settings.apiMemoryMib,
      monitoring,
      // API Gateway gives up after 30 s; a request that takes more than a few is already lost.
      timeout: Duration.seconds(6),
    });
    const fn = this.handler.function;
    props.data?.grantReadWrite(fn);

    // Where the environment keeps warm instances, the API calls the alias that holds them.
    const target =
      settings.provisionedConcurrency > 0
        ? new Alias(this, 'Live', {
            aliasName: 'live',
            version: fn.currentVersion,
            provisionedConcurrentExecutions: settings.provisionedConcurrency,
          })
        : fn;

    const integration = new HttpLambdaIntegration('Handler', target);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${SERVICE_NAME}-${settings.name}`,
      description: `${SERVICE_NAME} HTTP API (${settings.name})`,
      // Every route the function serves needs a signed-in caller...
      defaultIntegration: integration,
      defaultAuthorizer: props.authorizer,
      // The stage below replaces the default one, to get access logs and throttling.
      createDefaultStage: false,
      // API Gateway answers CORS preflight requests itself, before any authorizer.
      corsPreflight: {
        allowOrigins: [...ALLOWED_ORIGINS],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        allowHeaders: ['content-type', 'authorization', 'idempotency-key'],
        maxAge: Duration.hours(1),
      },
    });
    // ...but the health check, which uptime monitors call without a token.
    const [health] = this.httpApi.addRoutes({
      path: '/health',
      methods: [HttpMethod.GET],
      integration,
      authorizer: new HttpNoneAuthorizer(),
    });
    if (health !== undefined) {
      acknowledge(
        health,
        'AwsSolutions-APIG4',
        'GET /health is public on purpose: uptime checks call it without a token, and it ' +
          'answers a constant without reading any data.',
      );
    }
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.removalPolicy,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: settings.apiThrottleRateLimit,
        burstLimit: settings.apiThrottleBurstLimit,
      },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    new CfnOutput(this, 'Url', { value: this.stage.url, description: 'Base URL of the HTTP API' });

    monitoring.notifyOn(
      this.httpApi
        .metricServerError({ period: Duration.minutes(5) })
        .createAlarm(this, 'ServerErrors', {
          alarmDescription: `${this.node.path} answered with 5xx errors`,
          threshold: settings.alarmErrorThreshold,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );
  }
}
