"""The table as the outbox of OrderCreated: each order item new on its stream is an event to publish.

The order's transaction writes the item, and the stream keeps it for a day: the event is as
durable as the order, whatever happens to the request that placed it. Reads the item as the
stream record's image holds it, deserialized by Powertools (strings, and numbers as Decimal).
"""

from dataclasses import dataclass
from datetime import datetime

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (
    DynamoDBRecord,
    DynamoDBRecordEventName,
)

from service.models.events import EventMetadata, OrderCreated


@dataclass(frozen=True)
class PendingEvent:
    """An event to publish, and the X-Ray trace header of the request it comes from, if traced."""

    event: OrderCreated
    trace_header: str | None


def new_order_event(record: DynamoDBRecord) -> PendingEvent | None:
    """The OrderCreated of a stream record adding an order item; None for any other record.

    The event's id is the stream record's, the same on every delivery of the record: the event
    keeps one id through Lambda's retries, the publisher's, and the archive's replays.
    """
    image = record.dynamodb.new_image if record.dynamodb else {}
    if record.event_name is not DynamoDBRecordEventName.INSERT or image.get("type") != "Order":
        return None
    return PendingEvent(
        event=OrderCreated(
            metadata=EventMetadata(
                event_id=record["eventID"], correlation_id=image["correlationId"]
            ),
            order_id=image["orderId"],
            user_id=image["userId"],
            currency=image["currency"],
            total_cents=int(image["totalCents"]),
            item_count=int(image["itemCount"]),
            created_at=datetime.fromisoformat(image["createdAt"]),
        ),
        trace_header=image.get("traceHeader"),
    )
