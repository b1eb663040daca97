"""Jinja extensions for the template: naming filters, answer validators and derived context.

Every name, flag and per-environment setting a template file needs is computed here, once;
templates read these values and never rebuild them with their own filter chains.
The functions at module level are plain Python so that tests can import them directly.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment, Undefined
from jinja2.ext import Extension

SERVICES = ("api", "dynamodb", "s3", "ecs", "eventbridge")
ENVIRONMENTS = ("dev", "staging", "prod")
LANGUAGES = ("python", "typescript")

# Every version a rendered project pins, in one table; template files read them as `versions.*`.
# Copies that cannot read it (the lock files in template/, written by scripts/update_lock_files.py,
# and the template's own pyproject.toml) are checked against it by tests/test_versions.py.
VERSIONS: dict[str, str] = {
    # Python of the Lambda runtime (pinned in the CDK code) and of the container image.
    "python_runtime": "3.14",
    # Powertools for AWS Lambda (Python): the public layer the functions run on, and the
    # library the tests run against.
    "powertools": "3.37.0",
    # Node.js of the TypeScript render's container image: the newest LTS line.
    "container_node": "24",
    # The container images' base images, pinned to the digest of their multi-architecture index
    # (arm64 and amd64 alike): python:<python_runtime>-slim and node:<container_node>-slim, as
    # docker-library/repo-info lists them (repos/python/remote/3.14-slim.md,
    # repos/node/remote/24-slim.md). A template release moves them; projects take the new digest
    # with that template update.
    "python_image_digest": "sha256:656d12e70054d5fda18a045e2494c96701e9792dd1445f95b3d038df954f57e9",
    "node_image_digest": "sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7",
    # The CDK CLI, installed from package.json.
    "cdk_cli": "2.1148.1",
    # What the GitHub workflows run on.
    "ci_python": "3.13",
    "ci_node": "22",
    # uv: in the workflows, and bootstrapped by `make install` where the PATH has none.
    "uv": "0.13.8",
    # What the template-update workflow runs `copier update` with: the versions the template's
    # own tests use.
    "copier": "9.19.1",
    "copier_template_extensions": "0.3.4",
}
# `cdk bootstrap`'s default qualifier: an environment alone in its account uses it. Environments
# that share an account each get a qualifier of their own (bootstrap_qualifier), so that one
# environment's deploy role can assume its own bootstrap roles and not the other's.
CDK_BOOTSTRAP_QUALIFIER = "hnb659fds"
# Where users' files go in the bucket (functions may touch nothing else), and what they may be:
# nothing a browser would run (no HTML, SVG or JavaScript).
UPLOADS_PREFIX = "uploads/"
UPLOAD_CONTENT_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/csv",
    "text/plain",
)

# What differs between environments, as data. Constructs read these values; none of them
# branches on an environment's name. Each key is described in SETTINGS below, which decides
# where it goes in the rendered project.
ENVIRONMENT_PROFILES: dict[str, dict[str, Any]] = {
    "dev": {
        "removal_policy": "DESTROY",
        "log_retention_days": 14,
        "log_level": "DEBUG",
        "log_sample_rate": 0.5,
        "reserved_concurrency": 10,
        "provisioned_concurrency": 0,
        "point_in_time_recovery": False,
        "deletion_protection": False,
        "table_read_capacity": (1, 5),
        "table_write_capacity": (1, 5),
        "alarm_error_threshold": 5,
        "alarm_p99_duration_ms": 2500,
        "api_throttle_rate_limit": 20,
        "api_throttle_burst_limit": 40,
        "event_archive_retention_days": 7,
        "noncurrent_version_retention_days": 7,
        "vpc_max_azs": 2,
        "vpc_nat_gateways": 1,
        "task_count": (1, 2),
        "task_cpu": 256,
        "task_memory_mib": 512,
        "deployment_bake_minutes": 2,
        "fargate_on_demand_base": 0,
        "fargate_on_demand_weight": 0,
        "fargate_spot_weight": 1,
        "max_upload_mib": 10,
        "user_pool_mfa": "OPTIONAL",
        "smoke_signed_in": True,
        "s3_archive_tiers": False,
        "monthly_budget_share": 0.25,
        "budget_actual_alerts_percent": (100,),
        "budget_forecast_alerts_percent": (150,),
        "api_memory_mib": 512,
        "publish_order_events_memory_mib": 512,
        "process_order_created_memory_mib": 512,
        "daily_report_memory_mib": 512,
    },
    "staging": {
        "removal_policy": "DESTROY",
        "log_retention_days": 30,
        "log_level": "INFO",
        "log_sample_rate": 0.1,
        "reserved_concurrency": 25,
        "provisioned_concurrency": 0,
        "point_in_time_recovery": True,
        "deletion_protection": False,
        "table_read_capacity": (2, 20),
        "table_write_capacity": (2, 20),
        "alarm_error_threshold": 3,
        "alarm_p99_duration_ms": 2000,
        "api_throttle_rate_limit": 50,
        "api_throttle_burst_limit": 100,
        "event_archive_retention_days": 30,
        "noncurrent_version_retention_days": 30,
        "vpc_max_azs": 2,
        "vpc_nat_gateways": 1,
        "task_count": (2, 4),
        "task_cpu": 256,
        "task_memory_mib": 512,
        "deployment_bake_minutes": 5,
        "fargate_on_demand_base": 0,
        "fargate_on_demand_weight": 0,
        "fargate_spot_weight": 1,
        "max_upload_mib": 10,
        "user_pool_mfa": "OPTIONAL",
        "smoke_signed_in": False,
        "s3_archive_tiers": False,
        "monthly_budget_share": 0.5,
        "budget_actual_alerts_percent": (90, 100),
        "budget_forecast_alerts_percent": (120,),
        "api_memory_mib": 512,
        "publish_order_events_memory_mib": 512,
        "process_order_created_memory_mib": 512,
        "daily_report_memory_mib": 512,
    },
    "prod": {
        "removal_policy": "RETAIN",
        "log_retention_days": 365,
        "log_level": "INFO",
        "log_sample_rate": 0.01,
        "reserved_concurrency": 100,
        "provisioned_concurrency": 2,
        "point_in_time_recovery": True,
        "deletion_protection": True,
        "table_read_capacity": (5, 100),
        "table_write_capacity": (5, 100),
        "alarm_error_threshold": 1,
        "alarm_p99_duration_ms": 1500,
        "api_throttle_rate_limit": 500,
        "api_throttle_burst_limit": 1000,
        "event_archive_retention_days": 365,
        "noncurrent_version_retention_days": 90,
        "vpc_max_azs": 3,
        "vpc_nat_gateways": 3,
        "task_count": (2, 10),
        "task_cpu": 512,
        "task_memory_mib": 1024,
        "deployment_bake_minutes": 10,
        "fargate_on_demand_base": 2,
        "fargate_on_demand_weight": 1,
        "fargate_spot_weight": 0,
        "max_upload_mib": 10,
        "user_pool_mfa": "REQUIRED",
        "smoke_signed_in": False,
        "s3_archive_tiers": False,
        "monthly_budget_share": 1.0,
        "budget_actual_alerts_percent": (80, 100),
        "budget_forecast_alerts_percent": (100,),
        "api_memory_mib": 512,
        "publish_order_events_memory_mib": 512,
        "process_order_created_memory_mib": 512,
        "daily_report_memory_mib": 512,
    },
}

# CloudWatch Logs accepts only these retention periods; the profiles above use them.
LOG_RETENTION_NAMES = {
    7: "ONE_WEEK",
    14: "TWO_WEEKS",
    30: "ONE_MONTH",
    90: "THREE_MONTHS",
    365: "ONE_YEAR",
}


@dataclass(frozen=True)
class LambdaFunction:
    """A Lambda function of the rendered stack, as `make power-tune FUNCTION=<name>` knows it."""

    # The command's name for it, kebab-case.
    name: str
    # Its construct's path in the service stack: CloudFormation's logical id of the function is
    # this path's parts joined, then `Function` and CDK's 8-character hash.
    construct_path: str
    # The flag of the derived `has` that renders it.
    needs: str
    description: str

    @property
    def memory_setting(self) -> str:
        return self.name.replace("-", "_") + "_memory_mib"

    @property
    def logical_id_prefix(self) -> str:
        return "".join(self.construct_path.split("/")) + "Function"


LAMBDA_FUNCTIONS = (
    LambdaFunction("api", "Api/Handler", "api", "API function"),
    LambdaFunction(
        "publish-order-events", "Events/PublishOrderEvents", "outbox", "order events publisher"
    ),
    LambdaFunction(
        "process-order-created",
        "Events/ProcessOrderCreated",
        "eventbridge",
        "OrderCreated processor",
    ),
    LambdaFunction("daily-report", "Events/DailyReport", "eventbridge", "daily report function"),
)


@dataclass(frozen=True)
class Setting:
    """One field of the rendered `EnvironmentSettings` (infra/settings.py), and its README row.

    The rendered dataclass, its values for every environment and the README's environment table
    are all made from this table and ENVIRONMENT_PROFILES: a new per-environment value is one
    line here and one value per profile.
    """

    name: str
    # The field's annotation; it also decides how a value is written (see python_value).
    python_type: str
    description: str
    # The flag of the derived `has` that needs the setting; None: every render has it.
    needs: str | None = None
    # The profile key the value comes from, when the setting derives from another one.
    source: str | None = None
    # The README table's row; None leaves the setting out (it repeats a row shown already).
    label: str | None = None
    # A comment line above the field in the rendered dataclass.
    comment: str | None = None

    @property
    def profile_key(self) -> str:
        return self.source or self.name


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "removal_policy",
        "RemovalPolicy",
        "what deleting the stack does to the data stores, logs and secrets",
        label="Data stores on stack deletion",
    ),
    Setting(
        "termination_protection",
        "bool",
        "CloudFormation refuses to delete the stack where the data is protected",
        source="deletion_protection",
    ),
    Setting(
        "log_retention",
        "RetentionDays",
        "the log groups' retention, as CDK's enum",
        source="log_retention_days",
    ),
    Setting(
        "log_retention_days",
        "int",
        "days every log is kept",
        label="Log retention (days)",
    ),
    Setting("log_level", "str", "the functions' and container's log level", label="Log level"),
    Setting(
        "log_sample_rate",
        "float",
        "share of function invocations that log at DEBUG whatever the log level (Powertools' "
        "log sampling)",
        needs="functions",
        label="Invocations logged at DEBUG (sampling)",
    ),
    Setting(
        "alarm_error_threshold",
        "int",
        "errors per 5 minutes that raise an alarm",
        label="Error alarm threshold (per 5 min)",
    ),
    Setting(
        "reserved_concurrency",
        "int",
        "concurrent executions reserved for each function",
        needs="functions",
        label="Lambda reserved concurrency",
    ),
    Setting(
        "provisioned_concurrency",
        "int",
        "warm instances of the API function's alias `live`; 0 for none",
        needs="functions",
        label="Provisioned concurrency (alias `live`)",
    ),
    Setting(
        "alarm_p99_duration_ms",
        "int",
        "p99 duration above which a function's alarm fires",
        needs="functions",
        label="p99 duration alarm (ms)",
    ),
    *(
        Setting(
            function.memory_setting,
            "int",
            f"memory of the {function.description} (and its CPU, which Lambda scales with it); "
            f"`make power-tune FUNCTION={function.name}` measures the best",
            needs=function.needs,
            label=f"Lambda memory (MiB): {function.description}",
        )
        for function in LAMBDA_FUNCTIONS
    ),
    Setting(
        "api_throttle_rate_limit",
        "int",
        "steady requests per second the API stage admits",
        needs="api",
        label="API throttling: requests per second",
    ),
    Setting(
        "api_throttle_burst_limit",
        "int",
        "requests the API stage admits in a burst",
        needs="api",
        label="API throttling: burst",
    ),
    Setting(
        "point_in_time_recovery",
        "bool",
        "continuous backups of the table",
        needs="dynamodb",
        label="DynamoDB point-in-time recovery",
    ),
    Setting(
        "deletion_protection",
        "bool",
        "the table refuses deletion",
        needs="dynamodb",
        label="DynamoDB deletion protection",
    ),
    Setting(
        "table_read_capacity",
        "tuple[int, int]",
        "auto-scaling range of the table's read capacity units",
        needs="provisioned_capacity",
        label="DynamoDB read capacity units (auto-scaled)",
        comment="Auto-scaling range (minimum, maximum) of the table's read and write capacity units.",
    ),
    Setting(
        "table_write_capacity",
        "tuple[int, int]",
        "auto-scaling range of the table's write capacity units",
        needs="provisioned_capacity",
        label="DynamoDB write capacity units (auto-scaled)",
    ),
    Setting(
        "noncurrent_version_retention_days",
        "int",
        "days the bucket keeps overwritten and deleted file versions",
        needs="s3",
        label="Overwritten or deleted file versions kept (days)",
    ),
    Setting(
        "access_log_retention_days",
        "int",
        "days the bucket's access logs are kept, as long as the other logs",
        needs="s3",
        source="log_retention_days",
    ),
    Setting(
        "max_upload_mib",
        "int",
        "the largest file a presigned upload accepts",
        needs="s3",
        label="Largest upload (MiB)",
    ),
    Setting(
        "s3_archive_tiers",
        "bool",
        "Intelligent-Tiering also moves objects nobody read for 90 days to Archive Access and "
        "after 180 days to Deep Archive Access (a download then needs a restore first)",
        needs="intelligent_tiering",
        label="S3 Intelligent-Tiering archive tiers",
    ),
    Setting(
        "event_archive_retention_days",
        "int",
        "days the bus's archive keeps events for replays",
        needs="eventbridge",
        label="Event archive retention (days)",
    ),
    Setting(
        "user_pool_mfa",
        "Mfa",
        "whether users must sign in with a second factor (an authenticator app)",
        needs="cognito",
        label="Cognito MFA (authenticator app)",
    ),
    Setting(
        "user_pool_deletion_protection",
        "bool",
        "the user pool refuses deletion",
        needs="cognito",
        source="deletion_protection",
        label="Cognito user pool deletion protection",
    ),
    Setting(
        "smoke_signed_in",
        "bool",
        "`make smoke` also signs a throwaway user in and calls the API with its token "
        "(the deploy role may then create, sign in and delete users of the pool)",
        needs="cognito",
        label="Smoke test signs a test user in",
    ),
    Setting(
        "vpc_max_azs",
        "int",
        "availability zones of the VPC",
        needs="ecs",
        label="VPC availability zones",
    ),
    Setting(
        "vpc_nat_gateways",
        "int",
        "NAT gateways: one shared, or one per zone",
        needs="ecs",
        label="NAT gateways",
    ),
    Setting(
        "task_count",
        "tuple[int, int]",
        "auto-scaling range of the Fargate service's task count",
        needs="ecs",
        label="Fargate tasks (min, max)",
    ),
    Setting(
        "task_cpu",
        "int",
        "CPU units of a task",
        needs="ecs",
        label="Fargate task CPU units (1024 = 1 vCPU)",
    ),
    Setting(
        "task_memory_mib",
        "int",
        "memory of a task",
        needs="ecs",
        label="Fargate task memory (MiB)",
    ),
    Setting(
        "deployment_bake_minutes",
        "int",
        "minutes a blue/green deployment waits before it retires the old tasks",
        needs="ecs",
        label="Blue/green bake time (minutes)",
    ),
    Setting(
        "monthly_budget_share",
        "float",
        "the environment's monthly AWS Budgets budget, as a share of `monthly_budget_usd` (the "
        "cost stack's MONTHLY_BUDGET_USD)",
        needs="cost_stack",
        label="Monthly budget (share of `monthly_budget_usd`)",
    ),
    Setting(
        "budget_actual_alerts_percent",
        "tuple[int, ...]",
        "percentages of the budget that the month's actual spend alerts at",
        needs="cost_stack",
        label="Budget alerts on actual spend (% of budget)",
    ),
    Setting(
        "budget_forecast_alerts_percent",
        "tuple[int, ...]",
        "percentages of the budget that the month's forecast spend alerts at",
        needs="cost_stack",
        label="Budget alerts on forecast spend (% of budget)",
    ),
    Setting(
        "fargate_on_demand_base",
        "int",
        "tasks that always run on on-demand Fargate, whatever the weights below",
        needs="ecs",
        label="Fargate on-demand tasks always running (base)",
        comment="The first tasks run on demand; those above the base split by the weights below.",
    ),
    Setting(
        "fargate_on_demand_weight",
        "int",
        "share of the tasks above the base that run on on-demand Fargate",
        needs="ecs",
        label="Tasks above the base: on-demand weight",
    ),
    Setting(
        "fargate_spot_weight",
        "int",
        "share of the tasks above the base that run on Fargate Spot (interruptible, about 70% cheaper)",
        needs="ecs",
        label="Tasks above the base: Fargate Spot weight",
    ),
)


def python_value(setting: Setting, value: Any) -> str:
    """A profile value as the Python expression of the rendered infra/settings.py."""
    if setting.python_type == "RemovalPolicy":
        return f"RemovalPolicy.{value}"
    if setting.python_type == "RetentionDays":
        return f"RetentionDays.{LOG_RETENTION_NAMES[value]}"
    if setting.python_type == "Mfa":
        return f"Mfa.{value}"
    if setting.python_type == "str":
        return json.dumps(value)
    return repr(value)


# The TypeScript type of each Python annotation of the settings table.
TYPESCRIPT_TYPES = {
    "RemovalPolicy": "RemovalPolicy",
    "RetentionDays": "RetentionDays",
    "Mfa": "Mfa",
    "bool": "boolean",
    "int": "number",
    "float": "number",
    "str": "string",
    "tuple[int, int]": "readonly [number, number]",
    "tuple[int, ...]": "readonly number[]",
}


def typescript_string(value: str) -> str:
    """A string literal as Prettier writes it with `singleQuote`: the quote needing fewer escapes."""
    quote = '"' if value.count("'") > value.count('"') else "'"
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote).replace("\n", "\\n")
    return f"{quote}{escaped}{quote}"


def typescript_value(setting: Setting, value: Any) -> str:
    """A profile value as the TypeScript expression of the rendered infra/settings.ts."""
    if setting.python_type == "RetentionDays":
        return f"RetentionDays.{LOG_RETENTION_NAMES[value]}"
    if setting.python_type in ("RemovalPolicy", "Mfa"):
        return f"{setting.python_type}.{value}"
    if setting.python_type == "str":
        return typescript_string(value)
    if setting.python_type == "bool":
        return "true" if value else "false"
    if setting.python_type in ("tuple[int, int]", "tuple[int, ...]"):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def readme_value(setting: Setting, value: Any) -> str:
    """A profile value as a cell of the rendered README's environment table."""
    if setting.python_type == "RemovalPolicy":
        return {"RETAIN": "retained", "DESTROY": "deleted"}[value]
    if setting.python_type == "Mfa":
        return {"REQUIRED": "required", "OPTIONAL": "optional"}[value]
    if setting.python_type == "bool":
        return "yes" if value else "no"
    if setting.python_type == "tuple[int, int]":
        return " to ".join(str(v) for v in value)
    if setting.python_type == "tuple[int, ...]":
        return ", ".join(str(v) for v in value)
    if setting.python_type == "float":
        return f"{value:.0%}"
    return str(value)


