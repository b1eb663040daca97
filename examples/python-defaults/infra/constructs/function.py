"""A Lambda function the way this service runs them.

arm64, Python 3.14, Powertools from AWS's public layer (the version the tests run
against), X-Ray tracing, JSON logs kept as long as the environment says (with a share of the
invocations sampled at DEBUG), and alarms on errors, throttles and p99 duration. Functions invoked
asynchronously send failed events to a queue.
"""

from pathlib import Path
from typing import cast

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.compliance import acknowledge
from infra.constructs.monitoring import Monitoring
from infra.settings import SERVICE_NAME, STACK_PREFIX, EnvironmentSettings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUNTIME = lambda_.Runtime.PYTHON_3_14
# AWS publishes the layer ARN of every Powertools release as a public SSM parameter.
POWERTOOLS_LAYER_PARAMETER = "/aws/service/powertools/python/arm64/python3.14/3.37.0"
DEFAULT_TIMEOUT = Duration.seconds(10)


def service_code() -> lambda_.Code:
    """The `service` package alone: boto3 comes with the runtime, Powertools with its layer."""
    return lambda_.Code.from_asset(
        str(PROJECT_ROOT), exclude=["*", "!service", "!service/**", "**/__pycache__"]
    )


def powertools_layer(scope: Construct) -> lambda_.ILayerVersion:
    """One reference per stack to the Powertools layer."""
    stack = Stack.of(scope)
    existing = stack.node.try_find_child("PowertoolsLayer")
    if existing is not None:
        # ILayerVersion is a jsii interface, which isinstance cannot check.
        return cast(lambda_.ILayerVersion, existing)
    arn = ssm.StringParameter.value_for_string_parameter(stack, POWERTOOLS_LAYER_PARAMETER)
    return lambda_.LayerVersion.from_layer_version_arn(stack, "PowertoolsLayer", arn)


class ServiceFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        handler: str,
        description: str,
        settings: EnvironmentSettings,
        monitoring: Monitoring,
        environment: dict[str, str] | None = None,
        timeout: Duration = DEFAULT_TIMEOUT,
        memory_size: int = 512,
        invoked_asynchronously: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        log_group = logs.LogGroup(
            self,
            "Logs",
            retention=settings.log_retention,
            removal_policy=settings.removal_policy,
        )
        # An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"{construct_id} function of {SERVICE_NAME}",
        )
        log_group.grant_write(self.role)
        self.failed_invocations: sqs.Queue | None = None
        if invoked_asynchronously:
            self.failed_invocations = sqs.Queue(
                self,
                "FailedInvocations",
                enforce_ssl=True,
                encryption=sqs.QueueEncryption.SQS_MANAGED,
                retention_period=Duration.days(14),
            )
            acknowledge(
                self.failed_invocations,
                "AwsSolutions-SQS3",
                "This queue is itself the on-failure destination of the function's asynchronous invocations.",
            )
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            code=service_code(),
            handler=handler,
            role=self.role,
            layers=[powertools_layer(self)],
            timeout=timeout,
            memory_size=memory_size,
            tracing=lambda_.Tracing.ACTIVE,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            reserved_concurrent_executions=settings.reserved_concurrency,
            environment={
                "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
                "POWERTOOLS_METRICS_NAMESPACE": STACK_PREFIX,
                "POWERTOOLS_LOG_LEVEL": settings.log_level,
                # This share of invocations logs at DEBUG whatever the level: detail to debug with.
                "POWERTOOLS_LOGGER_SAMPLE_RATE": str(settings.log_sample_rate),
                "ENVIRONMENT": settings.name,
                **(environment or {}),
            },
            on_failure=(
                destinations.SqsDestination(self.failed_invocations)
                if self.failed_invocations
                else None
            ),
            retry_attempts=2 if invoked_asynchronously else None,
        )
        acknowledge(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions.",
        )
        self._alarm_on_errors_throttles_and_latency(settings, monitoring)

    def _alarm_on_errors_throttles_and_latency(
        self, settings: EnvironmentSettings, monitoring: Monitoring
    ) -> None:
        period = Duration.minutes(5)
        alarms = [
            self.function.metric_errors(period=period).create_alarm(
                self,
                "Errors",
                alarm_description=f"{self.function.node.path} raised errors",
                threshold=settings.alarm_error_threshold,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            self.function.metric_throttles(period=period).create_alarm(
                self,
                "Throttles",
                alarm_description=f"{self.function.node.path} was throttled: reserved concurrency is exhausted",
                threshold=1,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
            self.function.metric_duration(period=period, statistic="p99").create_alarm(
                self,
                "P99Duration",
                alarm_description=f"{self.function.node.path} p99 duration is above its target",
                threshold=settings.alarm_p99_duration_ms,
                evaluation_periods=3,
                datapoints_to_alarm=2,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            ),
        ]
        if self.failed_invocations:
            alarms.append(
                self.failed_invocations.metric_approximate_number_of_messages_visible(
                    period=period
                ).create_alarm(
                    self,
                    "FailedInvocationsWaiting",
                    alarm_description=f"Events that {self.function.node.path} failed to process are waiting in its failure queue",
                    threshold=1,
                    evaluation_periods=1,
                    treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                )
            )
        monitoring.notify_on(*alarms)
