"""AWS clients and data access the routes share, created once per execution environment."""

import os

import boto3
from botocore.config import Config

from service.dal import Repository

# A request has a few seconds in all: short timeouts, and three attempts at most per call.
AWS_CONFIG = Config(
    connect_timeout=2, read_timeout=3, retries={"mode": "standard", "total_max_attempts": 3}
)
TABLE_NAME = os.environ["TABLE_NAME"]

dynamodb = boto3.client("dynamodb", config=AWS_CONFIG)
repository = Repository(dynamodb, TABLE_NAME)