def profile_settings(has: dict[str, bool], chosen_envs: list[str]) -> list[dict[str, Any]]:
    """The settings these answers render, each with its value for every chosen environment."""
    return [
        {
            "name": setting.name,
            "type": setting.python_type,
            "comment": setting.comment,
            "label": setting.label,
            "python": {
                env: python_value(setting, ENVIRONMENT_PROFILES[env][setting.profile_key])
                for env in chosen_envs
            },
            # The same field in infra/settings.ts: camelCase, with TypeScript's type and values.
            "camel_name": camel(setting.name),
            "description": setting.description,
            "typescript_type": TYPESCRIPT_TYPES[setting.python_type],
            "typescript": {
                env: typescript_value(setting, ENVIRONMENT_PROFILES[env][setting.profile_key])
                for env in chosen_envs
            },
            "readme": [
                readme_value(setting, ENVIRONMENT_PROFILES[env][setting.profile_key])
                for env in chosen_envs
            ],
        }
        for setting in SETTINGS
        if setting.needs is None or has[setting.needs]
    ]


def stack_name(pascal_name: str, environment: str) -> str:
    """The contract's stack name, `<PascalServiceName>-<env>`; the CI identity's env is `ci`."""
    return f"{pascal_name}-{environment}"


def bootstrap_qualifier(service_name: str, environment: str, shares_account: bool) -> str:
    """The `cdk bootstrap --qualifier` of an environment's stack.

    Alone in its account, an environment uses CDK's default. Sharing one, it gets its own: the
    environment's initial and a hash of the service's name (CDK allows 10 lower-case letters or
    digits), so that each service and environment has bootstrap roles of its own.
    """
    if not shares_account:
        return CDK_BOOTSTRAP_QUALIFIER
    return environment[0] + hashlib.sha256(service_name.encode()).hexdigest()[:9]


