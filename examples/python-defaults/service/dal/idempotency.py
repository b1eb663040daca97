"""Powertools idempotency records, kept in the service's table.

Each record is an item with PK = IDEMPOTENCY and SK = <function>#<hash of the idempotency key>,
whose `ttl` is its expiry: DynamoDB deletes it once it has expired. All records share one
partition, good for about 500 idempotent requests a second (each writes twice); a service that
needs more gives them a table of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def idempotency_store(client: DynamoDBClient, table_name: str) -> DynamoDBPersistenceLayer:
    return DynamoDBPersistenceLayer(
        table_name=table_name,
        key_attr="PK",
        sort_key_attr="SK",
        static_pk_value="IDEMPOTENCY",
        expiry_attr="ttl",
        boto3_client=client,
    )
