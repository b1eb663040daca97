"""The environment's CloudWatch dashboard, built with cdk-monitoring-constructs: the state of every
alarm of the stack first, then a section for each part of the service.

Where to look when paged: the alarm that fired is at the top, and its resource's section shows
since when and how much. The library draws widgets only and adds no alarms of its own. The stack's
DashboardUrl output links to the dashboard.
"""

import math

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from cdk_monitoring_constructs import (
    CustomMetricGroup,
    DefaultDashboardFactory,
    MetricFactoryDefaults,
    MonitoringFacade,
)
from constructs import Construct

from infra.constructs.api import Api
from infra.constructs.data import Data
from infra.constructs.function import ServiceFunction
from infra.constructs.monitoring import Monitoring
from infra.settings import SERVICE_NAME, STACK_PREFIX, EnvironmentSettings

# Alarms a full-width status widget shows side by side.
ALARMS_PER_ROW = 4


class Dashboard(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: EnvironmentSettings,
        monitoring: Monitoring,
        api: Api,
        data: Data,
    ) -> None:
        super().__init__(scope, construct_id)
        # The dashboard's name: the stack's, which names the environment.
        name = f"{STACK_PREFIX}-{settings.name}"
        self._facade = MonitoringFacade(
            self,
            "Facade",
            dashboard_factory=DefaultDashboardFactory(
                self,
                "Factory",
                dashboard_name_prefix=name,
                create_dashboard=True,
                create_summary_dashboard=False,
                create_alarm_dashboard=False,
            ),
            # The namespace of the functions' Powertools metrics.
            metric_factory_defaults=MetricFactoryDefaults(namespace=STACK_PREFIX),
        )
        self._facade.add_large_header(f"{SERVICE_NAME} in {settings.name}")
        self._facade.add_widget(
            cloudwatch.AlarmStatusWidget(
                title="Alarms",
                alarms=monitoring.alarms,
                width=24,
                height=1 + math.ceil(len(monitoring.alarms) / ALARMS_PER_ROW),
            )
        )
        self._facade.monitor_api_gateway_v2_http_api(
            api=api.http_api, human_readable_name="HTTP API", alarm_friendly_name="HttpApi"
        )
        self._functions(
            {
                "Api": api.handler,
            }
        )
        self._facade.monitor_dynamo_table(
            table=data.table,
            human_readable_name="DynamoDB table",
            alarm_friendly_name="Table",
        )

        region = Stack.of(self).region
        CfnOutput(
            self,
            "Url",
            value=(
                f"https://us-east-1.console.aws.amazon.com/cloudwatch/home?region={region}"
                f"#dashboards/dashboard/{name}"
            ),
            description="CloudWatch dashboard of the service in this environment",
        )

    def _functions(self, functions: dict[str, ServiceFunction]) -> None:
        """Each function's own section, then their concurrency and cold starts side by side."""
        for name, function in functions.items():
            self._facade.monitor_lambda_function(
                lambda_function=function.function,
                human_readable_name=f"{name} function",
                alarm_friendly_name=name,
            )
        self._facade.monitor_custom(
            human_readable_name="Concurrency and cold starts",
            alarm_friendly_name="ConcurrencyAndColdStarts",
            metric_groups=[
                CustomMetricGroup(
                    title="Concurrent executions",
                    metrics=[
                        function.function.metric(
                            "ConcurrentExecutions", statistic="Maximum", label=name
                        )
                        for name, function in functions.items()
                    ],
                ),
                CustomMetricGroup(
                    title="Cold starts",
                    metrics=[
                        # What each handler's Powertools metrics record on a new instance's first
                        # invocation (capture_cold_start_metric).
                        cloudwatch.Metric(
                            namespace=STACK_PREFIX,
                            metric_name="ColdStart",
                            dimensions_map={
                                "function_name": function.function.function_name,
                                "service": SERVICE_NAME,
                            },
                            statistic="Sum",
                            label=name,
                        )
                        for name, function in functions.items()
                    ],
                ),
            ],
        )