def ci_identities(
    pascal_name: str, chosen_envs: list[str], accounts: dict[str, str]
) -> list[dict[str, Any]]:
    """One CI identity stack per account, holding the deploy roles of that account's environments.

    With no accounts (one account, resolved at deploy) it is `<Pascal>-ci`; with accounts, each
    is `<Pascal>-ci-<account id>`, in the promotion order of its first environment.
    """
    if not accounts:
        return [
            {
                "stack_name": stack_name(pascal_name, "ci"),
                "account": None,
                "environments": chosen_envs,
            }
        ]
    by_account: dict[str, list[str]] = {}
    for env in chosen_envs:
        by_account.setdefault(accounts[env], []).append(env)
    return [
        {
            "stack_name": stack_name(pascal_name, f"ci-{account}"),
            "account": account,
            "environments": envs,
        }
        for account, envs in by_account.items()
    ]


# ---------------------------------------------------------------------------
# Regions: which exist, which partition each is in, what each lacks (regions.toml, generated)
# ---------------------------------------------------------------------------
REGION_DATA = tomllib.loads(Path(__file__).with_name("regions.toml").read_text())
# A region's partition, from its name's prefix; the rest are commercial (`aws`).
PARTITION_PREFIXES = (
    ("us-gov-", "aws-us-gov"),
    ("cn-", "aws-cn"),
    ("us-isob-", "aws-iso-b"),
    ("us-isof-", "aws-iso-f"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-iso-", "aws-iso"),
    ("eusc-", "aws-eusc"),
)
# AWS publishes the Powertools layer "in all commercial regions and AWS GovCloud (US) regions"
# (Powertools for AWS Lambda, Lambda layers); GitHub's OIDC tokens reach both partitions.
SUPPORTED_PARTITIONS = ("aws", "aws-us-gov")


def partition(region: str) -> str:
    return next((name for prefix, name in PARTITION_PREFIXES if region.startswith(prefix)), "aws")


# Features built on resource types that some regions lack, by the derived flag that renders them.
# Where the region lacks one of its types, the flag is off and the render leaves the feature out;
# a test checks that every type an accepted region lacks is listed here.
REGIONAL_FEATURES = {
    "schema_registry": ("AWS::EventSchemas::Registry", "AWS::EventSchemas::Schema"),
}


def region_offers(region: str, resource_types: Iterable[str]) -> bool:
    return not any(region in REGION_DATA["missing"].get(t, []) for t in resource_types)


# AWS Budgets and Cost Explorer are global services whose resources CloudFormation creates in
# one region of a partition: us-east-1 in the commercial one, whatever the service's region. The
# GovCloud regions offer neither AWS::Budgets::Budget nor AWS::CE::* (cfn-lint's schemas; a
# GovCloud account's bills belong to its associated commercial account), so a GovCloud render has
# no cost stack and its README says why.
COST_TYPES = ("AWS::Budgets::Budget", "AWS::CE::AnomalyMonitor", "AWS::CE::AnomalySubscription")
BILLING_REGIONS = {"aws": "us-east-1"}


def billing_region(region: str) -> str | None:
    """Where the cost stack of a service in this region goes; None where the partition has none."""
    billing = BILLING_REGIONS.get(partition(region))
    return billing if billing is not None and region_offers(billing, COST_TYPES) else None


# Every pattern is matched against the whole answer (`fullmatch`): `$` would also accept a value
# that ends in a newline, which then breaks the strings it is rendered into.
_SERVICE_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_REGION = re.compile(
    r"[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]"
)
_GITHUB_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}")
_GITHUB_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")
_TAG_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.:/=+@-]{0,63}")
_ORIGIN = re.compile(r"(?P<scheme>https?)://(?P<host>[^:/]+)(?::(?P<port>[0-9]+))?")
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_IPV4 = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_CERTIFICATE_ARN = re.compile(
    r"arn:(?P<partition>[a-z-]+):acm:(?P<region>[a-z0-9-]+):(?P<account>[0-9]{12}):"
    r"certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
# An issuer is an https URL with no query or fragment (OpenID Connect Discovery 1.0, section 4);
# its path is RFC 3986 path characters, percent-encoded where need be.
_ISSUER = re.compile(
    r"(?P<origin>https://[^/?#]+)(?P<path>(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*)"
)
MAX_ISSUER_LENGTH = 255
_AUDIENCE = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]{0,254}[\x21-\x7e])?")


