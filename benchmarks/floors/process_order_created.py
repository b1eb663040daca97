"""The floor of the OrderCreated processor: the same AWS calls and answer, written by hand.

Idempotency records are written as Powertools writes them (in progress, then completed); the
message is read with json, not checked against a model.
"""

import hashlib
import json
import os
import time
from datetime import UTC, datetime
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from botocore.exceptions import ClientError

logger = Logger()
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()

TABLE = os.environ["TABLE_NAME"]
IDEMPOTENCY_TABLE = os.environ["IDEMPOTENCY_TABLE_NAME"]
DAY_SECONDS = 24 * 60 * 60
dynamodb = boto3.client("dynamodb")


def process(record: dict[str, Any], context: Any) -> None:
    event = json.loads(record["body"])
    order = event["detail"]
    metadata = order["metadata"]
    logger.set_correlation_id(metadata["correlation_id"])
    logger.append_keys(order_id=order["order_id"], event_id=metadata["event_id"])
    lag = datetime.now(UTC) - datetime.fromisoformat(event["time"])
    metrics.add_metric(
        name="OrderCreatedDeliveryLag",
        unit=MetricUnit.Milliseconds,
        value=lag.total_seconds() * 1000,
    )
    digest = hashlib.md5(json.dumps(metadata["event_id"]).encode()).hexdigest()
    record_key = {
        "PK": {"S": "IDEMPOTENCY"},
        "SK": {"S": f"{context.function_name}.process#{digest}"},
    }
    now = int(time.time())
    dynamodb.put_item(
        TableName=IDEMPOTENCY_TABLE,
        Item={
            **record_key,
            "ttl": {"N": str(now + DAY_SECONDS)},
            "in_progress_expiration": {"N": str(now * 1000 + 6000)},
            "status": {"S": "INPROGRESS"},
        },
        ConditionExpression="attribute_not_exists(PK)",
    )
    try:
        dynamodb.update_item(
            TableName=TABLE,
            Key={
                "PK": {"S": f"USER#{order['user_id']}"},
                "SK": {"S": f"ORDER#{order['order_id']}"},
            },
            UpdateExpression="SET #status = :confirmed, confirmedAt = :now",
            ConditionExpression="#status = :placed",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":placed": {"S": "placed"},
                ":confirmed": {"S": "confirmed"},
                ":now": {"S": datetime.now(UTC).isoformat()},
            },
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
        logger.info("Order confirmed")
        metrics.add_metric(name="OrdersConfirmed", unit=MetricUnit.Count, value=1)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        logger.info("Order confirmed already; nothing changed")
    dynamodb.update_item(
        TableName=IDEMPOTENCY_TABLE,
        Key=record_key,
        UpdateExpression="SET #status = :status, #data = :data, #ttl = :ttl",
        ExpressionAttributeNames={"#status": "status", "#data": "data", "#ttl": "ttl"},
        ExpressionAttributeValues={
            ":status": {"S": "COMPLETED"},
            ":data": {"S": "null"},
            ":ttl": {"N": str(now + DAY_SECONDS)},
        },
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures = []
    for record in event["Records"]:
        try:
            process(record, context)
        except Exception:
            logger.exception("Message failed")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
