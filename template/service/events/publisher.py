"""Publishes the service's events to its own EventBridge bus.

PutEvents can succeed as a call yet fail for some of its entries: the response's FailedEntryCount
says so. Entries that failed for a transient reason are sent again, a bounded number of times
with exponential backoff; an entry that still fails raises EventPublishError.

An event published on behalf of a traced request carries its X-Ray trace header, so that the
trace follows the event to its consumers.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient
    from mypy_boto3_events.type_defs import PutEventsRequestEntryTypeDef

# Entry errors worth another attempt. Any other (a malformed entry, a missing permission) would
# fail the same way again.
RETRYABLE_ERRORS = frozenset({"InternalFailure", "ThrottlingException"})

logger = Logger(child=True)


class EventPublishError(Exception):
    """EventBridge did not take the event."""

    def __init__(self, detail_type: str, error_code: str, error_message: str) -> None:
        super().__init__(f"{detail_type} event was not published: {error_code}: {error_message}")
        self.detail_type = detail_type
        self.error_code = error_code
        self.error_message = error_message


class EventPublisher:
    """Puts events on the service's bus, as the service's source.

    The stack tells every function it grants publishing to the bus and source (EVENT_BUS_NAME and
    EVENT_SOURCE); a handler passes them on from its settings. Create the client and the publisher
    once per process::

        publisher = EventPublisher(
            boto3.client("events"),
            event_bus_name=settings.event_bus_name,
            source=settings.event_source,
        )
    """

    def __init__(
        self,
        client: EventBridgeClient,
        *,
        event_bus_name: str,
        source: str,
        max_attempts: int = 3,
        backoff_seconds: float = 0.1,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._client = client
        self.event_bus_name = event_bus_name
        self.source = source
        self._max_attempts = max_attempts
        self._backoff_seconds = backoff_seconds
        self._sleep = sleep

    def publish(
        self, detail_type: str, detail: Mapping[str, Any], *, trace_header: str | None = None
    ) -> str:
        """Publish one event and return its id. `detail` must be JSON-serializable as is.

        `trace_header` is the X-Ray trace header (`Root=...;Parent=...;Sampled=...`) of the
        request the event comes from, if it was traced.
        """
        entry: PutEventsRequestEntryTypeDef = {
            "EventBusName": self.event_bus_name,
            "Source": self.source,
            "DetailType": detail_type,
            "Detail": json.dumps(detail, separators=(",", ":")),
        }
        if trace_header:
            entry["TraceHeader"] = trace_header
        attempt = 1
        while True:
            response = self._client.put_events(Entries=[entry])
            result = response["Entries"][0]
            if response["FailedEntryCount"] == 0:
                return result["EventId"]
            error_code = result.get("ErrorCode", "Unknown")
            error_message = result.get("ErrorMessage", "")
            if error_code not in RETRYABLE_ERRORS or attempt == self._max_attempts:
                raise EventPublishError(detail_type, error_code, error_message)
            delay = self._backoff_seconds * 2 ** (attempt - 1)
            logger.warning(
                "EventBridge did not take the event; retrying",
                extra={"detail_type": detail_type, "error_code": error_code, "attempt": attempt},
            )
            self._sleep(delay)
            attempt += 1