# ---------------------------------------------------------------------------
# Naming
# ---------------------------------------------------------------------------
def words(value: str) -> list[str]:
    """Split a name in any common case into lower-case words."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", str(value))
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def kebab(value: str) -> str:
    return "-".join(words(value))


def snake(value: str) -> str:
    return "_".join(words(value))


def pascal(value: str) -> str:
    return "".join(w.capitalize() for w in words(value))


def camel(value: str) -> str:
    p = pascal(value)
    return p[:1].lower() + p[1:]


# ---------------------------------------------------------------------------
# Validators: each returns "" for a good answer, else a message naming the rule broken
# ---------------------------------------------------------------------------
def service_name_error(value: str) -> str:
    value = str(value)
    if not 3 <= len(value) <= 32:
        return f"service_name must be 3 to 32 characters long; {value!r} has {len(value)}"
    if not value[0].isalpha():
        return f"service_name must start with a letter; got {value!r}"
    if not _SERVICE_NAME.fullmatch(value):
        return (
            f"service_name must be kebab-case (lower-case letters and digits in words joined by "
            f"single hyphens, no trailing hyphen), e.g. orders-service; got {value!r}"
        )
    return ""


def language_error(value: str) -> str:
    if value not in LANGUAGES:
        return f"language must be one of {', '.join(LANGUAGES)}; got {value!r}"
    return ""


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [value] if value else []
    return list(value or [])


def services_error(value: Any) -> str:
    unknown = [s for s in _as_list(value) if s not in SERVICES]
    if unknown:
        return f"services has unknown values {unknown}; choose from {', '.join(SERVICES)}"
    return ""


def environments_error(value: Any) -> str:
    chosen = _as_list(value)
    if not chosen:
        return f"environments must name at least one of {', '.join(ENVIRONMENTS)}"
    unknown = [e for e in chosen if e not in ENVIRONMENTS]
    if unknown:
        return f"environments has unknown values {unknown}; choose from {', '.join(ENVIRONMENTS)}"
    return ""


def aws_region_error(value: str) -> str:
    value = str(value)
    if not _REGION.fullmatch(value):
        return (
            f"aws_region must be an AWS region name in lower case, such as us-east-1, "
            f"eu-west-1 or us-gov-west-1; got {value!r}"
        )
    if value not in REGION_DATA["regions"]:
        return (
            f"aws_region {value!r} is not a region CloudFormation offers (per the template's "
            "region data, extensions/regions.toml); check its spelling"
        )
    if partition(value) not in SUPPORTED_PARTITIONS:
        return (
            f"aws_region {value!r} is in the {partition(value)} partition; the template supports "
            f"the {' and '.join(SUPPORTED_PARTITIONS)} partitions, where AWS publishes the "
            "Powertools layer"
        )
    return ""


def github_repository_error(value: str) -> str:
    parts = str(value).split("/")
    if len(parts) != 2:
        return f"github_repository must be owner/name with exactly one '/'; got {value!r}"
    owner, name = parts
    if not _GITHUB_OWNER.fullmatch(owner):
        return (
            f"github_repository owner {owner!r} must be 1 to 39 letters, digits or single "
            "hyphens, not starting or ending with a hyphen"
        )
    if not _GITHUB_REPO.fullmatch(name) or name in {".", ".."}:
        return (
            f"github_repository name {name!r} may only hold letters, digits, '.', '-' and '_' "
            "(no spaces), up to 100 characters"
        )
    return ""


def team_error(value: str) -> str:
    value = str(value)
    if not _TAG_VALUE.fullmatch(value) or value.endswith(" "):
        return (
            "team becomes the Team tag: 1 to 64 characters, starting with a letter or digit, "
            f"then letters, digits, spaces or _ . : / = + @ -, not ending in a space; got {value!r}"
        )
    return ""


def origins(value: str) -> list[str]:
    return [o.strip() for o in str(value).split(",") if o.strip()]


def origin_error(origin: str) -> str:
    """Why one browser origin is malformed, or "" when it is a valid `scheme://host[:port]`."""
    parsed = _ORIGIN.fullmatch(origin)
    if not parsed:
        return "scheme http or https, then :// and a host, an optional :port, and no path"
    host, port = parsed["host"], parsed["port"]
    if _IPV4.fullmatch(host):
        if any(int(part) > 255 for part in host.split(".")):
            return "an IPv4 address has four numbers from 0 to 255"
    elif len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in host.split(".")):
        return (
            "a host name is dot-separated labels of lower-case letters, digits and inner "
            "hyphens, each 1 to 63 characters"
        )
    if port is not None and (port.startswith("0") or not 1 <= int(port) <= 65535):
        return "a port is a number from 1 to 65535"
    return ""


def allowed_origins_error(value: str) -> str:
    value = str(value)
    rule = "comma-separated origins like https://app.example.com (scheme and host, no path or wildcard)"
    if not value.strip():
        return f"allowed_origins must list at least one origin: {rule}"
    # Origins are separated by a comma and at most one space; nothing before or after them.
    listed = re.split(r", ?", value)
    for origin in listed:
        problem = origin_error(origin)
        if problem:
            return f"allowed_origins must be {rule}; {origin!r} breaks the rule: {problem}"
    return ""


def oidc_issuer_url_error(value: str) -> str:
    value = str(value)
    rule = (
        "the https:// URL your identity provider puts in its tokens' `iss` claim, such as "
        "https://login.example.com/tenant (no query or fragment)"
    )
    if not value:
        return f"oidc_issuer_url is required with auth_provider oidc: {rule}"
    if len(value) > MAX_ISSUER_LENGTH:
        return f"oidc_issuer_url must be at most {MAX_ISSUER_LENGTH} characters: {rule}"
    parsed = _ISSUER.fullmatch(value)
    if not parsed:
        return f"oidc_issuer_url must be {rule}; got {value!r}"
    problem = origin_error(parsed["origin"])
    if problem:
        return f"oidc_issuer_url must be {rule}; its host breaks the rule: {problem}"
    return ""


def oidc_audience_error(value: str) -> str:
    value = str(value)
    if not value:
        return (
            "oidc_audience is required with auth_provider oidc: the `aud` (or `client_id`) "
            "your identity provider puts in tokens meant for this API"
        )
    if not _AUDIENCE.fullmatch(value):
        return (
            "oidc_audience must be 1 to 256 printable ASCII characters, with no space at "
            f"either end; got {value!r}"
        )
    return ""


def container_port_error(value: Any) -> str:
    if isinstance(value, bool):
        return f"container_port must be a number; got {value!r}"
    try:
        port = int(value)
    except (TypeError, ValueError):
        return f"container_port must be a number; got {value!r}"
    if not 1024 <= port <= 65535:
        return f"container_port must be between 1024 and 65535 (the container runs as non-root); got {port}"
    return ""


MAX_MONTHLY_BUDGET_USD = 1_000_000


def monthly_budget_usd_error(value: Any) -> str:
    """A positive whole number of US dollars, at most MAX_MONTHLY_BUDGET_USD."""
    rule = f"a whole number of US dollars from 1 to {MAX_MONTHLY_BUDGET_USD:,}"
    if isinstance(value, bool) or not isinstance(value, int):
        return f"monthly_budget_usd must be {rule}; got {value!r}"
    if not 1 <= value <= MAX_MONTHLY_BUDGET_USD:
        return f"monthly_budget_usd must be {rule} (prod's monthly budget); got {value:,}"
    return ""


def aws_accounts_error(value: Any, environments: Any = ()) -> str:
    """Empty, or every chosen environment mapped to a quoted 12-digit account id, and no other."""
    rule = (
        "a mapping of every chosen environment to its 12-digit account id, quoted "
        "(e.g. {dev: '111111111111', prod: '222222222222'}), or {} for one account"
    )
    if value in (None, ""):
        return ""
    if not isinstance(value, dict):
        return f"aws_accounts must be {rule}; got {value!r}"
    if not value:
        return ""
    chosen = _as_list(environments)
    unknown = [env for env in value if env not in chosen]
    if unknown:
        return f"aws_accounts must be {rule}; {unknown} are not chosen environments ({', '.join(chosen)})"
    missing = [env for env in chosen if env not in value]
    if missing:
        return f"aws_accounts must be {rule}; {missing} have no account"
    for env, account in value.items():
        if not isinstance(account, str) or not _ACCOUNT_ID.fullmatch(account):
            return f"aws_accounts must be {rule}; {env}: {account!r} is not 12 digits in quotes"
    return ""


def certificate_arn_error(value: Any, region: Any = "us-east-1") -> str:
    """Empty, or an ACM certificate ARN in the project's region and that region's partition."""
    value = "" if value is None else str(value)
    if not value:
        return ""
    region = str(region)
    expected = f"arn:{partition(region)}:acm:{region}:<12-digit account>:certificate/<uuid>"
    parsed = _CERTIFICATE_ARN.fullmatch(value)
    if not parsed or parsed["partition"] != partition(region) or parsed["region"] != region:
        return (
            f"certificate_arn must be empty or an ACM certificate ARN in the project's region, "
            f"{expected} (the load balancer can only use a certificate of its own region); got {value!r}"
        )
    return ""


# What the Fargate task runs on, by the `container_architecture` answer: the task's CPU
# architecture (ECS), and the platform its image is built for (the CDK's asset platform).
CONTAINER_ARCHITECTURES = {
    "arm64": {"cpu": "ARM64", "platform": "LINUX_ARM64", "docker": "linux/arm64"},
    "x86_64": {"cpu": "X86_64", "platform": "LINUX_AMD64", "docker": "linux/amd64"},
}


def container_architecture_error(value: Any) -> str:
    if not isinstance(value, str) or value not in CONTAINER_ARCHITECTURES:
        return (
            f"container_architecture must be one of {', '.join(CONTAINER_ARCHITECTURES)} "
            f"(arm64 is Graviton, x86_64 for an image that needs Intel or AMD); got {value!r}"
        )
    return ""


VALIDATORS = {
    f.__name__: f
    for f in (
        service_name_error,
        language_error,
        services_error,
        environments_error,
        aws_region_error,
        github_repository_error,
        team_error,
        allowed_origins_error,
        oidc_issuer_url_error,
        oidc_audience_error,
        container_port_error,
        container_architecture_error,
        aws_accounts_error,
        certificate_arn_error,
        monthly_budget_usd_error,
    )
}


# ---------------------------------------------------------------------------
# Derived context
# ---------------------------------------------------------------------------
def derive(answers: dict[str, Any]) -> dict[str, Any]:
    """Everything the templates need beyond the raw answers."""
    name = str(answers.get("service_name", "orders-service"))
    chosen_services = set(_as_list(answers.get("services", [])))
    chosen_envs = [e for e in ENVIRONMENTS if e in _as_list(answers.get("environments", []))]
    pascal_name = pascal(name)
    # The validator refuses a malformed answer; the context is built before it runs, too.
    raw_accounts = answers.get("aws_accounts")
    accounts = {
        env: str(account)
        for env, account in (raw_accounts.items() if isinstance(raw_accounts, dict) else ())
        if env in chosen_envs
    }
    if set(accounts) != set(chosen_envs):
        accounts = {}
    identities = ci_identities(pascal_name, chosen_envs, accounts)
    identity_of = {env: ci for ci in identities for env in ci["environments"]}
    environments = [
        {
            "name": env,
            "stack_name": stack_name(pascal_name, env),
            "account": accounts.get(env),
            "bootstrap_qualifier": bootstrap_qualifier(
                name, env, shares_account=len(identity_of[env]["environments"]) > 1
            ),
            "ci_stack_name": identity_of[env]["stack_name"],
            "promotion": (
                "on every push to main"
                if index == 0
                else f"after {chosen_envs[index - 1]}, once approved"
            ),
            **ENVIRONMENT_PROFILES[env],
            # The environment's monthly budget, as the cost stack computes it, for the README.
            "monthly_budget": dollars(
                _budget(answers.get("monthly_budget_usd"))
                * ENVIRONMENT_PROFILES[env]["monthly_budget_share"]
            ),
        }
        for index, env in enumerate(chosen_envs)
    ]
    has = {service: service in chosen_services for service in SERVICES}
    # Functions exist with the API, the event rule target and the scheduled report.
    has["functions"] = has["api"] or has["eventbridge"]
    # Every service has a place on the environment's dashboard; all but S3 have alarms.
    has["dashboard"] = any(has[service] for service in SERVICES)
    has["alarms"] = has["functions"] or has["dynamodb"] or has["ecs"]
    # The `service` package: the functions' code, and with S3 the upload helpers and with DynamoDB
    # the data-access layer (both usable without functions).
    has["service_package"] = has["functions"] or has["s3"] or has["dynamodb"]
    # Code that calls DynamoDB, S3 or EventBridge is also tested against the local emulator.
    has["integration_tests"] = has["dynamodb"] or has["s3"] or has["eventbridge"]
    # The API's routes take input (bodies, path and query parameters) once they serve data or files.
    has["api_input"] = has["api"] and (has["dynamodb"] or has["s3"])
    # Who signs callers in to the API: a user pool of the stack's own, or the owner's OIDC issuer.
    has["cognito"] = has["api"] and answers.get("auth_provider", "cognito") == "cognito"
    has["oidc"] = has["api"] and answers.get("auth_provider") == "oidc"
    # The table's capacity is provisioned, scaled within each environment's range.
    has["provisioned_capacity"] = (
        has["dynamodb"] and answers.get("dynamodb_billing_mode") == "provisioned"
    )
    # The schema registry, where the region offers EventBridge Schemas; the README says when not.
    region = str(answers.get("aws_region", "us-east-1"))
    # The table's stream publishes each new order's OrderCreated (the transactional outbox).
    has["outbox"] = has["dynamodb"] and has["eventbridge"]
    # The daily report writes its day's orders to the bucket as CSV: it needs orders and a bucket.
    has["report_csv"] = has["eventbridge"] and has["dynamodb"] and has["s3"]
    # Powertools idempotency: the API's order placing, and the OrderCreated processor.
    has["idempotency"] = (has["api"] and has["dynamodb"]) or has["eventbridge"]
    has["schema_registry"] = has["eventbridge"] and region_offers(
        region, REGIONAL_FEATURES["schema_registry"]
    )
    # S3 storage classes for access nobody can predict: Intelligent-Tiering instead of the
    # lifecycle's fixed transitions.
    has["intelligent_tiering"] = has["s3"] and answers.get("s3_access_pattern") == "unknown"
    # The CI identity creates the account's GitHub OIDC provider (and its Access Analyzer).
    has["creates_github_oidc_provider"] = answers.get("github_oidc_provider", "create") == "create"
    # The budgets and the anomaly monitor, in the partition's billing region.
    cost_region = billing_region(region)
    has["cost_stack"] = cost_region is not None
    language = str(answers.get("language", "python"))
    flags = flags_of(language, has)
    return {
        "excluded_paths": exclude_patterns(flags),
        "tag_policy_types": tag_policy_types(flags),
        "starting_points": starting_points(flags),
        "is_python": language == "python",
        "is_typescript": language == "typescript",
        "pascal_name": pascal_name,
        "ci_identities": identities,
        # Environments sharing an account: what one environment's deployment can reach is the README's.
        "shared_accounts": [ci for ci in identities if len(ci["environments"]) > 1],
        # One cost stack per account, beside its CI identity: `<Pascal>-cost[-<account>]`.
        "cost_stacks": [
            {
                **ci,
                "stack_name": ci["stack_name"].replace(
                    stack_name(pascal_name, "ci"), stack_name(pascal_name, "cost"), 1
                ),
            }
            for ci in identities
        ]
        if cost_region
        else [],
        "cost_region": cost_region,
        # The AWS console's address for the region (GovCloud's console has one for all regions).
        "console_host": (
            "console.amazonaws-us-gov.com"
            if partition(region) == "aws-us-gov"
            else f"{region}.console.aws.amazon.com"
        ),
        "monthly_budget_usd": _budget(answers.get("monthly_budget_usd")),
        "https": has["ecs"] and bool(answers.get("certificate_arn")),
        "metrics_namespace": pascal_name,
        "event_source": name,
        "has": has,
        "architecture": architecture(has),
        "env_profiles": environments,
        "profile_settings": profile_settings(has, chosen_envs),
        "first_environment": chosen_envs[0] if chosen_envs else "dev",
        "origins": origins(answers.get("allowed_origins", "")),
        "versions": VERSIONS,
        # The CDK's name of the Lambda runtime: lambda_.Runtime.PYTHON_3_14.
        "lambda_runtime": "PYTHON_" + VERSIONS["python_runtime"].replace(".", "_"),
        "powertools_layer_parameter": (
            f"/aws/service/powertools/python/arm64/python{VERSIONS['python_runtime']}/"
            f"{VERSIONS['powertools']}"
        ),
        # The Fargate task's architecture and its image's platform (arm64 unless answered).
        "container_platform": CONTAINER_ARCHITECTURES.get(
            str(answers.get("container_architecture", "arm64")), CONTAINER_ARCHITECTURES["arm64"]
        ),
        # The functions the stack holds, for `make power-tune`.
        "lambda_functions": [
            {
                "name": function.name,
                "logical_id_prefix": function.logical_id_prefix,
                "memory_setting": function.memory_setting,
                "description": function.description,
            }
            for function in LAMBDA_FUNCTIONS
            if has[function.needs]
        ],
        "uploads_prefix": UPLOADS_PREFIX,
        "upload_content_types": UPLOAD_CONTENT_TYPES,
    }


def dollars(amount: float) -> str:
    """An amount of US dollars as the README writes it: $1,250, or $83.25 with cents."""
    return f"${amount:,.2f}".removesuffix(".00")


def _budget(value: Any) -> int:
    """The budget answer; the validator refuses anything else, and the context is built first."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 100


