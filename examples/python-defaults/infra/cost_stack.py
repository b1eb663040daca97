"""What the service may cost: budgets and Cost Anomaly Detection, per AWS account.

One cost stack per account, in COST_REGION whatever the service's region (AWS Budgets and Cost
Explorer keep their resources there). It holds:

- an SNS topic that AWS Budgets and Cost Anomaly Detection publish to, on behalf of this account
  only; the team subscribes to it (its ARN is the stack's output `CostAlertsTopicArn`);
- a Cost Explorer anomaly monitor of the costs tagged `Service=<service>`, and a subscription that
  sends the topic, at once, every anomaly whose total impact reaches ANOMALY_IMPACT_SHARE of the
  account's monthly budgets;
- for each environment in the account, a monthly cost budget of the resources tagged with the
  service and the environment, alerting on actual and forecast spend at the environment's
  thresholds (infra/settings.py).

Budgets and monitors see tagged costs only once the payer account has activated `Service` and
`Env` as cost-allocation tags (see the README).
"""

import json
import math
from collections.abc import Iterable
from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_budgets as budgets
from aws_cdk import aws_ce as ce
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sns as sns
from constructs import Construct

from infra.compliance import acknowledge
from infra.settings import ENVIRONMENTS, MONTHLY_BUDGET_USD, SERVICE_NAME, stack_name

# An anomaly is worth a notification once its total impact reaches this share of the account's
# monthly budgets; smaller ones are left to the budgets' own alerts.
ANOMALY_IMPACT_SHARE = 0.1
# The services that publish to the topic: AWS Budgets and Cost Anomaly Detection.
PUBLISHERS = ("budgets.amazonaws.com", "costalerts.amazonaws.com")


def monthly_budget_usd(environment: str) -> float:
    """The environment's monthly budget: its share of prod's, to the cent."""
    return round(MONTHLY_BUDGET_USD * ENVIRONMENTS[environment].monthly_budget_share, 2)


def anomaly_threshold_usd(monthly_budgets: Iterable[float]) -> int:
    """The total impact, in whole dollars, from which an anomaly of these budgets' costs notifies."""
    return max(1, math.ceil(sum(monthly_budgets) * ANOMALY_IMPACT_SHARE))


def _compact(value: object) -> str:
    """JSON as Cost Explorer takes it in a string property, without spaces."""
    return json.dumps(value, separators=(",", ":"))


def _tag_is(key: str, value: str) -> budgets.CfnBudget.ExpressionProperty:
    return budgets.CfnBudget.ExpressionProperty(
        tags=budgets.CfnBudget.TagValuesProperty(key=key, values=[value], match_options=["EQUALS"])
    )


class CostStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        environments: tuple[str, ...],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.topic = sns.Topic(
            self, "CostAlerts", display_name=f"{SERVICE_NAME} cost alerts", enforce_ssl=True
        )
        acknowledge(
            self.topic,
            "AwsSolutions-SNS2",
            (
                "Budget and anomaly alerts carry spend figures and service names, no customer "
                "data. AWS Budgets and Cost Anomaly Detection cannot publish to a topic encrypted "
                "with the AWS managed SNS key, and a customer managed key would need a key policy "
                "granting kms:* to the account."
            ),
        )
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CostAlertsOfThisAccount",
                actions=["sns:Publish"],
                principals=[iam.ServicePrincipal(publisher) for publisher in PUBLISHERS],
                resources=[self.topic.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": self.account}},
            )
        )
        self._anomaly_detection(environments)
        for environment in environments:
            self._budget(environment)
        CfnOutput(
            self,
            "CostAlertsTopicArn",
            value=self.topic.topic_arn,
            description="Subscribe the team to budget and cost anomaly alerts here",
        )

    def _anomaly_detection(self, environments: tuple[str, ...]) -> None:
        monitor = ce.CfnAnomalyMonitor(
            self,
            "AnomalyMonitor",
            monitor_name=SERVICE_NAME,
            monitor_type="CUSTOM",
            monitor_specification=_compact(
                {"Tags": {"Key": "Service", "Values": [SERVICE_NAME], "MatchOptions": ["EQUALS"]}}
            ),
        )
        ce.CfnAnomalySubscription(
            self,
            "AnomalySubscription",
            subscription_name=SERVICE_NAME,
            frequency="IMMEDIATE",
            monitor_arn_list=[monitor.attr_monitor_arn],
            subscribers=[
                ce.CfnAnomalySubscription.SubscriberProperty(
                    type="SNS", address=self.topic.topic_arn
                )
            ],
            threshold_expression=_compact(
                {
                    "Dimensions": {
                        "Key": "ANOMALY_TOTAL_IMPACT_ABSOLUTE",
                        "MatchOptions": ["GREATER_THAN_OR_EQUAL"],
                        "Values": [
                            str(anomaly_threshold_usd(map(monthly_budget_usd, environments)))
                        ],
                    }
                }
            ),
        )

    def _budget(self, environment: str) -> None:
        settings = ENVIRONMENTS[environment]
        alerts = [
            *(("ACTUAL", percent) for percent in settings.budget_actual_alerts_percent),
            *(("FORECASTED", percent) for percent in settings.budget_forecast_alerts_percent),
        ]
        budgets.CfnBudget(
            self,
            f"Budget{environment.capitalize()}",
            budget=budgets.CfnBudget.BudgetDataProperty(
                budget_name=stack_name(environment),
                budget_type="COST",
                time_unit="MONTHLY",
                budget_limit=budgets.CfnBudget.SpendProperty(
                    amount=monthly_budget_usd(environment), unit="USD"
                ),
                # Both tags at once: the legacy CostFilters would match either.
                filter_expression=budgets.CfnBudget.ExpressionProperty(
                    and_=[_tag_is("Service", SERVICE_NAME), _tag_is("Env", environment)]
                ),
            ),
            notifications_with_subscribers=[
                budgets.CfnBudget.NotificationWithSubscribersProperty(
                    notification=budgets.CfnBudget.NotificationProperty(
                        notification_type=kind,
                        comparison_operator="GREATER_THAN",
                        threshold=percent,
                        threshold_type="PERCENTAGE",
                    ),
                    subscribers=[
                        budgets.CfnBudget.SubscriberProperty(
                            subscription_type="SNS", address=self.topic.topic_arn
                        )
                    ],
                )
                for kind, percent in alerts
            ],
        )
