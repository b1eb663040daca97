"""OrderCreated as the processor receives it: an EventBridge event in an SQS message.

The processor checks every message it receives against these models (Powertools' parser), so
that a malformed one fails alone, before any of its fields is used. They are apart from the
detail (events.py) because Powertools' parser models load every event source's models: the
publisher, which needs the detail only, starts without them.
"""

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel, SqsRecordModel
from pydantic import Json

from service.models.events import OrderCreated


class OrderCreatedEvent(EventBridgeModel):
    """OrderCreated as EventBridge delivers it.

    `id` and `time` are EventBridge's, new on each publication; `replay_name` is set on the events
    the bus's archive replays, and only on those.
    """

    detail: OrderCreated


class OrderCreatedMessage(SqsRecordModel):
    """An SQS message from the OrderCreated rule's queue: its body is the event, as JSON."""

    body: Json[OrderCreatedEvent]