# ---------------------------------------------------------------------------
# Which answers render which files: the table in files.toml
# ---------------------------------------------------------------------------
FILE_TABLE = Path(__file__).with_name("files.toml")
TEMPLATE_ROOT = Path(__file__).resolve().parents[1] / "template"
TEMPLATE_SUFFIX = ".jinja"
# Copier names the answers file itself; it is rendered whatever the answers.
ANSWERS_FILE_TEMPLATE = "{{ _copier_conf.answers_file }}.jinja"


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A rendered-path pattern as a regex: `*` stays within a folder, `**/` spans folders."""
    parts = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    wildcards = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(wildcards.get(part, re.escape(part)) for part in parts) + r"\Z")


@dataclass(frozen=True)
class FileRule:
    """Paths that render only when `when` holds: flags joined by `and`, or by `or`."""

    when: str
    paths: tuple[str, ...]
    planned: bool = False

    @functools.cached_property
    def regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(glob_regex(p) for p in self.paths)

    def matches(self, path: str) -> bool:
        return any(regex.match(path) for regex in self.regexes)

    def holds(self, flags: frozenset[str]) -> bool:
        if " or " in self.when:
            return any(flag.strip() in flags for flag in self.when.split(" or "))
        return all(flag.strip() in flags for flag in self.when.split(" and "))


@dataclass(frozen=True)
class FileTable:
    common: tuple[str, ...]
    rules: tuple[FileRule, ...]
    starting_points: tuple[str, ...]

    def renders(self, path: str, flags: frozenset[str]) -> bool:
        return all(rule.holds(flags) for rule in self.rules if rule.matches(path))

    def is_starting_point(self, path: str) -> bool:
        return any(glob_regex(pattern).match(path) for pattern in self.starting_points)


@functools.cache
def file_table() -> FileTable:
    data = tomllib.loads(FILE_TABLE.read_text())
    return FileTable(
        common=tuple(data["common"]["paths"]),
        rules=tuple(
            FileRule(rule["when"], tuple(rule["paths"]), rule.get("planned", False))
            for rule in data["rule"]
        ),
        starting_points=tuple(data["ownership"]["starting_points"]),
    )


@functools.cache
def template_files() -> tuple[str, ...]:
    """Every file under template/, as the path it renders to (the answers file aside)."""
    return tuple(
        sorted(
            path.relative_to(TEMPLATE_ROOT).as_posix().removesuffix(TEMPLATE_SUFFIX)
            for path in TEMPLATE_ROOT.rglob("*")
            if path.is_file() and path.name != ANSWERS_FILE_TEMPLATE
        )
    )


def flags_of(language: str, has: dict[str, bool]) -> frozenset[str]:
    return frozenset({language, *(name for name, chosen in has.items() if chosen)})


@functools.cache
def rendered_files(flags: frozenset[str]) -> tuple[str, ...]:
    """The files a render with these flags holds, by the table."""
    table = file_table()
    chosen = {path for path in template_files() if table.renders(path, flags)}
    # A package's __init__.py comes with its package: when anything else in its folder renders.
    return tuple(
        sorted(
            path
            for path in chosen
            if not path.endswith("/__init__.py")
            or any(
                other.startswith(path.removesuffix("__init__.py"))
                and not other.endswith("/__init__.py")
                for other in chosen
            )
        )
    )


@functools.cache
def excluded_paths(flags: frozenset[str]) -> tuple[str, ...]:
    """What Copier must skip: each file not rendered, and each folder left with no file."""
    rendered = set(rendered_files(flags))
    excluded_files = [path for path in template_files() if path not in rendered]
    kept_folders = {parent for path in rendered for parent in _parents(path)}
    empty_folders = {parent for path in excluded_files for parent in _parents(path)} - kept_folders
    return tuple(sorted(empty_folders | set(excluded_files)))


@functools.cache
def starting_points(flags: frozenset[str]) -> tuple[str, ...]:
    """The rendered files that the team owns from the first copy on."""
    return tuple(path for path in rendered_files(flags) if file_table().is_starting_point(path))


def exclude_patterns(flags: frozenset[str]) -> str:
    """`_exclude` for Copier: one pattern a line, each anchored at the project's root."""
    return "\n".join("/" + path for path in excluded_paths(flags))


