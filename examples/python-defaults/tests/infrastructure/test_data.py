"""The table in every environment: keys, indexes, expiry, billing, recovery, protection
and alarms."""

from collections.abc import Mapping
from typing import Any

import pytest
from aws_cdk import RemovalPolicy
from aws_cdk.assertions import Match, Template

from infra.contract import (
    GSI1,
    GSI1_PARTITION_KEY,
    GSI1_SORT_KEY,
    GSI2,
    GSI2_PARTITION_KEY,
    GSI2_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
    TTL_ATTRIBUTE,
)
from infra.settings import ENVIRONMENTS
from service.settings import EnvironmentVariables


def _table(template: Template) -> Mapping[str, Any]:
    (table,) = template.find_resources("AWS::DynamoDB::GlobalTable").values()
    return table


def _replica(template: Template) -> dict[str, Any]:
    (replica,) = _table(template)["Properties"]["Replicas"]
    return replica  # type: ignore[no-any-return]


def test_table_is_keyed_by_pk_and_sk_with_two_indexes(service_template: Template) -> None:
    properties = _table(service_template)["Properties"]
    assert properties["KeySchema"] == [
        {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
        {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
    ]
    indexes = {index["IndexName"]: index for index in properties["GlobalSecondaryIndexes"]}
    assert set(indexes) == {GSI1, GSI2}
    for name, partition_key, sort_key in (
        (GSI1, GSI1_PARTITION_KEY, GSI1_SORT_KEY),
        (GSI2, GSI2_PARTITION_KEY, GSI2_SORT_KEY),
    ):
        assert indexes[name]["KeySchema"] == [
            {"AttributeName": partition_key, "KeyType": "HASH"},
            {"AttributeName": sort_key, "KeyType": "RANGE"},
        ]
        assert indexes[name]["Projection"] == {"ProjectionType": "ALL"}
    assert {a["AttributeType"] for a in properties["AttributeDefinitions"]} == {"S"}


def test_items_expire_through_their_ttl_attribute(service_template: Template) -> None:
    assert _table(service_template)["Properties"]["TimeToLiveSpecification"] == {
        "AttributeName": TTL_ATTRIBUTE,
        "Enabled": True,
    }


def test_table_is_billed_per_request(service_template: Template) -> None:
    assert _table(service_template)["Properties"]["BillingMode"] == "PAY_PER_REQUEST"


def test_table_has_no_stream_without_events_to_publish(service_template: Template) -> None:
    assert "StreamSpecification" not in _table(service_template)["Properties"]


def test_point_in_time_recovery_follows_the_environment(
    service_template: Template, environment: str
) -> None:
    assert _replica(service_template)["PointInTimeRecoverySpecification"] == {
        "PointInTimeRecoveryEnabled": ENVIRONMENTS[environment].point_in_time_recovery
    }


def test_deletion_protection_follows_the_environment(
    service_template: Template, environment: str
) -> None:
    expected = ENVIRONMENTS[environment].deletion_protection
    assert _replica(service_template)["DeletionProtectionEnabled"] is expected


def test_table_outlives_the_stack_where_the_environment_retains_data(
    service_template: Template, environment: str
) -> None:
    retained = ENVIRONMENTS[environment].removal_policy == RemovalPolicy.RETAIN
    table = _table(service_template)
    assert (
        table["DeletionPolicy"]
        == table["UpdateReplacePolicy"]
        == ("Retain" if retained else "Delete")
    )


@pytest.mark.parametrize("metric", ["ThrottledRequests", "SystemErrors"])
def test_throttles_and_server_errors_alarm_the_on_call_topic(
    service_template: Template, metric: str
) -> None:
    (table_id,) = service_template.find_resources("AWS::DynamoDB::GlobalTable")
    (topic_id,) = service_template.find_resources("AWS::SNS::Topic")
    service_template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "AlarmActions": [{"Ref": topic_id}],
            "Metrics": Match.array_with(
                [
                    Match.object_like(
                        {
                            "MetricStat": Match.object_like(
                                {
                                    "Metric": Match.object_like(
                                        {
                                            "MetricName": metric,
                                            "Dimensions": Match.array_with(
                                                [{"Name": "TableName", "Value": {"Ref": table_id}}]
                                            ),
                                        }
                                    )
                                }
                            )
                        }
                    )
                ]
            ),
        },
    )


def _api_role_statements(template: Template) -> list[dict[str, Any]]:
    policies = template.find_resources(
        "AWS::IAM::Policy",
        {"Properties": {"Roles": [{"Ref": Match.string_like_regexp("^ApiHandlerRole")}]}},
    )
    (policy,) = policies.values()
    return policy["Properties"]["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def test_api_function_reads_and_writes_items_and_queries_gsi1_but_never_scans(
    service_template: Template,
) -> None:
    (table_id,) = service_template.find_resources("AWS::DynamoDB::GlobalTable")
    table_arn = {"Fn::GetAtt": [table_id, "Arn"]}
    statements = [
        statement
        for statement in _api_role_statements(service_template)
        if "dynamodb:" in str(statement["Action"])
    ]
    assert statements == [
        {
            "Action": [
                "dynamodb:DeleteItem",
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:Query",
                "dynamodb:UpdateItem",
            ],
            "Effect": "Allow",
            "Resource": table_arn,
        },
        {
            "Action": "dynamodb:Query",
            "Effect": "Allow",
            "Resource": {"Fn::Join": ["", [table_arn, f"/index/{GSI1}"]]},
        },
    ]


def test_api_function_is_told_the_table_name(service_template: Template) -> None:
    (table_id,) = service_template.find_resources("AWS::DynamoDB::GlobalTable")
    service_template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": "service.handlers.api.handler",
            "Environment": {"Variables": {EnvironmentVariables.TABLE_NAME: {"Ref": table_id}}},
        },
    )
