"""The CloudWatch dashboard of every environment: its name and link, and what it shows."""

import json
import math
import re
from typing import Any

from aws_cdk.assertions import Template

from infra.contract import REGION
from infra.settings import SERVICE_NAME, STACK_PREFIX

# The sections of the dashboard, in order: one per part of the service this project runs.
SECTIONS = [
    "HTTP API",
    "Api function",
    "Concurrency and cold starts",
    "DynamoDB table",
]
# The namespaces of the metrics the dashboard draws: those of the services it runs, no other.
NAMESPACES = {
    "AWS/ApiGateway",
    "AWS/Lambda",
    # Powertools' metrics of the functions.
    STACK_PREFIX,
    "AWS/DynamoDB",
}


def _dashboard(template: Template) -> dict[str, Any]:
    (dashboard,) = template.find_resources("AWS::CloudWatch::Dashboard").values()
    return dashboard["Properties"]  # type: ignore[no-any-return]


def _token(value: Any) -> str:
    """A token as text: `Id` for a Ref, `Id.Attribute` for a GetAtt, `Fn::Name(arguments)` for
    another function."""
    if isinstance(value, list):
        return ",".join(map(_token, value))
    if not isinstance(value, dict):
        return str(value)
    if "Ref" in value:
        return str(value["Ref"])
    if "Fn::GetAtt" in value:
        logical_id, attribute = value["Fn::GetAtt"]
        return f"{logical_id}.{attribute}"
    ((function, arguments),) = value.items()
    return f"{function}({_token(arguments)})"


def _body(template: Template) -> dict[str, Any]:
    """The dashboard's body, parsed once its tokens are resolved to logical ids."""
    body = _dashboard(template)["DashboardBody"]
    separator, parts = body["Fn::Join"]
    return json.loads(separator.join(map(_token, parts)))  # type: ignore[no-any-return]


def _headers(body: dict[str, Any]) -> list[str]:
    return [
        widget["properties"]["markdown"] for widget in body["widgets"] if widget["type"] == "text"
    ]


def _section(header: str) -> str:
    """A section's name: the bold part of the library's headers, or the whole of our own."""
    bold = re.search(r"\*\*\[?([^\]*]+)", header)
    return bold.group(1) if bold else header.removeprefix("### ")


def _metrics(body: dict[str, Any], title: str | None = None) -> list[dict[str, Any]]:
    """Each metric the body's graphs draw (those titled so): namespace, name, dimensions, stat."""
    metrics = []
    for widget in body["widgets"]:
        properties = widget["properties"]
        if widget["type"] != "metric" or title not in (None, properties.get("title")):
            continue
        for *fields, options in properties["metrics"]:
            if not fields:
                # A math expression of the graph's other metrics.
                continue
            namespace, name, *dimensions = fields
            metrics.append(
                {
                    "namespace": namespace,
                    "name": name,
                    "dimensions": dict(zip(dimensions[::2], dimensions[1::2], strict=True)),
                    "stat": options.get("stat"),
                }
            )
    return metrics


def test_one_dashboard_per_environment_named_after_its_stack(
    service_template: Template, environment: str
) -> None:
    service_template.resource_count_is("AWS::CloudWatch::Dashboard", 1)
    assert _dashboard(service_template)["DashboardName"] == f"{STACK_PREFIX}-{environment}"


def test_the_dashboards_link_is_an_output(service_template: Template, environment: str) -> None:
    outputs = service_template.to_json()["Outputs"]
    links = [output["Value"] for key, output in outputs.items() if key.startswith("DashboardUrl")]
    assert links == [
        f"https://us-east-1.console.aws.amazon.com/cloudwatch/home?region={REGION}"
        f"#dashboards/dashboard/{STACK_PREFIX}-{environment}"
    ]


def test_the_dashboard_opens_with_the_service_and_environment(
    service_template: Template, environment: str
) -> None:
    assert _headers(_body(service_template))[0] == f"# {SERVICE_NAME} in {environment}"


def test_the_dashboard_has_a_section_for_each_part_of_the_service_and_no_other(
    service_template: Template,
) -> None:
    headers = _headers(_body(service_template))[1:]
    assert [_section(header) for header in headers] == SECTIONS


def test_the_dashboard_draws_metrics_of_the_services_of_the_project_only(
    service_template: Template,
) -> None:
    metrics = _metrics(_body(service_template))
    assert {metric["namespace"] for metric in metrics} == NAMESPACES


def test_the_alarm_status_shows_every_alarm_of_the_stack(service_template: Template) -> None:
    # An alarm that skips Monitoring.notify_on pages no one and is missing here.
    (widget,) = [w for w in _body(service_template)["widgets"] if w["type"] == "alarm"]
    alarms = service_template.find_resources("AWS::CloudWatch::Alarm")
    assert alarms
    assert sorted(widget["properties"]["alarms"]) == sorted(f"{alarm}.Arn" for alarm in alarms)
    assert widget["properties"]["title"] == "Alarms"
    # Four alarms to a row of the full width, below the title.
    assert (widget["width"], widget["height"]) == (24, 1 + math.ceil(len(alarms) / 4))


def _service_functions(template: Template) -> list[str]:
    return [
        logical_id
        for logical_id, function in template.find_resources("AWS::Lambda::Function").items()
        if function["Properties"].get("Handler", "").startswith("service.handlers.")
    ]


def test_each_functions_cold_starts_are_counted_as_powertools_records_them(
    service_template: Template,
) -> None:
    functions = _service_functions(service_template)
    assert functions
    cold_starts = _metrics(_body(service_template), "Cold starts")
    assert sorted(cold_starts, key=lambda metric: metric["dimensions"]["function_name"]) == [
        {
            "namespace": STACK_PREFIX,
            "name": "ColdStart",
            "dimensions": {"function_name": function, "service": SERVICE_NAME},
            "stat": "Sum",
        }
        for function in sorted(functions)
    ]


def test_each_functions_concurrent_executions_are_drawn_together(
    service_template: Template,
) -> None:
    concurrency = _metrics(_body(service_template), "Concurrent executions")
    assert sorted(metric["dimensions"]["FunctionName"] for metric in concurrency) == sorted(
        _service_functions(service_template)
    )
    assert {(metric["name"], metric["stat"]) for metric in concurrency} == {
        ("ConcurrentExecutions", "Maximum")
    }
