"""Creates the service's resources in the emulator and writes the benchmark's cases.

Run by cold_start.py in the project's virtual environment, with the project as the working
directory and the handlers' environment set (AWS_ENDPOINT_URL pointing at moto's server):

    python cold_start_seed.py CASES_FILE

A user with a profile, an order and a file is created through the API's own handler; the cases
are each handler's representative requests, the API's built by the project's own test client.
"""

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from infra.contract import (
    GSI1,
    GSI1_PARTITION_KEY,
    GSI1_SORT_KEY,
    GSI2,
    GSI2_PARTITION_KEY,
    GSI2_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
)
from service.handlers.api import handler as api_handler
from tests.api_client import ApiClient

UNIQUE = "{unique}"  # replaced by a new id in each run (cold_start_case.py)
READER = "benchmark-reader"
ORDER = {"currency": "EUR", "items": [{"sku": "BOOK-1", "quantity": 2, "unit_price_cents": 1250}]}


def create_resources() -> None:
    table = os.environ["TABLE_NAME"]
    keys = (
        PARTITION_KEY,
        SORT_KEY,
        GSI1_PARTITION_KEY,
        GSI1_SORT_KEY,
        GSI2_PARTITION_KEY,
        GSI2_SORT_KEY,
    )
    boto3.client("dynamodb").create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key in keys],
        KeySchema=[
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": partition, "KeyType": "HASH"},
                    {"AttributeName": sort, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, partition, sort in (
                (GSI1, GSI1_PARTITION_KEY, GSI1_SORT_KEY),
                (GSI2, GSI2_PARTITION_KEY, GSI2_SORT_KEY),
            )
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    boto3.client("s3").create_bucket(
        Bucket=os.environ["BUCKET_NAME"],
        CreateBucketConfiguration={"LocationConstraint": os.environ["AWS_DEFAULT_REGION"]},
    )
    boto3.client("events").create_event_bus(Name=os.environ["EVENT_BUS_NAME"])
    boto3.client("ssm").put_parameter(
        Name=os.environ["DAILY_REPORT_ENABLED_PARAMETER"], Value="true", Type="String"
    )


def recorded(call: Any) -> dict[str, Any]:
    """The event the test client builds for a request, instead of its answer."""
    events: list[dict[str, Any]] = []

    def record(event: dict[str, Any], _: Any) -> dict[str, Any]:
        events.append(event)
        return {"statusCode": 200, "body": "null"}

    call(lambda user: ApiClient(record, user_id=user))
    return events[0]


def new_order_record(table: str, order_id: str) -> dict[str, Any]:
    """The stream record of the order's item, as Lambda passes it to the publisher."""
    dynamodb = boto3.client("dynamodb")
    streams = boto3.client("dynamodbstreams")
    stream_arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    for record in streams.get_records(ShardIterator=iterator)["Records"]:
        image = record["dynamodb"].get("NewImage", {})
        if record["eventName"] == "INSERT" and image.get("orderId") == {"S": order_id}:
            created = record["dynamodb"]["ApproximateCreationDateTime"]
            return {
                **record,
                "dynamodb": {
                    **record["dynamodb"],
                    "ApproximateCreationDateTime": created.timestamp(),
                },
                "eventSourceARN": stream_arn,
            }
    sys.exit(f"no stream record of order {order_id}")


def order_created_message(order: dict[str, Any]) -> dict[str, Any]:
    """An SQS message from the OrderCreated rule's queue, with an event id new in each run."""
    event = {
        "version": "0",
        "id": UNIQUE,
        "detail-type": "OrderCreated",
        "source": os.environ["EVENT_SOURCE"],
        "account": "123456789012",
        "time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "region": os.environ["AWS_DEFAULT_REGION"],
        "resources": [],
        "detail": {
            "metadata": {"event_id": UNIQUE, "correlation_id": "benchmark-request"},
            **{key: order[key] for key in ("order_id", "user_id", "currency", "total_cents")},
            "item_count": order["item_count"],
            "created_at": order["created_at"],
        },
    }
    return {
        "messageId": UNIQUE,
        "receiptHandle": "benchmark",
        "body": json.dumps(event),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1795780800000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1795780800000",
        },
        "messageAttributes": {},
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:order-created",
        "awsRegion": os.environ["AWS_DEFAULT_REGION"],
    }


def main() -> None:
    create_resources()
    reader = ApiClient(api_handler, user_id=READER)
    assert reader.post("/me", {"email": "reader@example.com", "name": "Reader"}).status == 201
    placed = reader.post("/me/orders", ORDER, headers={"Idempotency-Key": "seed"})
    assert placed.status == 201, placed
    order = placed.body
    upload = reader.post(
        "/me/files/upload-form", {"file_name": "a.pdf", "content_type": "application/pdf"}
    )
    assert upload.status == 200, upload
    order_path = f"/me/orders/{order['order_id']}"
    api = {
        "GET /health": lambda c: c(None).get("/health"),
        "GET /me": lambda c: c(READER).get("/me"),
        "POST /me": lambda c: c(UNIQUE).post("/me", {"email": "new@example.com", "name": "New"}),
        "POST /me/orders": lambda c: c(READER).post(
            "/me/orders", ORDER, headers={"Idempotency-Key": UNIQUE}
        ),
        "GET /me/orders": lambda c: c(READER).get("/me/orders"),
        "GET /me/orders/{order_id}": lambda c: c(READER).get(order_path),
        "GET /me/orders/{order_id}/items": lambda c: c(READER).get(f"{order_path}/items"),
        "POST /me/files/upload-form": lambda c: c(READER).post(
            "/me/files/upload-form", {"file_name": "report.pdf", "content_type": "application/pdf"}
        ),
        "GET /me/files/download-url": lambda c: c(READER).get(
            "/me/files/download-url", query={"key": upload.body["key"]}
        ),
    }
    scheduled = (datetime.now(UTC) + timedelta(days=1)).replace(hour=6, minute=0, second=0)
    cases = [
        {"work": f"api: {route}", "handler": "api", "event": recorded(call)}
        for route, call in api.items()
    ] + [
        {
            "work": "publish_order_events: a new order",
            "handler": "publish_order_events",
            "event": {"Records": [new_order_record(os.environ["TABLE_NAME"], order["order_id"])]},
        },
        {
            "work": "process_order_created: one message",
            "handler": "process_order_created",
            "event": {"Records": [order_created_message(order)]},
        },
        {
            "work": "daily_report: a day with an order",
            "handler": "daily_report",
            "event": {"scheduled_time": scheduled.isoformat()},
        },
    ]
    Path(sys.argv[1]).write_text(json.dumps(cases, indent=2))


if __name__ == "__main__":
    main()