def _parents(path: str) -> Iterable[str]:
    parts = path.split("/")[:-1]
    return ("/".join(parts[: index + 1]) for index in range(len(parts)))


# ---------------------------------------------------------------------------
# The Organizations tag policy: which resource types it enforces (tag_policy.toml)
# ---------------------------------------------------------------------------
TAG_POLICY_TABLE = Path(__file__).with_name("tag_policy.toml")


@functools.cache
def tag_policy_not_enforceable() -> tuple[str, ...]:
    """The CloudFormation types the template creates whose tags tag policies cannot enforce."""
    return tuple(tomllib.loads(TAG_POLICY_TABLE.read_text())["not_enforceable"])


@functools.cache
def tag_policy_table() -> dict[str, FileRule]:
    """CloudFormation type -> its tag policy type and the flags of the renders that create it."""
    data = tomllib.loads(TAG_POLICY_TABLE.read_text())["types"]
    return {
        cloudformation_type: FileRule(entry["when"], (entry["enforced_for"],))
        for cloudformation_type, entry in data.items()
    }


def tag_policy_types(flags: frozenset[str]) -> list[str]:
    """The `enforced_for` of a render's tag policy: the types it creates that tag policies enforce."""
    return sorted(
        rule.paths[0] for rule in tag_policy_table().values() if rule.holds(flags | {"always"})
    )


