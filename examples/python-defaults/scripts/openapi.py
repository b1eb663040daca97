"""Write openapi.json, the API's OpenAPI document, from the Powertools resolver that serves it.

    make openapi

The document is generated, never edited: the routes' type hints and models are its source, and
tests/unit/test_openapi.py fails when the committed file is not what this writes. Generating it
needs no AWS account: the API's module is imported with placeholder settings, and no request runs.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = ROOT / "openapi.json"
# API Gateway verifies a JWT on every route but these (infra/constructs/api.py).
PUBLIC_OPERATIONS = {("/health", "get")}
BEARER = "bearerAuth"
# The body of a 422 as the API answers it (api.py's invalid_request): statusCode and message, as
# every error, and each problem's location, type and message. Powertools describes its own body.
ERROR_SCHEMAS = {
    "HTTPValidationError": {
        "properties": {
            "statusCode": {"type": "integer"},
            "message": {"type": "string"},
            "detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array"},
        },
        "required": ["statusCode", "message", "detail"],
        "title": "HTTPValidationError",
        "type": "object",
    },
    "ValidationError": {
        "properties": {
            "loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array"},
            "type": {"type": "string"},
            "msg": {"type": "string"},
        },
        "required": ["loc", "type", "msg"],
        "title": "ValidationError",
        "type": "object",
    },
}


def document() -> str:
    """The document as openapi.json holds it: sorted keys, two-space indents, a final newline."""
    # The SDK clients the routes create at import need a region, and their settings a value each.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from service.settings import EnvironmentVariables

    for name, variable in vars(EnvironmentVariables).items():
        if not name.startswith("_"):
            os.environ.setdefault(variable, "1")

    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    from service.handlers.api import app

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    schema = json.loads(
        app.get_openapi_json_schema(
            title=project["name"],
            version=project["version"],
            security_schemes={
                BEARER: HTTPBearer(
                    bearerFormat="JWT",
                    description=(
                        "An access token from the API's identity provider, which API Gateway "
                        "verifies before the function runs; its subject is the caller's user id."
                    ),
                )
            },
            security=[{BEARER: []}],
        )
    )
    # Powertools applies the document's security to every operation; the public ones opt out.
    for path, method in PUBLIC_OPERATIONS:
        schema["paths"][path][method]["security"] = []
    schema["components"]["schemas"].update(ERROR_SCHEMAS)
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def main() -> None:
    DOCUMENT.write_text(document())
    print(f"wrote {DOCUMENT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
