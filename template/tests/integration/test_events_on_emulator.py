"""Publishing on a bus in the emulator: events reach a rule's queue, failed entries are retried."""

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import boto3
import pytest
from mypy_boto3_events import EventBridgeClient

from infra.contract import EVENT_SOURCE
from service.events.publisher import EventPublisher, EventPublishError
from service.models.events import EventMetadata, OrderCreated
from service.settings import EnvironmentVariables

Delivered = Callable[[str], list[dict[str, Any]]]


def _order(order_id: str) -> OrderCreated:
    return OrderCreated(
        metadata=EventMetadata(event_id=f"event-{order_id}", correlation_id="request-1"),
        order_id=order_id,
        user_id="u-1",
        currency="EUR",
        total_cents=1999,
        item_count=1,
        created_at=datetime(2026, 11, 27, 5, tzinfo=UTC),
    )


@pytest.fixture
def events_client(bus: str) -> EventBridgeClient:
    return boto3.client("events")


class FailingPutEvents:
    """The emulator's client, except that its next `times` PutEvents report the entry as failed.

    The emulator accepts every well-formed entry, so the failure is injected in front of it;
    later calls reach the emulator.
    """

    def __init__(self, client: EventBridgeClient, times: int) -> None:
        self._client = client
        self._remaining = times

    def put_events(self, **request: Any) -> dict[str, Any]:
        if self._remaining == 0:
            return dict(self._client.put_events(**request))
        self._remaining -= 1
        failed = {"ErrorCode": "InternalFailure", "ErrorMessage": "injected failure"}
        return {"FailedEntryCount": 1, "Entries": [failed]}


def _publish(client: EventBridgeClient | FailingPutEvents, order: OrderCreated) -> str:
    publisher = EventPublisher(
        cast(EventBridgeClient, client),
        event_bus_name=os.environ[EnvironmentVariables.EVENT_BUS_NAME],
        source=EVENT_SOURCE,
        backoff_seconds=0,
    )
    return publisher.publish(OrderCreated.detail_type, order.to_detail())


def test_published_order_created_reaches_the_rules_target(
    events_client: EventBridgeClient, delivered: Delivered
) -> None:
    order = _order("o-reaches")
    event_id = _publish(events_client, order)

    [message] = delivered(order.order_id)
    event = json.loads(message["body"])
    assert event["id"] == event_id
    assert event["source"] == EVENT_SOURCE
    assert event["detail-type"] == "OrderCreated"
    assert OrderCreated.model_validate(event["detail"]) == order


def test_an_entry_that_failed_once_is_published_on_retry(
    events_client: EventBridgeClient, delivered: Delivered
) -> None:
    order = _order("o-retried")
    event_id = _publish(FailingPutEvents(events_client, times=1), order)

    assert [json.loads(m["body"])["id"] for m in delivered(order.order_id)] == [event_id]


def test_an_entry_failing_on_every_attempt_raises_and_publishes_nothing(
    events_client: EventBridgeClient, delivered: Delivered
) -> None:
    order = _order("o-lost")
    with pytest.raises(EventPublishError, match="InternalFailure"):
        _publish(FailingPutEvents(events_client, times=3), order)
    assert delivered(order.order_id) == []
