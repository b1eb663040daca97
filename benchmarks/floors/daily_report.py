"""The floor of the daily report: the same AWS calls and answer, written by hand."""

import csv
import io
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger()
tracer = Tracer(patch_modules=["botocore"])
metrics = Metrics()

TABLE = os.environ["TABLE_NAME"]
BUCKET = os.environ["BUCKET_NAME"]
SWITCH = os.environ["DAILY_REPORT_ENABLED_PARAMETER"]
dynamodb = boto3.client("dynamodb")
s3 = boto3.client("s3")
ssm = boto3.client("ssm")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    scheduled = datetime.fromisoformat(event["scheduled_time"]).astimezone(UTC)
    end = scheduled.replace(hour=0, minute=0, second=0, microsecond=0)
    start = end - timedelta(days=1)
    report: dict[str, Any] = {"period_start": start.isoformat(), "period_end": end.isoformat()}
    if ssm.get_parameter(Name=SWITCH)["Parameter"]["Value"] != "true":
        metrics.add_metric(name="DailyReportsSkipped", unit=MetricUnit.Count, value=1)
        return {**report, "skipped": True}
    query: dict[str, Any] = {
        "TableName": TABLE,
        "IndexName": "GSI2",
        "KeyConditionExpression": "GSI2PK = :day",
        "ExpressionAttributeValues": {":day": {"S": f"DAY#{start.date().isoformat()}"}},
        "Limit": 100,
    }
    rows = []
    while True:
        response = dynamodb.query(**query)
        rows += [
            (
                item["orderId"]["S"],
                item["userId"]["S"],
                item["createdAt"]["S"],
                item["currency"]["S"],
                int(item["totalCents"]["N"]),
                item["status"]["S"],
            )
            for item in response["Items"]
        ]
        if "LastEvaluatedKey" not in response:
            break
        query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
    totals: dict[str, int] = {}
    for row in rows:
        totals[row[3]] = totals.get(row[3], 0) + row[4]
    report.update(order_count=len(rows), total_cents_by_currency=totals)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(("order_id", "user_id", "created_at", "currency", "total_cents", "status"))
    writer.writerows(rows)
    key = f"reports/daily/{start.date().isoformat()}.csv"
    s3.put_object(
        Bucket=BUCKET, Key=key, Body=text.getvalue().encode(), ContentType="text/csv; charset=utf-8"
    )
    report["csv_key"] = key
    metrics.add_metric(name="OrdersReported", unit=MetricUnit.Count, value=len(rows))
    logger.info("Daily report", extra=report)
    metrics.add_metric(name="DailyReports", unit=MetricUnit.Count, value=1)
    return report
