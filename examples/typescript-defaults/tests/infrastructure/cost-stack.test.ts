/** The cost stacks: a budget per environment and Cost Anomaly Detection, in COST_REGION. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { Template } from 'aws-cdk-lib/assertions';

import { REGION } from '../../infra/contract';
import {
  ANOMALY_IMPACT_SHARE,
  anomalyThresholdUsd,
  monthlyBudgetUsd,
} from '../../infra/cost-stack';
import {
  COST_REGION,
  COST_STACKS,
  ENVIRONMENT_NAMES,
  ENVIRONMENTS,
  MONTHLY_BUDGET_USD,
  SERVICE_NAME,
  stackName,
} from '../../infra/settings';
import { assemblyDirectory, stackTemplate } from './harness';
import { arrayAt, at, only, resources, textAt } from './resources';

/** The region of every stack of the synthesized assembly, by stack name. */
function stackRegions(): Map<string, string> {
  const manifest = JSON.parse(
    readFileSync(path.join(assemblyDirectory(), 'manifest.json'), 'utf8'),
  ) as { artifacts: Record<string, { type: string; environment?: string }> };
  return new Map(
    Object.entries(manifest.artifacts)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([name, artifact]) => [name, (artifact.environment ?? '').split('/').at(-1) ?? '']),
  );
}

function topicOf(template: Template): { Ref: string } {
  return { Ref: only(template, 'AWS::SNS::Topic')[0] };
}

/** The budgets of the template, by budget name. */
function budgetsOf(template: Template): Map<string, Readonly<Record<string, unknown>>> {
  return new Map(
    [...resources(template, 'AWS::Budgets::Budget').values()].map((budget) => [
      textAt(budget.Properties, 'Budget', 'BudgetName'),
      budget.Properties,
    ]),
  );
}

test('every account has one cost stack, in the cost region', () => {
  const regions = stackRegions();
  expect(COST_REGION).toBe('us-east-1');
  for (const cost of COST_STACKS) {
    expect(regions.get(cost.stackName)).toBe(COST_REGION);
  }
  expect(COST_STACKS.flatMap((cost) => cost.environments).sort()).toEqual(
    [...ENVIRONMENT_NAMES].sort(),
  );
});

test("the service stacks stay in the project's region", () => {
  const regions = stackRegions();
  expect(new Set(ENVIRONMENT_NAMES.map((env) => regions.get(stackName(env))))).toEqual(
    new Set([REGION]),
  );
});

test('prod alerts before its budget is spent, and dev later', () => {
  // A forecast alert at 100% in prod leaves time to act; dev tolerates more.
  for (const settings of Object.values(ENVIRONMENTS)) {
    if (settings.name === 'prod') {
      expect(Math.min(...settings.budgetActualAlertsPercent)).toBeLessThan(100);
      expect(settings.budgetForecastAlertsPercent).toEqual([100]);
    }
    if (settings.name === 'dev') {
      expect(Math.min(...settings.budgetForecastAlertsPercent)).toBeGreaterThan(100);
    }
  }
});

test.each([
  [[25, 50, 100], 18],
  [[1000], 100],
  [[0.5], 1],
  [[], 1],
])(
  'the anomaly threshold of budgets %j is $%d: a share, never below a dollar',
  (budgets, threshold) => {
    expect(anomalyThresholdUsd(budgets)).toBe(threshold);
  },
);

