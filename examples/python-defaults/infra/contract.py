"""What the service's code and its infrastructure agree on.

The stacks are built with these values, and the service's tests and the scripts read them too:
this module imports nothing from the CDK, so that they can without loading it.
"""

# The region the stacks are deployed to, and the scripts call.
REGION = "us-east-1"

# The table's keys and its indexes' (infra/constructs/data.py); the emulator's table has the same.
PARTITION_KEY = "PK"
SORT_KEY = "SK"
GSI1 = "GSI1"
GSI1_PARTITION_KEY = "GSI1PK"
GSI1_SORT_KEY = "GSI1SK"
GSI2 = "GSI2"
GSI2_PARTITION_KEY = "GSI2PK"
GSI2_SORT_KEY = "GSI2SK"
# Items with this attribute (epoch seconds) are deleted by DynamoDB some time after it passes.
TTL_ATTRIBUTE = "ttl"
