/** The table in every environment: keys, expiry, billing, recovery, protection and alarms. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';

import {
  GSI1,
  GSI1_PARTITION_KEY,
  GSI1_SORT_KEY,
  GSI2,
  GSI2_PARTITION_KEY,
  GSI2_SORT_KEY,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from '../../infra/contract';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../../infra/settings';
import { EnvironmentVariables } from '../../service/settings';
import { serviceTemplate } from './harness';
import { arrayAt, at, only, resources, type Resource } from './resources';

function table(template: Template): [string, Resource] {
  return only(template, 'AWS::DynamoDB::GlobalTable');
}

function replica(template: Template): unknown {
  const [, resource] = table(template);
  const replicas = arrayAt(resource, 'Properties', 'Replicas');
  expect(replicas).toHaveLength(1);
  return replicas[0];
}

describe.each(ENVIRONMENT_NAMES)('the table in %s', (environment) => {
  const settings = ENVIRONMENTS[environment];
  let template: Template;

  beforeAll(() => {
    template = serviceTemplate(environment);
  });

  test('is keyed by PK and SK, with two indexes of every attribute, GSI1 and GSI2', () => {
    const { Properties: properties } = table(template)[1];
    expect(properties['KeySchema']).toEqual([
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ]);
    expect(properties['GlobalSecondaryIndexes']).toEqual([
      expect.objectContaining({
        IndexName: GSI1,
        KeySchema: [
          { AttributeName: GSI1_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: GSI1_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }),
      expect.objectContaining({
        IndexName: GSI2,
        KeySchema: [
          { AttributeName: GSI2_PARTITION_KEY, KeyType: 'HASH' },
          { AttributeName: GSI2_SORT_KEY, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }),
    ]);
    const types = arrayAt(properties, 'AttributeDefinitions').map((a) => at(a, 'AttributeType'));
    expect(new Set(types)).toEqual(new Set(['S']));
  });

  test('has no stream: without events, nothing reads one', () => {
    expect(table(template)[1].Properties['StreamSpecification']).toBeUndefined();
  });

  test('expires items through their ttl attribute', () => {
    expect(table(template)[1].Properties['TimeToLiveSpecification']).toEqual({
      AttributeName: TTL_ATTRIBUTE,
      Enabled: true,
    });
  });

  test('is billed per request', () => {
    expect(table(template)[1].Properties['BillingMode']).toBe('PAY_PER_REQUEST');
  });

  test('has point-in-time recovery as the environment says', () => {
    expect(at(replica(template), 'PointInTimeRecoverySpecification')).toEqual({
      PointInTimeRecoveryEnabled: settings.pointInTimeRecovery,
    });
  });

  test('has deletion protection as the environment says', () => {
    expect(at(replica(template), 'DeletionProtectionEnabled')).toBe(settings.deletionProtection);
  });

  test('outlives the stack where the environment retains data', () => {
    const retained = settings.removalPolicy === RemovalPolicy.RETAIN;
    const [, resource] = table(template);
    expect(resource.DeletionPolicy).toBe(retained ? 'Retain' : 'Delete');
    expect(resource.UpdateReplacePolicy).toBe(resource.DeletionPolicy);
  });

  test.each(['ThrottledRequests', 'SystemErrors'])('alarms the on-call topic on %s', (metric) => {
    const [tableId] = table(template);
    const [topicId] = only(template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: topicId }],
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              MetricName: metric,
              Dimensions: Match.arrayWith([{ Name: 'TableName', Value: { Ref: tableId } }]),
            }),
          }),
        }),
      ]),
    });
  });

  test('lets the API function read and write items and query GSI1, but never scan', () => {
    const [tableId] = table(template);
    const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
    const [, policy] = only(template, 'AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ApiHandlerRole') }],
    });
    const statements = arrayAt(policy, 'Properties', 'PolicyDocument', 'Statement').filter(
      (statement) => JSON.stringify(at(statement, 'Action')).includes('dynamodb:'),
    );
    expect(statements).toEqual([
      {
        Action: [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        Effect: 'Allow',
        Resource: tableArn,
      },
      {
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [tableArn, `/index/${GSI1}`]] },
      },
    ]);
  });

  test("tells the API function the table's name", () => {
    const [tableId] = table(template);
    const named = resources(template, 'AWS::Lambda::Function', {
      Environment: { Variables: { [EnvironmentVariables.TABLE_NAME]: { Ref: tableId } } },
    });
    expect([...named.keys()].filter((id) => id.startsWith('ApiHandlerFunction'))).toHaveLength(1);
  });
});
