"""The routes' settings, AWS clients and data access, created once per execution environment."""

import boto3
from botocore.config import Config

from service.dal import Repository
from service.settings import ApiSettings

settings = ApiSettings.from_environment()

# A request has a few seconds in all: short timeouts, and three attempts at most per call.
AWS_CONFIG = Config(
    connect_timeout=2, read_timeout=3, retries={"mode": "standard", "total_max_attempts": 3}
)

dynamodb = boto3.client("dynamodb", config=AWS_CONFIG)
repository = Repository(dynamodb, settings.table_name)
