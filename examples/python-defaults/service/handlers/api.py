"""Entry point of the HTTP API: Powertools routes each request to the router that owns its path.

Bodies, path and query parameters are validated against the routes' type hints: a request that
does not fit is answered with a 4xx saying what is wrong, before any route code runs.
"""

import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from service.handlers.request_body import UndecodableBodyError, parse_json_object, text_body
from service.handlers.routes import health, orders, users
from service.logic.errors import ConflictError, NotFoundError

logger = Logger()
# Traces AWS SDK calls; patching only botocore spares importing libraries the function never uses.
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()

# Bodies are parsed within limits (request_body.py): no client input can crash the function.
app = APIGatewayHttpResolver(enable_validation=True, json_body_deserializer=parse_json_object)
app.include_router(health.router)
app.include_router(users.router)
app.include_router(orders.router)


# Every error the API answers has one shape: {"statusCode": ..., "message": ...}, plus "detail"
# (a list of problems, each with "loc", "type" and "msg") when the request is invalid.


@app.not_found
def no_route(_: Exception) -> Response[dict[str, Any]]:
    method = app.current_event.http_method.upper()
    path = app.current_event.path
    # The routes that match the path, whatever their method (Powertools keeps them in these two lists).
    allowed = sorted(
        {
            route.method
            for route in app._static_routes + app._dynamic_routes
            if route.rule.match(path)
        }
    )
    if allowed and method not in allowed:
        return _error(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{method} is not allowed here: use {', '.join(allowed)}",
            headers={"Allow": ", ".join(allowed)},
        )
    return _error(HTTPStatus.NOT_FOUND, "not found")


@app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    # Powertools' own answer names the fields but not what is wrong with them; this one does.
    problems = [{"loc": e["loc"], "type": e["type"], "msg": e["msg"]} for e in error.errors()]
    for problem in error.errors():
        if problem["type"] == "json_invalid":
            # parse_json_object's message: what is wrong with the body as a whole.
            message = problem.get("ctx", {}).get("error") or "the request body is not valid JSON"
            return _error(HTTPStatus.BAD_REQUEST, message)
    return _error(HTTPStatus.UNPROCESSABLE_ENTITY, "the request is invalid", detail=problems)


@app.exception_handler(RequestUnsupportedContentType)  # type: ignore[untyped-decorator]
def unsupported_content_type(_: RequestUnsupportedContentType) -> Response[dict[str, Any]]:
    return _error(
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "the request body must be JSON (application/json)"
    )


@app.exception_handler(NotFoundError)  # type: ignore[untyped-decorator]
def not_found(error: NotFoundError) -> Response[dict[str, Any]]:
    return _error(HTTPStatus.NOT_FOUND, str(error))


@app.exception_handler(ConflictError)  # type: ignore[untyped-decorator]
def conflict(error: ConflictError) -> Response[dict[str, Any]]:
    return _error(HTTPStatus.CONFLICT, str(error))


def error_body(status: HTTPStatus, message: str, **extra: Any) -> dict[str, Any]:
    """The body of every error: the shape Powertools answers with itself (statusCode, message)."""
    return {"statusCode": status.value, "message": message, **extra}


def _error(
    status: HTTPStatus, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response[dict[str, Any]]:
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=error_body(status, message, **extra),
        headers=headers,
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = text_body(event)
    except UndecodableBodyError as error:
        # Refused before routing: whatever the route, the API takes text.
        return {
            "statusCode": HTTPStatus.BAD_REQUEST.value,
            "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": json.dumps(error_body(HTTPStatus.BAD_REQUEST, str(error))),
            "isBase64Encoded": False,
        }
    return app.resolve(request, context)
