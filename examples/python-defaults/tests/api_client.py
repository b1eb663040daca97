"""Drives the API's Lambda handler with the events API Gateway sends it, as a test client.

In AWS, the HTTP API's JWT authorizer verifies the caller's token and puts its claims in the
event; the client plays that part: signed in as a user, it sends their claims, and signed out
(`as_user(None)`), none.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.lambda_context import FakeLambdaContext


@dataclass(frozen=True)
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: Any


# Where the test tokens come from, as the authorizer passes it on.
ISSUER = "https://issuer.example.com"


class ApiClient:
    """Calls the API's handler with the events API Gateway sends it (HTTP API, payload 2.0)."""

    def __init__(
        self,
        handler: Callable[[dict[str, Any], Any], dict[str, Any]],
        *,
        user_id: str | None = None,
    ) -> None:
        self._handler = handler
        self.user_id = user_id

    def as_user(self, user_id: str | None) -> "ApiClient":
        """The same API, called by another user (their token's `sub`), or by nobody (None)."""
        return ApiClient(self._handler, user_id=user_id)

    def get(self, path: str, *, query: dict[str, str] | None = None) -> ApiResponse:
        return self.request("GET", path, query=query)

    def post(
        self,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        request_id: str | None = None,
    ) -> ApiResponse:
        raw = body if isinstance(body, str) or body is None else json.dumps(body)
        return self.request("POST", path, body=raw, headers=headers, request_id=request_id)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        query: dict[str, str] | None = None,
        base64_encoded: bool = False,
        request_id: str | None = None,
    ) -> ApiResponse:
        """One request; API Gateway gives each its own id (the API's correlation id)."""
        event = _http_api_event(method, path, body, headers, query)
        event["requestContext"]["requestId"] = request_id or str(uuid.uuid4())
        event["isBase64Encoded"] = base64_encoded
        if self.user_id is not None:
            event["requestContext"]["authorizer"] = {"jwt": _claims(self.user_id)}
        result = self._handler(event, FakeLambdaContext(function_name="orders-service-api"))
        raw = result.get("body") or "null"
        return ApiResponse(
            status=result["statusCode"], headers=result.get("headers", {}), body=json.loads(raw)
        )


def _http_api_event(
    method: str,
    path: str,
    body: str | None,
    headers: dict[str, str] | None,
    query: dict[str, str] | None,
) -> dict[str, Any]:
    # API Gateway lower-cases header names in payload 2.0 events.
    all_headers = {"content-type": "application/json", **(headers or {})}
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": urlencode(query or {}),
        "headers": {name.lower(): value for name, value in all_headers.items()},
        "queryStringParameters": query,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api",
            "domainName": "api.execute-api.us-east-1.amazonaws.com",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.1",
                "userAgent": "pytest",
            },
            "routeKey": "$default",
            "stage": "$default",
            "time": "27/Nov/2026:12:00:00 +0000",
            "timeEpoch": 1795780800000,
        },
        "body": body,
        "isBase64Encoded": False,
    }


def _claims(user_id: str) -> dict[str, Any]:
    """What the JWT authorizer passes on from a verified access token: its claims and scopes."""
    return {
        "claims": {
            "sub": user_id,
            "iss": ISSUER,
            "client_id": "test-client",
            "token_use": "access",
            "iat": "1795780000",
            "exp": "1795783600",
        },
        "scopes": None,
    }
