"""The AWS emulator, started once per session, and the resources the service expects in it."""

import os
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from infra.contract import (
    GSI1,
    GSI1_PARTITION_KEY,
    GSI1_SORT_KEY,
    GSI2,
    GSI2_PARTITION_KEY,
    GSI2_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
    TTL_ATTRIBUTE,
)
from service.settings import EnvironmentVariables


@pytest.fixture(scope="session")
def aws_emulator() -> Iterator[str]:
    """moto's server on 127.0.0.1, started once for the session; yields its URL."""
    url = os.environ["AWS_ENDPOINT_URL"]
    host, port = url.removeprefix("http://").split(":")
    server = ThreadedMotoServer(ip_address=host, port=int(port), verbose=False)
    server.start()
    yield url
    server.stop()


@pytest.fixture(scope="session")
def table(aws_emulator: str) -> str:
    """The service's table in the emulator, keyed as the Data construct keys it; returns its name."""
    name = os.environ[EnvironmentVariables.TABLE_NAME]
    client = boto3.client("dynamodb")
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": key, "AttributeType": "S"}
            for key in (
                PARTITION_KEY,
                SORT_KEY,
                GSI1_PARTITION_KEY,
                GSI1_SORT_KEY,
                GSI2_PARTITION_KEY,
                GSI2_SORT_KEY,
            )
        ],
        KeySchema=[
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": partition_key, "KeyType": "HASH"},
                    {"AttributeName": sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, partition_key, sort_key in (
                (GSI1, GSI1_PARTITION_KEY, GSI1_SORT_KEY),
                (GSI2, GSI2_PARTITION_KEY, GSI2_SORT_KEY),
            )
        ],
    )
    client.update_time_to_live(
        TableName=name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    return name