describe.each(COST_STACKS)('$stackName', (cost) => {
  let template: Template;

  beforeAll(() => {
    template = stackTemplate(cost.stackName);
  });

  test('each environment of the account has a monthly cost budget of its share', () => {
    const budgets = budgetsOf(template);
    expect([...budgets.keys()].sort()).toEqual(cost.environments.map(stackName).sort());
    for (const environment of cost.environments) {
      const budget = at(budgets.get(stackName(environment)), 'Budget');
      const expected = MONTHLY_BUDGET_USD * ENVIRONMENTS[environment].monthlyBudgetShare;
      expect(Number(at(budget, 'BudgetLimit', 'Amount'))).toBeCloseTo(expected, 2);
      expect(at(budget, 'BudgetLimit', 'Unit')).toBe('USD');
      expect([at(budget, 'BudgetType'), at(budget, 'TimeUnit')]).toEqual(['COST', 'MONTHLY']);
    }
  });

  test('a budget counts the costs tagged with the service and its environment only', () => {
    const budgets = budgetsOf(template);
    for (const environment of cost.environments) {
      const budget = at(budgets.get(stackName(environment)), 'Budget') as Record<string, unknown>;
      // And, not Or: another service's resources in the same environment are not counted.
      expect(budget['FilterExpression']).toEqual({
        And: [
          { Tags: { Key: 'Service', Values: [SERVICE_NAME], MatchOptions: ['EQUALS'] } },
          { Tags: { Key: 'Env', Values: [environment], MatchOptions: ['EQUALS'] } },
        ],
      });
      expect(budget['CostFilters']).toBeUndefined();
    }
  });

  test("budgets alert the topic at the environment's thresholds", () => {
    const budgets = budgetsOf(template);
    for (const environment of cost.environments) {
      const settings = ENVIRONMENTS[environment];
      const alerts = arrayAt(budgets.get(stackName(environment)), 'NotificationsWithSubscribers');
      const kinds = alerts.map((alert) => [
        at(alert, 'Notification', 'NotificationType'),
        at(alert, 'Notification', 'Threshold'),
      ]);
      expect(kinds.sort()).toEqual(
        [
          ...settings.budgetActualAlertsPercent.map((percent) => ['ACTUAL', percent]),
          ...settings.budgetForecastAlertsPercent.map((percent) => ['FORECASTED', percent]),
        ].sort(),
      );
      for (const alert of alerts) {
        expect(at(alert, 'Notification', 'ThresholdType')).toBe('PERCENTAGE');
        expect(at(alert, 'Subscribers')).toEqual([
          { SubscriptionType: 'SNS', Address: topicOf(template) },
        ]);
      }
    }
  });

  test('the anomaly monitor watches the Service tag', () => {
    const [, monitor] = only(template, 'AWS::CE::AnomalyMonitor');
    expect(monitor.Properties['MonitorType']).toBe('CUSTOM');
    expect(JSON.parse(textAt(monitor.Properties, 'MonitorSpecification'))).toEqual({
      Tags: { Key: 'Service', Values: [SERVICE_NAME], MatchOptions: ['EQUALS'] },
    });
  });

  test('anomalies above a share of the budgets notify the topic at once', () => {
    const [monitorId] = only(template, 'AWS::CE::AnomalyMonitor');
    const [, subscription] = only(template, 'AWS::CE::AnomalySubscription');
    expect(subscription.Properties['Frequency']).toBe('IMMEDIATE');
    expect(subscription.Properties['MonitorArnList']).toEqual([
      { 'Fn::GetAtt': [monitorId, 'MonitorArn'] },
    ]);
    expect(subscription.Properties['Subscribers']).toEqual([
      { Type: 'SNS', Address: topicOf(template) },
    ]);
    const total = cost.environments.reduce((sum, env) => sum + monthlyBudgetUsd(env), 0);
    const threshold = anomalyThresholdUsd([total]);
    expect(threshold).toBeGreaterThanOrEqual(total * ANOMALY_IMPACT_SHARE);
    expect(threshold).toBeLessThan(total * ANOMALY_IMPACT_SHARE + 1);
    expect(JSON.parse(textAt(subscription.Properties, 'ThresholdExpression'))).toEqual({
      Dimensions: {
        Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
        MatchOptions: ['GREATER_THAN_OR_EQUAL'],
        Values: [String(threshold)],
      },
    });
  });

  test('only Budgets and Cost Anomaly Detection of this account may publish', () => {
    // The stack's account: pinned with aws_accounts, else the deploying credentials'.
    const account = cost.account ?? { Ref: 'AWS::AccountId' };
    const [, policy] = only(template, 'AWS::SNS::TopicPolicy');
    const statements = arrayAt(policy.Properties, 'PolicyDocument', 'Statement');
    expect(statements.filter((s) => at(s, 'Effect') === 'Allow')).toEqual([
      {
        Sid: 'CostAlertsOfThisAccount',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Principal: { Service: ['budgets.amazonaws.com', 'costalerts.amazonaws.com'] },
        Resource: topicOf(template),
        Condition: { StringEquals: { 'aws:SourceAccount': account } },
      },
    ]);
  });

  test('the topic refuses publishing without TLS', () => {
    const [, policy] = only(template, 'AWS::SNS::TopicPolicy');
    const statements = arrayAt(policy.Properties, 'PolicyDocument', 'Statement');
    expect(
      statements.filter((s) => at(s, 'Effect') === 'Deny').map((s) => at(s, 'Condition')),
    ).toEqual([{ Bool: { 'aws:SecureTransport': 'false' } }]);
  });

  test('the topic ARN is an output to subscribe to', () => {
    expect(at(template.toJSON(), 'Outputs', 'CostAlertsTopicArn', 'Value')).toEqual(
      topicOf(template),
    );
  });
});
