"""The HTTP API in every environment: sign-in, routing, warm instances, throttling, access logs,
CORS, alarms."""

import json
from collections.abc import Mapping
from typing import Any

from aws_cdk.assertions import Template

from infra.settings import ALLOWED_ORIGINS, ENVIRONMENTS

HANDLER = "service.handlers.api.handler"


def _only(template: Template, resource_type: str) -> tuple[str, Mapping[str, Any]]:
    resources = template.find_resources(resource_type)
    assert len(resources) == 1, f"expected one {resource_type}, found {list(resources)}"
    return next(iter(resources.items()))


def _api_function_id(template: Template) -> str:
    functions = template.find_resources(
        "AWS::Lambda::Function", {"Properties": {"Handler": HANDLER}}
    )
    assert len(functions) == 1
    return next(iter(functions))


def test_function_is_arm64_with_a_short_timeout_and_reserved_concurrency(
    service_template: Template, environment: str
) -> None:
    service_template.has_resource_properties(
        "AWS::Lambda::Function",
        {
            "Handler": HANDLER,
            "Architectures": ["arm64"],
            "Timeout": 6,
            "ReservedConcurrentExecutions": ENVIRONMENTS[environment].reserved_concurrency,
        },
    )


def _routes(template: Template) -> dict[str, Mapping[str, Any]]:
    return {
        route["Properties"]["RouteKey"]: route["Properties"]
        for route in template.find_resources("AWS::ApiGatewayV2::Route").values()
    }


def test_every_request_goes_to_the_function(service_template: Template) -> None:
    integration_id, _ = _only(service_template, "AWS::ApiGatewayV2::Integration")
    routes = _routes(service_template)
    assert set(routes) == {"$default", "GET /health"}
    for route in routes.values():
        assert route["Target"] == {"Fn::Join": ["", ["integrations/", {"Ref": integration_id}]]}


def test_every_route_but_health_needs_a_token_the_authorizer_verifies(
    service_template: Template,
) -> None:
    authorizer_id, _ = _only(service_template, "AWS::ApiGatewayV2::Authorizer")
    for key, route in _routes(service_template).items():
        if key == "GET /health":
            assert route.get("AuthorizationType", "NONE") == "NONE", key
            assert "AuthorizerId" not in route, key
        else:
            assert route["AuthorizationType"] == "JWT", key
            assert route["AuthorizerId"] == {"Ref": authorizer_id}, key


def test_the_authorizer_admits_tokens_of_the_environments_user_pool_and_client_only(
    service_template: Template,
) -> None:
    pool_id, _ = _only(service_template, "AWS::Cognito::UserPool")
    client_id, _ = _only(service_template, "AWS::Cognito::UserPoolClient")
    _, authorizer = _only(service_template, "AWS::ApiGatewayV2::Authorizer")
    properties = authorizer["Properties"]
    assert properties["IdentitySource"] == ["$request.header.Authorization"]
    assert properties["JwtConfiguration"]["Audience"] == [{"Ref": client_id}]
    issuer = json.dumps(properties["JwtConfiguration"]["Issuer"])
    assert "cognito-idp" in issuer
    assert pool_id in issuer


def test_live_alias_keeps_instances_warm_where_the_environment_asks_for_it(
    service_template: Template, environment: str
) -> None:
    provisioned = ENVIRONMENTS[environment].provisioned_concurrency
    aliases = service_template.find_resources("AWS::Lambda::Alias")
    if not provisioned:
        assert aliases == {}
        return
    (alias,) = aliases.values()
    assert alias["Properties"]["Name"] == "live"
    assert alias["Properties"]["ProvisionedConcurrencyConfig"] == {
        "ProvisionedConcurrentExecutions": provisioned
    }


def test_api_calls_the_live_alias_where_there_is_one(
    service_template: Template, environment: str
) -> None:
    _, integration = _only(service_template, "AWS::ApiGatewayV2::Integration")
    target = integration["Properties"]["IntegrationUri"]
    if ENVIRONMENTS[environment].provisioned_concurrency:
        alias_id, _ = _only(service_template, "AWS::Lambda::Alias")
        assert target == {"Ref": alias_id}
    else:
        assert target == {"Fn::GetAtt": [_api_function_id(service_template), "Arn"]}


def test_stage_throttles_requests(service_template: Template, environment: str) -> None:
    settings = ENVIRONMENTS[environment]
    service_template.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {
            "StageName": "$default",
            "DefaultRouteSettings": {
                "ThrottlingRateLimit": settings.api_throttle_rate_limit,
                "ThrottlingBurstLimit": settings.api_throttle_burst_limit,
            },
        },
    )


def test_access_logs_are_kept_as_long_as_the_environment_says(
    service_template: Template, environment: str
) -> None:
    _, stage = _only(service_template, "AWS::ApiGatewayV2::Stage")
    log_group_id = stage["Properties"]["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]
    log_group = service_template.to_json()["Resources"][log_group_id]
    retention_days = ENVIRONMENTS[environment].log_retention_days
    assert log_group["Properties"]["RetentionInDays"] == retention_days


def test_access_log_lines_are_json_with_the_request_id_and_status(
    service_template: Template,
) -> None:
    _, stage = _only(service_template, "AWS::ApiGatewayV2::Stage")
    line = json.loads(stage["Properties"]["AccessLogSettings"]["Format"])
    assert line["requestId"] == "$context.requestId"
    assert line["status"] == "$context.status"


def test_cors_admits_only_the_allowed_origins(service_template: Template) -> None:
    _, api = _only(service_template, "AWS::ApiGatewayV2::Api")
    assert api["Properties"]["CorsConfiguration"]["AllowOrigins"] == ALLOWED_ORIGINS


def test_server_errors_alarm_the_on_call_topic(
    service_template: Template, environment: str
) -> None:
    topic_id, _ = _only(service_template, "AWS::SNS::Topic")
    service_template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/ApiGateway",
            "MetricName": "5xx",
            "Threshold": ENVIRONMENTS[environment].alarm_error_threshold,
            "AlarmActions": [{"Ref": topic_id}],
        },
    )
