"""The floor of the outbox publisher: the same AWS call and answer, written by hand."""

import json
import os
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger()
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()

BUS = os.environ["EVENT_BUS_NAME"]
SOURCE = os.environ["EVENT_SOURCE"]
events = boto3.client("events")


def publish(record: dict[str, Any]) -> None:
    image = record["dynamodb"]["NewImage"]
    if record["eventName"] != "INSERT" or image.get("type", {}).get("S") != "Order":
        logger.warning("Not a new order; skipped", extra={"event_id": record["eventID"]})
        return
    detail = {
        "metadata": {"event_id": record["eventID"], "correlation_id": image["correlationId"]["S"]},
        "order_id": image["orderId"]["S"],
        "user_id": image["userId"]["S"],
        "currency": image["currency"]["S"],
        "total_cents": int(image["totalCents"]["N"]),
        "item_count": int(image["itemCount"]["N"]),
        "created_at": image["createdAt"]["S"].replace("+00:00", "Z"),
    }
    logger.set_correlation_id(detail["metadata"]["correlation_id"])
    logger.append_keys(order_id=detail["order_id"], event_id=record["eventID"])
    entry = {
        "EventBusName": BUS,
        "Source": SOURCE,
        "DetailType": "OrderCreated",
        "Detail": json.dumps(detail, separators=(",", ":")),
    }
    if "traceHeader" in image:
        entry["TraceHeader"] = image["traceHeader"]["S"]
    response = events.put_events(Entries=[entry])
    if response["FailedEntryCount"]:
        raise RuntimeError(response["Entries"][0].get("ErrorCode"))
    logger.info("OrderCreated published")
    metrics.add_metric(name="OrderEventsPublished", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event["Records"]:
        try:
            publish(record)
        except Exception:
            logger.exception("Record failed")
            failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
    return {"batchItemFailures": failures}
