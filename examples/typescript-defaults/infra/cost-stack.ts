/**
 * What the service may cost: budgets and Cost Anomaly Detection, per AWS account.
 *
 * One cost stack per account, in COST_REGION whatever the service's region (AWS Budgets and Cost
 * Explorer keep their resources there). It holds:
 *
 * - an SNS topic that AWS Budgets and Cost Anomaly Detection publish to, on behalf of this account
 *   only; the team subscribes to it (its ARN is the stack's output `CostAlertsTopicArn`);
 * - a Cost Explorer anomaly monitor of the costs tagged `Service=<service>`, and a subscription
 *   that sends the topic, at once, every anomaly whose total impact reaches ANOMALY_IMPACT_SHARE
 *   of the account's monthly budgets;
 * - for each environment in the account, a monthly cost budget of the resources tagged with the
 *   service and the environment, alerting on actual and forecast spend at the environment's
 *   thresholds (infra/settings.ts).
 *
 * Budgets and monitors see tagged costs only once the payer account has activated `Service` and
 * `Env` as cost-allocation tags (see the README).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { CfnAnomalyMonitor, CfnAnomalySubscription } from 'aws-cdk-lib/aws-ce';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

import { acknowledge } from './compliance';
import {
  ENVIRONMENTS,
  MONTHLY_BUDGET_USD,
  SERVICE_NAME,
  stackName,
  type EnvironmentName,
} from './settings';

// An anomaly is worth a notification once its total impact reaches this share of the account's
// monthly budgets; smaller ones are left to the budgets' own alerts.
export const ANOMALY_IMPACT_SHARE = 0.1;
// The services that publish to the topic: AWS Budgets and Cost Anomaly Detection.
const PUBLISHERS = ['budgets.amazonaws.com', 'costalerts.amazonaws.com'] as const;

/** The environment's monthly budget: its share of prod's, to the cent. */
export function monthlyBudgetUsd(environment: EnvironmentName): number {
  return Math.round(MONTHLY_BUDGET_USD * ENVIRONMENTS[environment].monthlyBudgetShare * 100) / 100;
}

/** The total impact, in whole dollars, from which an anomaly of these budgets' costs notifies. */
export function anomalyThresholdUsd(monthlyBudgets: readonly number[]): number {
  const total = monthlyBudgets.reduce((sum, budget) => sum + budget, 0);
  return Math.max(1, Math.ceil(total * ANOMALY_IMPACT_SHARE));
}

function tagIs(key: string, value: string): CfnBudget.ExpressionProperty {
  return { tags: { key, values: [value], matchOptions: ['EQUALS'] } };
}

export interface CostStackProps extends StackProps {
  /** The environments of the account whose budgets this stack holds. */
  readonly environments: readonly EnvironmentName[];
}

export class CostStack extends Stack {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, { environments, ...props }: CostStackProps) {
    super(scope, id, props);
    this.topic = new Topic(this, 'CostAlerts', {
      displayName: `${SERVICE_NAME} cost alerts`,
      enforceSSL: true,
    });
    acknowledge(
      this.topic,
      'AwsSolutions-SNS2',
      'Budget and anomaly alerts carry spend figures and service names, no customer data. AWS ' +
        'Budgets and Cost Anomaly Detection cannot publish to a topic encrypted with the AWS ' +
        'managed SNS key, and a customer managed key would need a key policy granting kms:* to ' +
        'the account.',
    );
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CostAlertsOfThisAccount',
        actions: ['sns:Publish'],
        principals: PUBLISHERS.map((publisher) => new ServicePrincipal(publisher)),
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.anomalyDetection(environments);
    for (const environment of environments) {
      this.budget(environment);
    }
    new CfnOutput(this, 'CostAlertsTopicArn', {
      value: this.topic.topicArn,
      description: 'Subscribe the team to budget and cost anomaly alerts here',
    });
  }

  private anomalyDetection(environments: readonly EnvironmentName[]): void {
    const monitor = new CfnAnomalyMonitor(this, 'AnomalyMonitor', {
      monitorName: SERVICE_NAME,
      monitorType: 'CUSTOM',
      monitorSpecification: JSON.stringify({
        Tags: { Key: 'Service', Values: [SERVICE_NAME], MatchOptions: ['EQUALS'] },
      }),
    });
    new CfnAnomalySubscription(this, 'AnomalySubscription', {
      subscriptionName: SERVICE_NAME,
      frequency: 'IMMEDIATE',
      monitorArnList: [monitor.attrMonitorArn],
      subscribers: [{ type: 'SNS', address: this.topic.topicArn }],
      thresholdExpression: JSON.stringify({
        Dimensions: {
          Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
          MatchOptions: ['GREATER_THAN_OR_EQUAL'],
          Values: [String(anomalyThresholdUsd(environments.map(monthlyBudgetUsd)))],
        },
      }),
    });
  }

  private budget(environment: EnvironmentName): void {
    const settings = ENVIRONMENTS[environment];
    const alerts = [
      ...settings.budgetActualAlertsPercent.map((percent) => ['ACTUAL', percent] as const),
      ...settings.budgetForecastAlertsPercent.map((percent) => ['FORECASTED', percent] as const),
    ];
    new CfnBudget(this, `Budget${environment.charAt(0).toUpperCase()}${environment.slice(1)}`, {
      budget: {
        budgetName: stackName(environment),
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: monthlyBudgetUsd(environment), unit: 'USD' },
        // Both tags at once: the legacy CostFilters would match either.
        filterExpression: { and: [tagIs('Service', SERVICE_NAME), tagIs('Env', environment)] },
      },
      notificationsWithSubscribers: alerts.map(([notificationType, threshold]) => ({
        notification: {
          notificationType,
          comparisonOperator: 'GREATER_THAN',
          threshold,
          thresholdType: 'PERCENTAGE',
        },
        subscribers: [{ subscriptionType: 'SNS', address: this.topic.topicArn }],
      })),
    });
  }
}
