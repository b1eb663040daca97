"""The cost stacks: a budget per environment and Cost Anomaly Detection, in COST_REGION."""

from typing import Any

import pytest
from aws_cdk import App, Stack
from aws_cdk.assertions import Template

from infra.contract import REGION
from infra.cost_stack import ANOMALY_IMPACT_SHARE, anomaly_threshold_usd, monthly_budget_usd
from infra.settings import (
    COST_REGION,
    COST_STACKS,
    ENVIRONMENTS,
    MONTHLY_BUDGET_USD,
    SERVICE_NAME,
    CostStack,
    stack_name,
)


@pytest.fixture(params=COST_STACKS, ids=lambda cost: cost.stack_name)
def cost(request: pytest.FixtureRequest) -> CostStack:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def cost_template(templates: dict[str, Template], cost: CostStack) -> Template:
    return templates[cost.stack_name]


def _only(template: Template, resource_type: str) -> tuple[str, dict[str, Any]]:
    [(logical_id, resource)] = template.find_resources(resource_type).items()
    return logical_id, resource["Properties"]


def _topic(template: Template) -> dict[str, str]:
    topic_id, _ = _only(template, "AWS::SNS::Topic")
    return {"Ref": topic_id}


def _budgets(template: Template) -> dict[str, dict[str, Any]]:
    """The budgets of the template, by budget name."""
    return {
        resource["Properties"]["Budget"]["BudgetName"]: resource["Properties"]
        for resource in template.find_resources("AWS::Budgets::Budget").values()
    }


def test_every_account_has_one_cost_stack_in_the_cost_region(service_app: App) -> None:
    cost_stacks = {cost.stack_name for cost in COST_STACKS}
    stacks = {
        child.stack_name: child.region
        for child in service_app.node.children
        if isinstance(child, Stack) and child.stack_name in cost_stacks
    }
    assert stacks == {cost.stack_name: COST_REGION for cost in COST_STACKS}
    assert COST_REGION == "us-east-1"
    assert sorted(env for c in COST_STACKS for env in c.environments) == sorted(ENVIRONMENTS)


def test_the_service_stacks_stay_in_the_project_region(service_app: App) -> None:
    service_stacks = {stack_name(env) for env in ENVIRONMENTS}
    regions = {
        child.region
        for child in service_app.node.children
        if isinstance(child, Stack) and child.stack_name in service_stacks
    }
    assert regions == {REGION}


def test_each_environment_of_the_account_has_a_monthly_cost_budget_of_its_share(
    cost_template: Template, cost: CostStack
) -> None:
    budgets = _budgets(cost_template)
    assert set(budgets) == {stack_name(env) for env in cost.environments}
    for environment in cost.environments:
        budget = budgets[stack_name(environment)]["Budget"]
        expected = MONTHLY_BUDGET_USD * ENVIRONMENTS[environment].monthly_budget_share
        assert budget["BudgetLimit"] == {"Amount": pytest.approx(expected), "Unit": "USD"}
        assert (budget["BudgetType"], budget["TimeUnit"]) == ("COST", "MONTHLY")


def test_a_budget_counts_the_costs_tagged_with_the_service_and_its_environment_only(
    cost_template: Template, cost: CostStack
) -> None:
    budgets = _budgets(cost_template)
    for environment in cost.environments:
        budget = budgets[stack_name(environment)]["Budget"]
        # And, not Or: another service's resources in the same environment are not counted.
        assert budget["FilterExpression"] == {
            "And": [
                {"Tags": {"Key": "Service", "Values": [SERVICE_NAME], "MatchOptions": ["EQUALS"]}},
                {"Tags": {"Key": "Env", "Values": [environment], "MatchOptions": ["EQUALS"]}},
            ]
        }
        assert "CostFilters" not in budget


def test_budgets_alert_the_topic_at_the_environments_thresholds(
    cost_template: Template, cost: CostStack
) -> None:
    topic = _topic(cost_template)
    budgets = _budgets(cost_template)
    for environment in cost.environments:
        settings = ENVIRONMENTS[environment]
        alerts = budgets[stack_name(environment)]["NotificationsWithSubscribers"]
        assert sorted(
            (a["Notification"]["NotificationType"], a["Notification"]["Threshold"]) for a in alerts
        ) == sorted(
            [("ACTUAL", p) for p in settings.budget_actual_alerts_percent]
            + [("FORECASTED", p) for p in settings.budget_forecast_alerts_percent]
        )
        for alert in alerts:
            assert alert["Notification"]["ThresholdType"] == "PERCENTAGE"
            assert alert["Subscribers"] == [{"SubscriptionType": "SNS", "Address": topic}]


