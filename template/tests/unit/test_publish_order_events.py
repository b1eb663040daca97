"""The outbox's publisher on the stream records Lambda passes it, with EventBridge stubbed."""

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from infra.contract import EVENT_SOURCE
from service.events.publisher import EventPublisher
from service.settings import EnvironmentVariables
from tests.lambda_context import FakeLambdaContext

TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def order_image(order_id: str, **changes: Any) -> dict[str, Any]:
    """A new order item as the stream's NEW_IMAGE holds it."""
    image = {
        "PK": {"S": "USER#u-1"},
        "SK": {"S": f"ORDER#{order_id}"},
        "type": {"S": "Order"},
        "orderId": {"S": order_id},
        "userId": {"S": "u-1"},
        "status": {"S": "placed"},
        "currency": {"S": "EUR"},
        "totalCents": {"N": "1999"},
        "itemCount": {"N": "2"},
        "createdAt": {"S": "2026-11-27T05:00:00+00:00"},
        "correlationId": {"S": f"request-{order_id}"},
        "traceHeader": {"S": TRACE_HEADER},
    }
    image.update(changes)
    return {key: value for key, value in image.items() if value is not None}


def stream_record(
    event_id: str, image: dict[str, Any], event_name: str = "INSERT"
) -> dict[str, Any]:
    return {
        "eventID": event_id,
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1795780800,
            "Keys": {"PK": image["PK"], "SK": image["SK"]},
            "NewImage": image,
            "SequenceNumber": f"1{event_id[-1]}00",
            "SizeBytes": 300,
            "StreamViewType": "NEW_IMAGE",
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-11-27",
    }


def expected_entry(order_id: str, event_id: str) -> dict[str, Any]:
    detail = {
        "metadata": {"event_id": event_id, "correlation_id": f"request-{order_id}"},
        "order_id": order_id,
        "user_id": "u-1",
        "currency": "EUR",
        "total_cents": 1999,
        "item_count": 2,
        "created_at": "2026-11-27T05:00:00Z",
    }
    return {
        "EventBusName": "orders-bus",
        "Source": EVENT_SOURCE,
        "DetailType": "OrderCreated",
        "Detail": json.dumps(detail, separators=(",", ":")),
        "TraceHeader": TRACE_HEADER,
    }


@pytest.fixture
def stubber(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """EventBridge as the handler's publisher reaches it, stubbed; no retry waits."""
    from service.handlers import publish_order_events

    client = boto3.client("events")
    publisher = EventPublisher(
        client, event_bus_name="orders-bus", source=EVENT_SOURCE, sleep=lambda _: None
    )
    monkeypatch.setattr(publish_order_events, "publisher", publisher)
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


def accepted(event_id: str) -> dict[str, Any]:
    return {"FailedEntryCount": 0, "Entries": [{"EventId": event_id}]}


def failed(code: str) -> dict[str, Any]:
    return {"FailedEntryCount": 1, "Entries": [{"ErrorCode": code, "ErrorMessage": "no"}]}


def test_each_new_order_is_published_with_its_stream_record_id_and_trace_header(
    stubber: Stubber,
) -> None:
    from service.handlers.publish_order_events import handler

    for order_id, event_id in (("o-1", "e-1"), ("o-2", "e-2")):
        stubber.add_response(
            "put_events",
            accepted(f"bus-{event_id}"),
            {"Entries": [expected_entry(order_id, event_id)]},
        )
    event = {
        "Records": [
            stream_record("e-1", order_image("o-1")),
            stream_record("e-2", order_image("o-2")),
        ]
    }

    assert handler(event, FakeLambdaContext()) == {"batchItemFailures": []}


def test_an_order_without_a_trace_header_is_published_without_one(stubber: Stubber) -> None:
    from service.handlers.publish_order_events import handler

    entry = expected_entry("o-1", "e-1")
    del entry["TraceHeader"]
    stubber.add_response("put_events", accepted("bus-e-1"), {"Entries": [entry]})
    event = {"Records": [stream_record("e-1", order_image("o-1", traceHeader=None))]}

    assert handler(event, FakeLambdaContext()) == {"batchItemFailures": []}


def test_a_record_eventbridge_keeps_refusing_is_reported_and_the_others_published(
    stubber: Stubber,
) -> None:
    from service.handlers.publish_order_events import handler

    stubber.add_response(
        "put_events", accepted("bus-e-1"), {"Entries": [expected_entry("o-1", "e-1")]}
    )
    for _ in range(3):
        stubber.add_response(
            "put_events", failed("InternalFailure"), {"Entries": [expected_entry("o-2", "e-2")]}
        )
    stubber.add_response(
        "put_events", accepted("bus-e-3"), {"Entries": [expected_entry("o-3", "e-3")]}
    )
    event = {
        "Records": [
            stream_record("e-1", order_image("o-1")),
            stream_record("e-2", order_image("o-2")),
            stream_record("e-3", order_image("o-3")),
        ]
    }

    # Reported by its sequence number: Lambda retries the stream from there.
    assert handler(event, FakeLambdaContext()) == {
        "batchItemFailures": [{"itemIdentifier": "1200"}]
    }


@pytest.mark.usefixtures("stubber")
def test_an_order_item_that_does_not_make_an_event_is_reported() -> None:
    from service.handlers.publish_order_events import handler

    event = {"Records": [stream_record("e-1", order_image("o-1", correlationId=None))]}

    assert handler(event, FakeLambdaContext()) == {
        "batchItemFailures": [{"itemIdentifier": "1100"}]
    }


@pytest.mark.usefixtures("stubber")
@pytest.mark.parametrize(
    ("event_name", "image"),
    [
        ("MODIFY", order_image("o-1", status={"S": "confirmed"})),
        ("INSERT", {"PK": {"S": "USER#u-1"}, "SK": {"S": "PROFILE"}, "type": {"S": "User"}}),
    ],
    ids=["a confirmed order", "a new user"],
)
def test_records_other_than_new_orders_publish_nothing(
    event_name: str, image: dict[str, Any]
) -> None:
    from service.handlers.publish_order_events import handler

    event = {"Records": [stream_record("e-1", image, event_name)]}

    assert handler(event, FakeLambdaContext()) == {"batchItemFailures": []}


def test_the_publisher_reads_its_bus_and_source_from_the_stacks_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service.settings import MissingSettingError, PublisherSettings

    monkeypatch.setenv(EnvironmentVariables.EVENT_BUS_NAME, "orders-bus")
    assert PublisherSettings.from_environment().event_bus_name == "orders-bus"
    monkeypatch.delenv(EnvironmentVariables.EVENT_SOURCE)
    with pytest.raises(MissingSettingError, match=EnvironmentVariables.EVENT_SOURCE):
        PublisherSettings.from_environment()
