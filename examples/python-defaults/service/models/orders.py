"""Orders and their items, as the service accepts and returns them."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

# Order ids are ULIDs: 26 characters of Crockford base32 that sort by creation time.
ORDER_ID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
# One transaction writes the order, each of its items and the user's order count; DynamoDB
# allows 100 writes in a transaction.
MAX_ITEMS = 50


class OrderLine(BaseModel):
    """One line of an order as the client sends it. Prices are integer cents.

    Numbers are strict: `true` or `"3"` is not a quantity, and `12.5` is not a price in cents.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)

    sku: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
    quantity: Annotated[StrictInt, Field(ge=1, le=1000)]
    unit_price_cents: Annotated[StrictInt, Field(ge=0, le=100_000_000)]


class NewOrder(BaseModel):
    """An order to place (POST /users/{user_id}/orders)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    items: Annotated[list[OrderLine], Field(min_length=1, max_length=MAX_ITEMS)]


class OrderStatus(StrEnum):
    PLACED = "placed"
    # Processed once its OrderCreated event was: see the handlers.
    CONFIRMED = "confirmed"


class Order(BaseModel):
    """A placed order, without its items."""

    model_config = ConfigDict(defer_build=True)

    order_id: str
    user_id: str
    status: OrderStatus
    currency: str
    total_cents: int
    item_count: int
    created_at: datetime


class OrderItem(OrderLine):
    """One stored line of an order; `line` numbers them from 1 in the order the client sent."""

    line: int


class OrderItems(BaseModel):
    model_config = ConfigDict(defer_build=True)

    items: list[OrderItem]


class OrderPage(BaseModel):
    """A page of a user's orders, newest first. Pass `next_token` back for the next page."""

    model_config = ConfigDict(defer_build=True)

    orders: list[Order]
    next_token: str | None = None
