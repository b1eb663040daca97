"""What the service is, and what differs between its environments, as data.

Constructs read these settings; none of them branches on an environment's name.
"""

from dataclasses import dataclass

from aws_cdk import RemovalPolicy
from aws_cdk.aws_cognito import Mfa
from aws_cdk.aws_logs import RetentionDays

SERVICE_NAME = "orders-service"
STACK_PREFIX = "OrdersService"
TEAM = "platform"
GITHUB_REPOSITORY = "acme/orders-service"
ALLOWED_ORIGINS = ["https://app.example.com"]
# Prod's monthly budget in US dollars; each environment's is its monthly_budget_share of it.
MONTHLY_BUDGET_USD = 100
# Where AWS Budgets and Cost Explorer resources live, whatever REGION.
COST_REGION = "us-east-1"


@dataclass(frozen=True)
class EnvironmentSettings:
    name: str
    # The AWS account the stack is pinned to; None: the account of the deploying credentials.
    account: str | None
    # `cdk bootstrap --qualifier` of the bootstrap roles that deploy this environment, and only it.
    bootstrap_qualifier: str
    removal_policy: RemovalPolicy
    termination_protection: bool
    log_retention: RetentionDays
    log_retention_days: int
    log_level: str
    log_sample_rate: float
    alarm_error_threshold: int
    reserved_concurrency: int
    provisioned_concurrency: int
    alarm_p99_duration_ms: int
    api_memory_mib: int
    api_throttle_rate_limit: int
    api_throttle_burst_limit: int
    point_in_time_recovery: bool
    deletion_protection: bool
    user_pool_mfa: Mfa
    user_pool_deletion_protection: bool
    smoke_signed_in: bool
    monthly_budget_share: float
    budget_actual_alerts_percent: tuple[int, ...]
    budget_forecast_alerts_percent: tuple[int, ...]


ENVIRONMENTS: dict[str, EnvironmentSettings] = {
    "dev": EnvironmentSettings(
        name="dev",
        account=None,
        bootstrap_qualifier="de54cdfbca",
        removal_policy=RemovalPolicy.DESTROY,
        termination_protection=False,
        log_retention=RetentionDays.TWO_WEEKS,
        log_retention_days=14,
        log_level="DEBUG",
        log_sample_rate=0.5,
        alarm_error_threshold=5,
        reserved_concurrency=10,
        provisioned_concurrency=0,
        alarm_p99_duration_ms=2500,
        api_memory_mib=512,
        api_throttle_rate_limit=20,
        api_throttle_burst_limit=40,
        point_in_time_recovery=False,
        deletion_protection=False,
        user_pool_mfa=Mfa.OPTIONAL,
        user_pool_deletion_protection=False,
        smoke_signed_in=True,
        monthly_budget_share=0.25,
        budget_actual_alerts_percent=(100,),
        budget_forecast_alerts_percent=(150,),
    ),
    "prod": EnvironmentSettings(
        name="prod",
        account=None,
        bootstrap_qualifier="pe54cdfbca",
        removal_policy=RemovalPolicy.RETAIN,
        termination_protection=True,
        log_retention=RetentionDays.ONE_YEAR,
        log_retention_days=365,
        log_level="INFO",
        log_sample_rate=0.01,
        alarm_error_threshold=1,
        reserved_concurrency=100,
        provisioned_concurrency=2,
        alarm_p99_duration_ms=1500,
        api_memory_mib=512,
        api_throttle_rate_limit=500,
        api_throttle_burst_limit=1000,
        point_in_time_recovery=True,
        deletion_protection=True,
        user_pool_mfa=Mfa.REQUIRED,
        user_pool_deletion_protection=True,
        smoke_signed_in=False,
        monthly_budget_share=1.0,
        budget_actual_alerts_percent=(80, 100),
        budget_forecast_alerts_percent=(100,),
    ),
}


@dataclass(frozen=True)
class CiIdentity:
    """A CI identity stack: the deploy roles of the environments in one account."""

    stack_name: str
    account: str | None
    environments: tuple[str, ...]


CI_IDENTITIES: tuple[CiIdentity, ...] = (
    CiIdentity(
        stack_name="OrdersService-ci",
        account=None,
        environments=("dev", "prod"),
    ),
)


@dataclass(frozen=True)
class CostStack:
    """A cost stack: the budgets of the environments in one account, and its anomaly monitor."""

    stack_name: str
    account: str | None
    environments: tuple[str, ...]


COST_STACKS: tuple[CostStack, ...] = (
    CostStack(
        stack_name="OrdersService-cost",
        account=None,
        environments=("dev", "prod"),
    ),
)


def stack_name(environment: str) -> str:
    return f"{STACK_PREFIX}-{environment}"
