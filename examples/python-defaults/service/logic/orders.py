"""Orders: numbered by time, totalled from their lines, stored with their items in one go."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol

from service.logic.ids import new_id
from service.models.orders import NewOrder, Order, OrderItem, OrderStatus


class OrderStore(Protocol):
    def create_order(
        self,
        order: Order,
        items: Sequence[OrderItem],
        *,
        correlation_id: str,
        trace_header: str | None = None,
    ) -> None: ...


def place_order(
    store: OrderStore,
    user_id: str,
    new_order: NewOrder,
    *,
    correlation_id: str,
    trace_header: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Store the order and its items, counting it on the user's profile.

    `correlation_id` names the request that places the order (and `trace_header` its X-Ray trace):
    they are stored with it, for what the order sets off later to log under and link to.
    Raises UserNotFoundError when the user has no profile: no order is stored then.
    """
    created_at = now or datetime.now(UTC)
    order = Order(
        order_id=new_id(created_at),
        user_id=user_id,
        status=OrderStatus.PLACED,
        currency=new_order.currency,
        total_cents=sum(line.quantity * line.unit_price_cents for line in new_order.items),
        item_count=len(new_order.items),
        created_at=created_at,
    )
    items = [
        OrderItem(line=number, **line.model_dump())
        for number, line in enumerate(new_order.items, start=1)
    ]
    store.create_order(order, items, correlation_id=correlation_id, trace_header=trace_header)
    return order