def test_prod_alerts_before_its_budget_is_spent_and_dev_alerts_later() -> None:
    # A forecast alert at 100% in prod leaves time to act; dev tolerates more.
    if "prod" in ENVIRONMENTS:
        assert min(ENVIRONMENTS["prod"].budget_actual_alerts_percent) < 100
        assert ENVIRONMENTS["prod"].budget_forecast_alerts_percent == (100,)
    if "dev" in ENVIRONMENTS:
        assert min(ENVIRONMENTS["dev"].budget_forecast_alerts_percent) > 100


def test_the_anomaly_monitor_watches_the_service_tag(cost_template: Template) -> None:
    _, monitor = _only(cost_template, "AWS::CE::AnomalyMonitor")
    assert monitor["MonitorType"] == "CUSTOM"
    assert monitor["MonitorSpecification"] == (
        '{"Tags":{"Key":"Service","Values":["' + SERVICE_NAME + '"],"MatchOptions":["EQUALS"]}}'
    )


def test_anomalies_above_a_share_of_the_budgets_notify_the_topic_at_once(
    cost_template: Template, cost: CostStack
) -> None:
    monitor_id, _ = _only(cost_template, "AWS::CE::AnomalyMonitor")
    _, subscription = _only(cost_template, "AWS::CE::AnomalySubscription")
    assert subscription["Frequency"] == "IMMEDIATE"
    assert subscription["MonitorArnList"] == [{"Fn::GetAtt": [monitor_id, "MonitorArn"]}]
    assert subscription["Subscribers"] == [{"Type": "SNS", "Address": _topic(cost_template)}]
    total = sum(monthly_budget_usd(env) for env in cost.environments)
    threshold = anomaly_threshold_usd([total])
    assert total * ANOMALY_IMPACT_SHARE <= threshold < total * ANOMALY_IMPACT_SHARE + 1
    assert subscription["ThresholdExpression"] == (
        '{"Dimensions":{"Key":"ANOMALY_TOTAL_IMPACT_ABSOLUTE",'
        f'"MatchOptions":["GREATER_THAN_OR_EQUAL"],"Values":["{threshold}"]}}}}'
    )


@pytest.mark.parametrize(
    ("monthly_budgets", "threshold"), [([25, 50, 100], 18), ([1000], 100), ([0.5], 1), ([], 1)]
)
def test_the_anomaly_threshold_is_a_share_of_the_budgets_and_never_below_a_dollar(
    monthly_budgets: list[float], threshold: int
) -> None:
    assert anomaly_threshold_usd(monthly_budgets) == threshold


def test_only_budgets_and_cost_anomaly_detection_of_this_account_may_publish(
    cost_template: Template, cost: CostStack
) -> None:
    # The stack's account: pinned with aws_accounts, else the deploying credentials'.
    account = cost.account or {"Ref": "AWS::AccountId"}
    _, policy = _only(cost_template, "AWS::SNS::TopicPolicy")
    allowed = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Allow"]
    assert allowed == [
        {
            "Sid": "CostAlertsOfThisAccount",
            "Effect": "Allow",
            "Action": "sns:Publish",
            "Principal": {"Service": ["budgets.amazonaws.com", "costalerts.amazonaws.com"]},
            "Resource": _topic(cost_template),
            "Condition": {"StringEquals": {"aws:SourceAccount": account}},
        }
    ]


def test_the_topic_refuses_publishing_without_tls(cost_template: Template) -> None:
    _, policy = _only(cost_template, "AWS::SNS::TopicPolicy")
    denied = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert [s["Condition"] for s in denied] == [{"Bool": {"aws:SecureTransport": "false"}}]


def test_the_topic_arn_is_an_output_to_subscribe_to(cost_template: Template) -> None:
    outputs = cost_template.to_json()["Outputs"]
    assert outputs["CostAlertsTopicArn"]["Value"] == _topic(cost_template)
