"""Entry point of the HTTP API: Powertools routes each request to the router that owns its path.

Bodies, path and query parameters are validated against the routes' type hints: a request that
does not fit is answered with a 4xx saying what is wrong, before any route code runs.
"""

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from service.handlers.routes import health, orders, users
from service.logic.errors import ConflictError, NotFoundError

logger = Logger()
# Traces AWS SDK calls; patching only botocore spares importing libraries the function never uses.
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()

app = APIGatewayHttpResolver(enable_validation=True)
app.include_router(health.router)
app.include_router(users.router)
app.include_router(orders.router)


@app.exception_handler(RequestValidationError)  # type: ignore[untyped-decorator]
def invalid_request(error: RequestValidationError) -> Response[dict[str, Any]]:
    # Powertools' own answer names the fields but not what is wrong with them; this one does.
    problems = [{"loc": e["loc"], "type": e["type"], "msg": e["msg"]} for e in error.errors()]
    if any(problem["type"] == "json_invalid" for problem in problems):
        return _error(HTTPStatus.BAD_REQUEST, "the request body is not valid JSON")
    return _error(HTTPStatus.UNPROCESSABLE_ENTITY, "the request is invalid", detail=problems)


@app.exception_handler(NotFoundError)  # type: ignore[untyped-decorator]
def not_found(error: NotFoundError) -> Response[dict[str, Any]]:
    return _error(HTTPStatus.NOT_FOUND, str(error))


@app.exception_handler(ConflictError)  # type: ignore[untyped-decorator]
def conflict(error: ConflictError) -> Response[dict[str, Any]]:
    return _error(HTTPStatus.CONFLICT, str(error))


def _error(status: HTTPStatus, message: str, **extra: Any) -> Response[dict[str, Any]]:
    # The shape of the errors Powertools answers with itself (statusCode, message).
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body={"statusCode": status, "message": message, **extra},
    )


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
