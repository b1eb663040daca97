"""The service's data: one DynamoDB table that holds every entity (single-table design).

The keys are generic (PK/SK, GSI1PK/GSI1SK, GSI2PK/GSI2SK) so that the access patterns, listed in
service/dal/__init__.py and the README, decide what goes in them, not the entity names. GSI2
holds the orders by the day they were created.
"""

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra.compliance import acknowledge
from infra.constructs.monitoring import Monitoring
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
from infra.settings import EnvironmentSettings
from service.settings import EnvironmentVariables

# What the service's code does with the table: the data-access layer's reads, writes and
# transactions (authorized item by item as PutItem and UpdateItem), and Powertools idempotency
# records (GetItem, PutItem, UpdateItem, DeleteItem). No Scan, no batch operations.
DATA_ACTIONS = (
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
)
# The operations the table's alarms watch: those the service calls.
OPERATIONS = (
    dynamodb.Operation.GET_ITEM,
    dynamodb.Operation.QUERY,
    dynamodb.Operation.PUT_ITEM,
    dynamodb.Operation.UPDATE_ITEM,
    dynamodb.Operation.DELETE_ITEM,
    dynamodb.Operation.TRANSACT_WRITE_ITEMS,
)


def _string(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Data(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: EnvironmentSettings,
        monitoring: Monitoring,
    ) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.TableV2(
            self,
            "Table",
            partition_key=_string(PARTITION_KEY),
            sort_key=_string(SORT_KEY),
            # Indexes inherit the table's billing, and with provisioned capacity its auto-scaling.
            global_secondary_indexes=[
                dynamodb.GlobalSecondaryIndexPropsV2(
                    index_name=GSI1,
                    partition_key=_string(GSI1_PARTITION_KEY),
                    sort_key=_string(GSI1_SORT_KEY),
                ),
                dynamodb.GlobalSecondaryIndexPropsV2(
                    index_name=GSI2,
                    partition_key=_string(GSI2_PARTITION_KEY),
                    sort_key=_string(GSI2_SORT_KEY),
                ),
            ],
            time_to_live_attribute=TTL_ATTRIBUTE,
            # Spiky or unknown traffic: pay per request, no capacity to manage.
            billing=dynamodb.Billing.on_demand(),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=settings.point_in_time_recovery
            ),
            deletion_protection=settings.deletion_protection,
            removal_policy=settings.removal_policy,
        )
        if not settings.point_in_time_recovery:
            acknowledge(
                self.table,
                "AwsSolutions-DDB3",
                (
                    f"Point-in-time recovery is off in {settings.name} only: its table holds "
                    "disposable test data, deleted with the stack. Environments with data worth "
                    "restoring turn it on in infra/settings.py."
                ),
            )
        self._alarm_on_throttles_and_system_errors(settings, monitoring)

    def grant_read_write(self, function: lambda_.Function) -> None:
        """Let the function read and write items (never Scan), and tell it the table's name.

        The grant is to the function's role, shared by every caller of the function, so it covers
        the whole table. Per-user isolation with the dynamodb:LeadingKeys condition key applies when
        callers get their own credentials (e.g. from a Cognito identity pool), not to this role.
        """
        # Named resources rather than the table grants' index/* wildcard: the API queries GSI1 only.
        iam.Grant.add_to_principal(
            grantee=function, actions=list(DATA_ACTIONS), resource_arns=[self.table.table_arn]
        )
        iam.Grant.add_to_principal(
            grantee=function,
            actions=["dynamodb:Query"],
            resource_arns=[f"{self.table.table_arn}/index/{GSI1}"],
        )
        function.add_environment(EnvironmentVariables.TABLE_NAME, self.table.table_name)

    def _alarm_on_throttles_and_system_errors(
        self, settings: EnvironmentSettings, monitoring: Monitoring
    ) -> None:
        period = Duration.minutes(5)
        monitoring.notify_on(
            cloudwatch.Alarm(
                self,
                "Throttles",
                metric=self.table.metric_throttled_requests_for_operations(
                    operations=list(OPERATIONS), period=period
                ),
                alarm_description=f"{self.table.node.path} throttled requests",
                threshold=1,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            cloudwatch.Alarm(
                self,
                "SystemErrors",
                metric=self.table.metric_system_errors_for_operations(
                    operations=list(OPERATIONS), period=period
                ),
                alarm_description=f"DynamoDB returned server errors to {self.table.node.path}",
                threshold=settings.alarm_error_threshold,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        )