# Architecture diagram: Mermaid flowchart nodes (id -> shape with label) per service or derived
# flag (`has`), and edges.
DIAGRAM_NODES: dict[str, dict[str, str]] = {
    "api": {"httpApi": "[HTTP API]", "apiFunction": "[API function]"},
    "dynamodb": {"table": "[(DynamoDB table)]"},
    "s3": {"bucket": "[(S3 bucket)]"},
    "eventbridge": {
        "bus": "[/EventBridge bus/]",
        "rule": "[OrderCreated rule]",
        "queue": "[(OrderCreated queue)]",
        "processor": "[Order processor function]",
        "archive": "[(Event archive)]",
        "schedule": "([Daily schedule])",
        "report": "[Daily report function]",
    },
    # The transactional outbox: the table's stream carries each new order to the bus.
    "outbox": {"publisher": "[Order events publisher function]"},
    "ecs": {
        "alb": "[Application Load Balancer]",
        "fargate": "[Fargate service]",
        "secret": "[(Secrets Manager secret)]",
    },
}


def architecture(has: dict[str, bool]) -> dict[str, list[tuple[str, ...]]]:
    """Nodes and edges of the rendered README's diagram: only what the answers chose."""
    nodes = [
        (node, shape)
        for service, shapes in DIAGRAM_NODES.items()
        if has[service]
        for node, shape in shapes.items()
    ]
    edges: list[tuple[str, ...]] = []
    if has["api"] or has["s3"] or has["ecs"]:
        nodes.insert(0, ("client", "([Client])"))
    if has["api"]:
        edges += [("client", "-->", "HTTPS", "httpApi"), ("httpApi", "-->", "", "apiFunction")]
        if has["dynamodb"]:
            edges.append(("apiFunction", "-->", "reads and writes", "table"))
        if has["s3"]:
            edges.append(("apiFunction", "-->", "presigns URLs", "bucket"))
    if has["s3"]:
        edges.append(("client", "-.->", "presigned upload and download", "bucket"))
    if has["outbox"]:
        edges += [
            ("table", "-->", "new orders, from its stream", "publisher"),
            ("publisher", "-->", "OrderCreated", "bus"),
        ]
    if has["eventbridge"]:
        edges += [
            ("bus", "-->", "", "rule"),
            ("rule", "-->", "", "queue"),
            ("queue", "-->", "batches", "processor"),
            ("bus", "-->", "", "archive"),
            ("schedule", "-->", "cron", "report"),
        ]
        if has["dynamodb"]:
            edges += [
                ("processor", "-->", "confirms the order", "table"),
                ("report", "-->", "reads the day's orders", "table"),
            ]
    if has["report_csv"]:
        edges.append(("report", "-->", "CSV", "bucket"))
    if has["ecs"]:
        edges += [
            ("client", "-->", "HTTP", "alb"),
            ("alb", "-->", "", "fargate"),
            ("fargate", "-.->", "", "secret"),
        ]
    return {"nodes": nodes, "edges": edges}


