"""The caller's orders: place one, idempotently; list them, newest first; read one and its items.

An order that is not the caller's is answered as one that does not exist: 404, whether it exists
or not, so that no caller learns about another's orders.
"""

import os
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools import Metrics
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import ServiceError
from aws_lambda_powertools.event_handler.openapi.params import Body, Header, Path, Query
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyValidationError,
)
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from pydantic import BaseModel, ConfigDict

from service.dal.idempotency import idempotency_store
from service.handlers.caller import caller_id
from service.handlers.routes.dependencies import dynamodb, repository, settings
from service.logic.errors import OrderNotFoundError
from service.logic.orders import place_order
from service.models.orders import ORDER_ID_PATTERN, NewOrder, Order, OrderItems, OrderPage
from service.models.text import Text

router = Router()  # type: ignore[no-untyped-call]
metrics = Metrics()

OrderIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN)]

# A retried request (same user, same Idempotency-Key) gets the first one's answer for a day; the
# same key with a different order is refused.
idempotency = IdempotencyConfig(
    event_key_jmespath="[user_id, idempotency_key]",
    payload_validation_jmespath="order",
    expires_after_seconds=24 * 60 * 60,
)


class PlaceOrder(BaseModel):
    """An order request as idempotency sees it: keyed on user and key, checked on the order.

    A retry is another request, with its own correlation id: it gets the first one's order,
    which keeps the first one's.
    """

    model_config = ConfigDict(defer_build=True)

    user_id: str
    idempotency_key: str
    order: NewOrder
    correlation_id: str
    trace_header: str | None = None


@idempotent_function(  # type: ignore[untyped-decorator]
    data_keyword_argument="request",
    persistence_store=idempotency_store(dynamodb, settings.table_name),
    config=idempotency,
    output_serializer=PydanticSerializer,
)
def _place_order_once(request: PlaceOrder) -> Order:
    order = place_order(
        repository,
        request.user_id,
        request.order,
        correlation_id=request.correlation_id,
        trace_header=request.trace_header,
    )
    metrics.add_metric(name="OrderCreated", unit=MetricUnit.Count, value=1)
    return order


@router.post("/me/orders", status_code=HTTPStatus.CREATED)
def create_order(
    order: Annotated[NewOrder, Body()],
    idempotency_key: Annotated[Text, Header(alias="idempotency-key", min_length=1, max_length=128)],
) -> Order:
    user_id = caller_id(router.current_event)
    idempotency.register_lambda_context(router.lambda_context)
    try:
        placed: Order = _place_order_once(
            request=PlaceOrder(
                user_id=user_id,
                idempotency_key=idempotency_key,
                order=order,
                # The request id, which the API logs under (its Logger's correlation id): the
                # order keeps it, and so does everything the order sets off.
                correlation_id=router.current_event["requestContext"]["requestId"],
                # Lambda sets the trace header of the current invocation when X-Ray traces it.
                trace_header=os.environ.get("_X_AMZN_TRACE_ID"),
            )
        )
    except IdempotencyAlreadyInProgressError:
        raise ServiceError(
            HTTPStatus.CONFLICT, "a request with this Idempotency-Key is still in progress"
        ) from None
    except IdempotencyValidationError:
        raise ServiceError(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "this Idempotency-Key was already used for a different order",
        ) from None
    return placed


@router.get("/me/orders")
def list_orders(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    next_token: Annotated[str | None, Query(pattern=ORDER_ID_PATTERN)] = None,
) -> OrderPage:
    return repository.list_orders(caller_id(router.current_event), limit=limit, after=next_token)


@router.get("/me/orders/<order_id>")
def get_order(order_id: OrderIdPath) -> Order:
    return _own_order(order_id)


@router.get("/me/orders/<order_id>/items")
def list_order_items(order_id: OrderIdPath) -> OrderItems:
    _own_order(order_id)
    return OrderItems(items=repository.list_order_items(order_id))


def _own_order(order_id: str) -> Order:
    """The caller's order; OrderNotFoundError for another user's, as for one that does not exist."""
    user_id = caller_id(router.current_event)
    order = repository.get_order(order_id)
    if order.user_id != user_id:
        raise OrderNotFoundError(order_id)
    return order
