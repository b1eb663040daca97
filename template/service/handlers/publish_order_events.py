"""Publishes OrderCreated for each order new on the table's stream (the outbox), to the bus.

Lambda reads the stream and passes new order items only (the event source mapping's filters).
Each record is published on its own: a record that fails is reported alone (Powertools' batch
processing), Lambda retries from it, and after its retries it is kept in the dead-letter queue.
Delivery is at least once: consumers key their idempotency on `detail.metadata.event_id`.
"""

from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from service.dal.outbox import new_order_event
from service.events.publisher import EventPublisher
from service.models.events import OrderCreated
from service.settings import PublisherSettings

logger = Logger()
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()

settings = PublisherSettings.from_environment()
publisher = EventPublisher(
    boto3.client("events"), event_bus_name=settings.event_bus_name, source=settings.event_source
)
# A batch whose every record fails is reported like any other: Lambda retries from the first.
processor = BatchProcessor(
    event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False
)


@tracer.capture_method
def publish(record: DynamoDBRecord) -> None:
    pending = new_order_event(record)
    if pending is None:
        # The event source mapping passes new orders only; anything else is not for the bus.
        logger.warning("Not a new order; skipped", extra={"event_id": record.event_id})
        return
    event = pending.event
    # Logged under the correlation id of the request that placed the order.
    logger.set_correlation_id(event.metadata.correlation_id)
    logger.append_keys(order_id=event.order_id, event_id=event.metadata.event_id)
    publisher.publish(
        OrderCreated.detail_type, event.to_detail(), trace_header=pending.trace_header
    )
    logger.info("OrderCreated published")
    metrics.add_metric(name="OrderEventsPublished", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=publish, processor=processor, context=context
    )