def with_absolute_source(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers to record, with a local template path made absolute.

    A relative `_src_path` only resolves from the folder the copy ran in; recorded as is,
    it would break every later `copier update`.
    """
    source = str(answers.get("_src_path", ""))
    is_remote = "://" in source or source.startswith(("gh:", "gl:", "git@"))
    if source and not is_remote and not os.path.isabs(os.path.expanduser(source)):
        return {**answers, "_src_path": os.path.abspath(source)}
    return dict(answers)


class NamingFilters(Extension):
    """Naming filters and the answer validators, as Jinja filters."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(kebab=kebab, snake=snake, pascal=pascal, camel=camel)
        environment.filters.update(ts_string=typescript_string)
        environment.filters.update(VALIDATORS)
        environment.filters.update(with_absolute_source=with_absolute_source)
        environment.filters.update(
            format_code=lambda v: f"`{v}`", yes_no=lambda v: "yes" if v else "no"
        )


class ServiceContext(ContextHook):
    """Adds the derived values to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        # Copier builds a new context for every path, file and string it renders (about 1,600 in
        # a render of every service), each from the same answers: derive once per set of answers.
        # The answers are the context's names without a leading underscore (those are Copier's),
        # less Copier's `UNSET` placeholder (a strict undefined, which refuses to be compared).
        answers = {
            name: value
            for name, value in context.items()
            if not name.startswith("_") and not isinstance(value, Undefined)
        }
        context.update(_derive_once(answers))


# The latest sets of answers and what was derived from each, newest first. Comparing a context's
# answers with these is cheaper than serialising them as a cache key on every render.
_DERIVED: list[tuple[dict[str, Any], dict[str, Any]]] = []


def _derive_once(answers: dict[str, Any]) -> dict[str, Any]:
    for known, derived in _DERIVED:
        if known == answers:
            # Templates read the derived values and never change them, so contexts share them.
            return derived
    derived = derive(json.loads(json.dumps(answers, sort_keys=True, default=repr)))
    _DERIVED.insert(0, (answers, derived))
    del _DERIVED[4:]
    return derived
