"""template/openapi.json.jinja: the document each render with `api` gets, valid and complete.

`make openapi` (scripts/update_openapi.py) writes it from the renders themselves, whose own tests
fail while their copy is stale; this checks, without rendering, that every branch is JSON that
describes exactly the routes of its services, in both languages alike.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import jinja2
import pytest
from conftest import ROOT

TEMPLATE = (ROOT / "template" / "openapi.json.jinja").read_text()
ROUTES = {
    "api": {("get", "/health")},
    "dynamodb": {
        ("get", "/me"),
        ("post", "/me"),
        ("get", "/me/orders"),
        ("post", "/me/orders"),
        ("get", "/me/orders/{order_id}"),
        ("get", "/me/orders/{order_id}/items"),
    },
    "s3": {("post", "/me/files/upload-form"), ("get", "/me/files/download-url")},
}
COMBINATIONS = list(itertools.product(("python", "typescript"), (True, False), (True, False)))


def document(language: str, dynamodb: bool, s3: bool) -> dict[str, Any]:
    environment = jinja2.Environment(
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False
    )
    text = environment.from_string(TEMPLATE).render(
        is_python=language == "python",
        has={"api": True, "dynamodb": dynamodb, "s3": s3},
        service_name="billing-api",
    )
    assert text.endswith("}\n")
    assert "\n\n" not in text
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def operations(parsed: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method, path) for path, item in parsed["paths"].items() for method in item}


@pytest.mark.parametrize(("language", "dynamodb", "s3"), COMBINATIONS)
def test_each_branch_describes_exactly_its_services_routes(
    language: str, dynamodb: bool, s3: bool
) -> None:
    parsed = document(language, dynamodb, s3)
    expected = (
        ROUTES["api"]
        | (ROUTES["dynamodb"] if dynamodb else set())
        | (ROUTES["s3"] if s3 else set())
    )
    assert operations(parsed) == expected
    assert parsed["info"]["title"] == "billing-api"
    assert parsed["paths"]["/health"]["get"]["security"] == []


def _kind(schema: dict[str, Any]) -> Any:
    """What a schema is, in words both languages' generators share: a named schema, or a type.

    An optional value's null is left out: pydantic writes `str | None` as anyOf string or null.
    """
    if "anyOf" in schema:
        kinds = sorted({str(_kind(option)) for option in schema["anyOf"]} - {"null"})
        return kinds[0] if len(kinds) == 1 else kinds
    return schema.get("$ref") or schema.get("type")


def _contract(parsed: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """Per operation: parameters, request body, answers (status and schema) and security."""
    return {
        (method, path): (
            sorted(
                (p["in"], p["name"], p["required"], _kind(p["schema"]))
                for p in operation.get("parameters", [])
            ),
            {
                media: _kind(content["schema"])
                for media, content in operation.get("requestBody", {}).get("content", {}).items()
            },
            {
                status: {
                    media: _kind(content["schema"])
                    for media, content in answer.get("content", {}).items()
                }
                for status, answer in operation["responses"].items()
            },
            operation.get("security", parsed["security"]),
        )
        for path, item in parsed["paths"].items()
        for method, operation in item.items()
    }


@pytest.mark.parametrize(("dynamodb", "s3"), list(itertools.product((True, False), repeat=2)))
def test_both_languages_publish_the_same_contract(dynamodb: bool, s3: bool) -> None:
    python = document("python", dynamodb, s3)
    typescript = document("typescript", dynamodb, s3)
    assert _contract(python) == _contract(typescript)
    assert python["components"]["securitySchemes"] == typescript["components"]["securitySchemes"]
    python_schemas = python["components"]["schemas"]
    for name, schema in typescript["components"]["schemas"].items():
        fields = set(schema.get("properties", {}))
        if name == "ValidationError":
            # Pydantic's problems carry a type besides loc and msg; zod's do not.
            fields.add("type")
        assert fields == set(python_schemas[name].get("properties", {})), name
