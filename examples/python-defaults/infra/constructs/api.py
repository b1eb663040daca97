"""The HTTP API: API Gateway (HTTP API) in front of one Lambda function.

Every request goes to the function, whose Powertools resolver owns the routes (see
service/handlers/api.py), so a route is added in one place. Every request but `GET /health`
carries a JWT that API Gateway verifies before the function runs; the function takes the caller
from its `sub` claim. The stage throttles, writes an access log, and CORS admits the allowed
origins only.
"""

import json

import jsii
from aws_cdk import CfnOutput, Duration
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct

from infra.compliance import acknowledge
from infra.constructs.data import Data
from infra.constructs.function import ServiceFunction
from infra.constructs.monitoring import Monitoring
from infra.settings import ALLOWED_ORIGINS, SERVICE_NAME, EnvironmentSettings

# One JSON object per request, with the HTTP API's own context variables.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "requestTime": "$context.requestTime",
        "ip": "$context.identity.sourceIp",
        "userAgent": "$context.identity.userAgent",
        "method": "$context.httpMethod",
        "path": "$context.path",
        "routeKey": "$context.routeKey",
        "status": "$context.status",
        "protocol": "$context.protocol",
        "responseLength": "$context.responseLength",
        "responseLatency": "$context.responseLatency",
        "integrationLatency": "$context.integrationLatency",
        "integrationError": "$context.integrationErrorMessage",
    }
)


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogSettings:
    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._destination = apigwv2.LogGroupLogDestination(log_group)

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat:
        return apigateway.AccessLogFormat.custom(ACCESS_LOG_FORMAT)


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: EnvironmentSettings,
        monitoring: Monitoring,
        authorizer: apigwv2.IHttpRouteAuthorizer,
        data: Data | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.handler = ServiceFunction(
            self,
            "Handler",
            handler="service.handlers.api.handler",
            description="Serves the HTTP API",
            settings=settings,
            memory_size=settings.api_memory_mib,
            monitoring=monitoring,
            # API Gateway gives up after 30 s; a request that takes more than a few is already lost.
            timeout=Duration.seconds(6),
        )
        function = self.handler.function
        if data:
            data.grant_read_write(function)

        # Where the environment keeps warm instances, the API calls the alias that holds them.
        target: lambda_.IFunction = function
        if settings.provisioned_concurrency > 0:
            target = lambda_.Alias(
                self,
                "Live",
                alias_name="live",
                version=function.current_version,
                provisioned_concurrent_executions=settings.provisioned_concurrency,
            )

        integration = HttpLambdaIntegration("Handler", target)
        self.http_api = apigwv2.HttpApi(
            self,
            "HttpApi",
            api_name=f"{SERVICE_NAME}-{settings.name}",
            description=f"{SERVICE_NAME} HTTP API ({settings.name})",
            # Every route the function serves needs a signed-in caller...
            default_integration=integration,
            default_authorizer=authorizer,
            # The stage below replaces the default one, to get access logs and throttling.
            create_default_stage=False,
            # API Gateway answers CORS preflight requests itself, before any authorizer.
            cors_preflight=apigwv2.CorsPreflightOptions(
                allow_origins=ALLOWED_ORIGINS,
                allow_methods=[
                    apigwv2.CorsHttpMethod.GET,
                    apigwv2.CorsHttpMethod.POST,
                    apigwv2.CorsHttpMethod.OPTIONS,
                ],
                allow_headers=["content-type", "authorization", "idempotency-key"],
                max_age=Duration.hours(1),
            ),
        )
        # ...but the health check, which uptime monitors call without a token.
        (health,) = self.http_api.add_routes(
            path="/health",
            methods=[apigwv2.HttpMethod.GET],
            integration=integration,
            authorizer=apigwv2.HttpNoneAuthorizer(),
        )
        acknowledge(
            health,
            "AwsSolutions-APIG4",
            (
                "GET /health is public on purpose: uptime checks call it without a token, and it "
                "answers a constant without reading any data."
            ),
        )
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=settings.log_retention,
            removal_policy=settings.removal_policy,
        )
        self.stage = apigwv2.HttpStage(
            self,
            "Stage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=settings.api_throttle_rate_limit,
                burst_limit=settings.api_throttle_burst_limit,
            ),
            access_log_settings=_AccessLogSettings(access_logs),
        )
        CfnOutput(self, "Url", value=self.stage.url, description="Base URL of the HTTP API")

        monitoring.notify_on(
            self.http_api.metric_server_error(period=Duration.minutes(5)).create_alarm(
                self,
                "ServerErrors",
                alarm_description=f"{self.node.path} answered with 5xx errors",
                threshold=settings.alarm_error_threshold,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
        )
