"""The floor of the API's handler: the same AWS calls and answers, written by hand.

Powertools' Logger, Tracer and Metrics, the same SDK clients at module level, and nothing else:
no router, no validation library, no idempotency utility. The idempotency records are written
as Powertools writes them (in progress, then completed), so the AWS calls match call for call.
"""

import hashlib
import json
import os
import re
import secrets
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from botocore.config import Config
from botocore.exceptions import ClientError

logger = Logger()
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()

TABLE = os.environ["TABLE_NAME"]
BUCKET = os.environ["BUCKET_NAME"]
MAX_UPLOAD_BYTES = int(os.environ["MAX_UPLOAD_BYTES"])
AWS_CONFIG = Config(
    connect_timeout=2, read_timeout=3, retries={"mode": "standard", "total_max_attempts": 3}
)
dynamodb = boto3.client("dynamodb", config=AWS_CONFIG)
s3 = boto3.client("s3", config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}))

ORDER_PATH = re.compile(r"^/me/orders/([0-9A-HJKMNP-TV-Z]{26})(/items)?$")
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DAY_SECONDS = 24 * 60 * 60


def _answer(status: int, body: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def _ulid(now: datetime) -> str:
    value = (int(now.timestamp() * 1000) << 80) | secrets.randbits(80)
    return "".join(CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def _order(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "order_id": item["orderId"]["S"],
        "user_id": item["userId"]["S"],
        "status": item["status"]["S"],
        "currency": item["currency"]["S"],
        "total_cents": int(item["totalCents"]["N"]),
        "item_count": int(item["itemCount"]["N"]),
        "created_at": item["createdAt"]["S"],
    }


def _user(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": item["email"]["S"],
        "name": item["name"]["S"],
        "user_id": item["userId"]["S"],
        "created_at": item["createdAt"]["S"],
        "order_count": int(item["orderCount"]["N"]),
    }


def create_profile(user_id: str, body: dict[str, Any]) -> dict[str, Any]:
    user = {
        "email": body["email"],
        "name": body["name"],
        "user_id": user_id,
        "created_at": datetime.now(UTC).isoformat(),
        "order_count": 0,
    }
    dynamodb.put_item(
        TableName=TABLE,
        Item={
            "PK": {"S": f"USER#{user_id}"},
            "SK": {"S": "PROFILE"},
            "type": {"S": "User"},
            "userId": {"S": user_id},
            "email": {"S": user["email"]},
            "name": {"S": user["name"]},
            "createdAt": {"S": user["created_at"]},
            "orderCount": {"N": "0"},
        },
        ConditionExpression="attribute_not_exists(PK)",
    )
    return _answer(201, user)


def get_profile(user_id: str) -> dict[str, Any]:
    item = dynamodb.get_item(
        TableName=TABLE, Key={"PK": {"S": f"USER#{user_id}"}, "SK": {"S": "PROFILE"}}
    )["Item"]
    return _answer(200, _user(item))


def place_order(event: dict[str, Any], user_id: str, context: Any) -> dict[str, Any]:
    body = json.loads(event["body"])
    key = event["headers"]["idempotency-key"]
    digest = hashlib.md5(json.dumps([user_id, key]).encode()).hexdigest()
    record_key = {
        "PK": {"S": "IDEMPOTENCY"},
        "SK": {"S": f"{context.function_name}.create_order#{digest}"},
    }
    now = int(time.time())
    dynamodb.put_item(
        TableName=TABLE,
        Item={
            **record_key,
            "ttl": {"N": str(now + DAY_SECONDS)},
            "in_progress_expiration": {"N": str(now * 1000 + 6000)},
            "status": {"S": "INPROGRESS"},
            "validation": {"S": hashlib.md5(json.dumps(body).encode()).hexdigest()},
        },
        ConditionExpression="attribute_not_exists(PK)",
    )
    created_at = datetime.now(UTC)
    order_id = _ulid(created_at)
    lines = body["items"]
    order = {
        "order_id": order_id,
        "user_id": user_id,
        "status": "placed",
        "currency": body.get("currency", "USD"),
        "total_cents": sum(line["quantity"] * line["unit_price_cents"] for line in lines),
        "item_count": len(lines),
        "created_at": created_at.isoformat(),
    }
    writes: list[dict[str, Any]] = [
        {
            "Update": {
                "TableName": TABLE,
                "Key": {"PK": {"S": f"USER#{user_id}"}, "SK": {"S": "PROFILE"}},
                "UpdateExpression": "ADD orderCount :one",
                "ConditionExpression": "attribute_exists(PK)",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        },
        {
            "Put": {
                "TableName": TABLE,
                "Item": {
                    "PK": {"S": f"USER#{user_id}"},
                    "SK": {"S": f"ORDER#{order_id}"},
                    "GSI1PK": {"S": f"ORDER#{order_id}"},
                    "GSI1SK": {"S": f"ORDER#{order_id}"},
                    "GSI2PK": {"S": f"DAY#{created_at.date().isoformat()}"},
                    "GSI2SK": {"S": f"ORDER#{order_id}"},
                    "type": {"S": "Order"},
                    "orderId": {"S": order_id},
                    "userId": {"S": user_id},
                    "status": {"S": "placed"},
                    "currency": {"S": order["currency"]},
                    "totalCents": {"N": str(order["total_cents"])},
                    "itemCount": {"N": str(order["item_count"])},
                    "createdAt": {"S": order["created_at"]},
                    "correlationId": {"S": event["requestContext"]["requestId"]},
                },
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        },
    ]
    writes += [
        {
            "Put": {
                "TableName": TABLE,
                "Item": {
                    "PK": {"S": f"ORDER#{order_id}"},
                    "SK": {"S": f"ITEM#{number:03d}"},
                    "type": {"S": "OrderItem"},
                    "line": {"N": str(number)},
                    "sku": {"S": line["sku"]},
                    "quantity": {"N": str(line["quantity"])},
                    "unitPriceCents": {"N": str(line["unit_price_cents"])},
                },
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }
        for number, line in enumerate(lines, start=1)
    ]
    dynamodb.transact_write_items(TransactItems=writes)
    metrics.add_metric(name="OrderCreated", unit=MetricUnit.Count, value=1)
    dynamodb.update_item(
        TableName=TABLE,
        Key=record_key,
        UpdateExpression="SET #status = :status, #data = :data, #ttl = :ttl",
        ExpressionAttributeNames={"#status": "status", "#data": "data", "#ttl": "ttl"},
        ExpressionAttributeValues={
            ":status": {"S": "COMPLETED"},
            ":data": {"S": json.dumps(order)},
            ":ttl": {"N": str(now + DAY_SECONDS)},
        },
    )
    return _answer(201, order)


def list_orders(user_id: str) -> dict[str, Any]:
    response = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": f"USER#{user_id}"}, ":prefix": {"S": "ORDER#"}},
        ScanIndexForward=False,
        Limit=20,
    )
    last = response.get("LastEvaluatedKey")
    return _answer(
        200,
        {
            "orders": [_order(item) for item in response["Items"]],
            "next_token": last["SK"]["S"].removeprefix("ORDER#") if last else None,
        },
    )


def order_or_items(user_id: str, order_id: str, items: bool) -> dict[str, Any]:
    found = dynamodb.query(
        TableName=TABLE,
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"ORDER#{order_id}"}},
        Limit=1,
    )["Items"]
    if not found or found[0]["userId"]["S"] != user_id:
        return _answer(404, {"statusCode": 404, "message": f"order {order_id} not found"})
    if not items:
        return _answer(200, _order(found[0]))
    lines = dynamodb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues={":pk": {"S": f"ORDER#{order_id}"}, ":prefix": {"S": "ITEM#"}},
    )["Items"]
    return _answer(
        200,
        {
            "items": [
                {
                    "sku": line["sku"]["S"],
                    "quantity": int(line["quantity"]["N"]),
                    "unit_price_cents": int(line["unitPriceCents"]["N"]),
                    "line": int(line["line"]["N"]),
                }
                for line in lines
            ]
        },
    )


def upload_form(user_id: str, body: dict[str, Any]) -> dict[str, Any]:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", body["file_name"])[:100]
    key = f"uploads/{user_id}/{uuid.uuid4()}-{name}"
    form = s3.generate_presigned_post(
        Bucket=BUCKET,
        Key=key,
        Fields={"Content-Type": body["content_type"]},
        Conditions=[
            {"Content-Type": body["content_type"]},
            ["content-length-range", 1, MAX_UPLOAD_BYTES],
        ],
        ExpiresIn=300,
    )
    return _answer(
        200,
        {
            "key": key,
            "url": form["url"],
            "fields": form["fields"],
            "max_bytes": MAX_UPLOAD_BYTES,
            "expires_in": 300,
        },
    )


def download_url(user_id: str, key: str) -> dict[str, Any]:
    if not key.startswith(f"uploads/{user_id}/"):
        return _answer(404, {"statusCode": 404, "message": "file not found"})
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": BUCKET, "Key": key}, ExpiresIn=300, HttpMethod="GET"
    )
    return _answer(200, {"key": key, "url": url, "expires_in": 300})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    method = event["requestContext"]["http"]["method"]
    path = event["rawPath"]
    if path == "/health":
        return _answer(200, {"status": "ok"})
    user_id = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    try:
        if path == "/me":
            if method == "POST":
                return create_profile(user_id, json.loads(event["body"]))
            return get_profile(user_id)
        if path == "/me/orders":
            if method == "POST":
                return place_order(event, user_id, context)
            return list_orders(user_id)
        if path == "/me/files/upload-form":
            return upload_form(user_id, json.loads(event["body"]))
        if path == "/me/files/download-url":
            return download_url(user_id, event["queryStringParameters"]["key"])
        match = ORDER_PATH.match(path)
        if match:
            return order_or_items(user_id, match[1], items=bool(match[2]))
    except ClientError as error:
        return _answer(409, {"statusCode": 409, "message": str(error)})
    return _answer(404, {"statusCode": 404, "message": "not found"})
