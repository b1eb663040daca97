/**
 * The HTTP API in every environment: sign-in, routing, warm instances, throttling, access logs,
 * CORS, alarms.
 */
import type { Template } from 'aws-cdk-lib/assertions';

import { ALLOWED_ORIGINS, ENVIRONMENT_NAMES, ENVIRONMENTS } from '../../infra/settings';
import { serviceTemplate } from './harness';
import { at, only, resources, textAt, type Resource } from './resources';

// The API's function, as its construct describes it.
const DESCRIPTION = 'Serves the HTTP API';

function routes(template: Template): Map<string, Resource['Properties']> {
  return new Map(
    [...resources(template, 'AWS::ApiGatewayV2::Route').values()].map((route) => [
      textAt(route.Properties, 'RouteKey'),
      route.Properties,
    ]),
  );
}

describe.each(ENVIRONMENT_NAMES)('the API in %s', (environment) => {
  const settings = ENVIRONMENTS[environment];
  let template: Template;

  beforeAll(() => {
    template = serviceTemplate(environment);
  });

  test('the function is arm64 with a short timeout and reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: DESCRIPTION,
      Architectures: ['arm64'],
      Timeout: 6,
      ReservedConcurrentExecutions: settings.reservedConcurrency,
    });
  });

  test('every request goes to the function', () => {
    const [integrationId] = only(template, 'AWS::ApiGatewayV2::Integration');
    const byKey = routes(template);
    expect(new Set(byKey.keys())).toEqual(new Set(['$default', 'GET /health']));
    for (const route of byKey.values()) {
      expect(route['Target']).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: integrationId }]],
      });
    }
  });

  test('every route but health needs a token the authorizer verifies', () => {
    const [authorizerId] = only(template, 'AWS::ApiGatewayV2::Authorizer');
    for (const [key, route] of routes(template)) {
      if (key === 'GET /health') {
        expect({ key, type: route['AuthorizationType'] ?? 'NONE' }).toEqual({ key, type: 'NONE' });
        expect(route['AuthorizerId']).toBeUndefined();
      } else {
        expect({ key, type: route['AuthorizationType'] }).toEqual({ key, type: 'JWT' });
        expect(route['AuthorizerId']).toEqual({ Ref: authorizerId });
      }
    }
  });

  test("the authorizer admits tokens of the environment's user pool and client only", () => {
    const [poolId] = only(template, 'AWS::Cognito::UserPool');
    const [clientId] = only(template, 'AWS::Cognito::UserPoolClient');
    const [, authorizer] = only(template, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties['IdentitySource']).toEqual(['$request.header.Authorization']);
    expect(at(authorizer.Properties, 'JwtConfiguration', 'Audience')).toEqual([{ Ref: clientId }]);
    const issuer = JSON.stringify(at(authorizer.Properties, 'JwtConfiguration', 'Issuer'));
    expect(issuer).toContain('cognito-idp');
    expect(issuer).toContain(poolId);
  });

  test('the live alias keeps instances warm where the environment asks for it', () => {
    const aliases = resources(template, 'AWS::Lambda::Alias');
    if (settings.provisionedConcurrency === 0) {
      expect(aliases.size).toBe(0);
      return;
    }
    const [, alias] = only(template, 'AWS::Lambda::Alias');
    expect(alias.Properties['Name']).toBe('live');
    expect(alias.Properties['ProvisionedConcurrencyConfig']).toEqual({
      ProvisionedConcurrentExecutions: settings.provisionedConcurrency,
    });
  });

  test('the API calls the live alias where there is one', () => {
    const [, integration] = only(template, 'AWS::ApiGatewayV2::Integration');
    const target = integration.Properties['IntegrationUri'];
    if (settings.provisionedConcurrency > 0) {
      const [aliasId] = only(template, 'AWS::Lambda::Alias');
      expect(target).toEqual({ Ref: aliasId });
    } else {
      const [functionId] = only(template, 'AWS::Lambda::Function', { Description: DESCRIPTION });
      expect(target).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
    }
  });

  test('the stage throttles requests', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: {
        ThrottlingRateLimit: settings.apiThrottleRateLimit,
        ThrottlingBurstLimit: settings.apiThrottleBurstLimit,
      },
    });
  });

  test('access logs are kept as long as the environment says', () => {
    const [, stage] = only(template, 'AWS::ApiGatewayV2::Stage');
    const destination = at(stage.Properties, 'AccessLogSettings', 'DestinationArn');
    const logGroupId = textAt(destination, 'Fn::GetAtt', 0);
    const logGroup = resources(template, 'AWS::Logs::LogGroup').get(logGroupId);
    expect(logGroup?.Properties['RetentionInDays']).toBe(settings.logRetentionDays);
  });

  test('access log lines are JSON with the request id and status', () => {
    const [, stage] = only(template, 'AWS::ApiGatewayV2::Stage');
    const line: unknown = JSON.parse(textAt(stage.Properties, 'AccessLogSettings', 'Format'));
    expect(at(line, 'requestId')).toBe('$context.requestId');
    expect(at(line, 'status')).toBe('$context.status');
  });

  test('CORS admits only the allowed origins', () => {
    const [, api] = only(template, 'AWS::ApiGatewayV2::Api');
    expect(at(api.Properties, 'CorsConfiguration', 'AllowOrigins')).toEqual(ALLOWED_ORIGINS);
  });

  test('server errors alarm the on-call topic', () => {
    const [topicId] = only(template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Threshold: settings.alarmErrorThreshold,
      AlarmActions: [{ Ref: topicId }],
    });
  });
});
