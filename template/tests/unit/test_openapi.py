"""openapi.json, the API's published contract, is what the resolver describes today."""

import json
from typing import Any

from scripts.openapi import BEARER, DOCUMENT, PUBLIC_OPERATIONS, document


def test_the_committed_document_is_up_to_date() -> None:
    committed = DOCUMENT.read_text() if DOCUMENT.exists() else ""
    assert document() == committed, (
        "openapi.json does not describe the API's routes as they are: run `make openapi` and "
        "commit the file"
    )


def test_every_operation_but_the_public_ones_needs_a_token() -> None:
    schema: dict[str, Any] = json.loads(document())
    assert schema["security"] == [{BEARER: []}]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            public = (path, method) in PUBLIC_OPERATIONS
            # An operation without its own `security` inherits the document's.
            assert ("security" in operation and operation["security"] == []) is public, (
                method,
                path,
            )
