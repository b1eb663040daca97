"""OrderCreated, the event this service publishes: its detail.

schemas/OrderCreated.json describes the same detail for consumers, in the bus's schema registry;
a test keeps the two in step. The publisher builds the detail from the order's item on the
table's stream; the envelopes it reaches the processor in are in envelopes.py.
"""

from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt


class EventMetadata(BaseModel):
    """Where an event comes from."""

    model_config = ConfigDict(frozen=True)

    # Stable across redeliveries, retries and archive replays: consumers key idempotency on it.
    event_id: Annotated[str, Field(min_length=1, max_length=128)]
    # The correlation id of the request that placed the order: consumers log under it.
    correlation_id: Annotated[str, Field(min_length=1, max_length=128)]


class OrderCreated(BaseModel):
    """The service stored a new order: the event's `detail`.

    Publish it with `publisher.publish(OrderCreated.detail_type, event.to_detail())`.
    """

    model_config = ConfigDict(frozen=True)

    detail_type: ClassVar[str] = "OrderCreated"

    metadata: EventMetadata
    order_id: Annotated[str, Field(min_length=1, max_length=64)]
    user_id: Annotated[str, Field(min_length=1, max_length=128)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    total_cents: Annotated[StrictInt, Field(ge=0)]
    item_count: Annotated[StrictInt, Field(ge=1)]
    created_at: AwareDatetime

    def to_detail(self) -> dict[str, Any]:
        """The detail as JSON values: `created_at` in ISO 8601, UTC written `Z`."""
        return self.model_dump(mode="json")
