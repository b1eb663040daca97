"""The API on requests drawn from its own OpenAPI schema, and on mangled ones: never a 5xx.

Each parameter and body is drawn either to fit the schema (so requests reach the routes' code and
the emulator's table) or as arbitrary JSON, text and headers (so they exercise every
refusal); the method is sometimes one the path does not take. Whatever comes in, the answer is
below 500 and, when it is an error, has the common shape. The examples are derandomized and
bounded: the same requests on every run, in a few seconds.
"""

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.handlers.api import app
from tests.api_client import ApiClient, ApiResponse

SCHEMA: dict[str, Any] = json.loads(app.get_openapi_json_schema())
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in sorted(SCHEMA["paths"].items())
    for method, operation in sorted(item.items())
]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
EXAMPLES_PER_OPERATION = 25

# Fixed examples, no example database, no time limit per example (the emulator's first calls are
# slower than the rest).
bounded = settings(
    derandomize=True,
    database=None,
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Any JSON value, numbers of any size included.
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def fitting(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values that fit a schema of the API's: the JSON Schema keywords pydantic writes for it."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return st.deferred(lambda: fitting(SCHEMA["components"]["schemas"][name]))
    if "anyOf" in schema:
        return st.one_of([fitting(choice) for choice in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {name: fitting(properties[name]) for name in sorted(required)},
            optional={name: fitting(p) for name, p in properties.items() if name not in required},
        )
    if kind == "array":
        return st.lists(
            fitting(schema.get("items", {})),
            min_size=schema.get("minItems", 0),
            max_size=min(schema.get("maxItems", 5), 5),
        )
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 40))
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.integers(
            min_value=None if low is None else int(low),
            max_value=None if high is None else int(high),
        )
    if kind == "null":
        return st.none()
    return ANY_JSON


def parameter_values(parameter: dict[str, Any]) -> st.SearchStrategy[str | None]:
    """A fitting value, an arbitrary one, or none at all, as the text a request carries."""
    value = fitting(parameter["schema"]) | ANY_JSON | st.text(max_size=40)
    return st.none() | value.map(lambda v: v if isinstance(v, str) else json.dumps(v))


@st.composite
def requests_for(
    draw: st.DrawFn, method: str, path: str, operation: dict[str, Any]
) -> dict[str, Any]:
    values: dict[str, dict[str, str]] = {"path": {}, "query": {}, "header": {}}
    for parameter in operation.get("parameters", []):
        value = draw(parameter_values(parameter))
        if value is not None:
            values[parameter["in"]][parameter["name"]] = value
    for name, value in values["path"].items():
        path = path.replace("{" + name + "}", value)
    body_schema = (
        operation.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("schema")
    )
    body_values = fitting(body_schema) if body_schema else st.nothing()
    body = draw(st.none() | (body_values | ANY_JSON).map(json.dumps) | st.text(max_size=100))
    content_type = draw(
        st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain"])
    )
    return {
        "method": draw(st.just(method) | st.sampled_from(METHODS)),
        "path": path,
        "body": body,
        "headers": {"Content-Type": content_type, **values["header"]},
        "query": values["query"] or None,
    }


def assert_answered(response: ApiResponse) -> None:
    assert response.status < 500, response.body
    if response.status >= 400:
        assert response.body["statusCode"] == response.status
        assert isinstance(response.body["message"], str)
        assert set(response.body) <= {"statusCode", "message", "detail"}


@pytest.mark.usefixtures("table")
@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
@bounded
@given(data=st.data())
def test_no_request_to_an_operation_gets_a_server_error(
    api: ApiClient, method: str, path: str, operation: dict[str, Any], data: st.DataObject
) -> None:
    request = data.draw(requests_for(method, path, operation))
    assert_answered(api.request(**request))
