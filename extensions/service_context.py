"""Jinja extensions for the template: naming filters, answer validators and derived context.

Every name, flag and per-environment setting a template file needs is computed here, once;
templates read these values and never rebuild them with their own filter chains.
The functions at module level are plain Python so that tests can import them directly.
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copier_template_extensions import ContextHook
from jinja2 import Environment
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
# branches on an environment's name.
ENVIRONMENT_PROFILES: dict[str, dict[str, Any]] = {
    "dev": {
        "removal_policy": "DESTROY",
        "log_retention_days": 14,
        "log_level": "DEBUG",
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
    },
    "staging": {
        "removal_policy": "DESTROY",
        "log_retention_days": 30,
        "log_level": "INFO",
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
    },
    "prod": {
        "removal_policy": "RETAIN",
        "log_retention_days": 365,
        "log_level": "INFO",
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

_SERVICE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_REGION = re.compile(
    r"^[a-z]{2}(-gov|-iso[a-z]?)?-(north|south|east|west|central|northeast|northwest|southeast|southwest)-[1-9]$"
)
_GITHUB_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_GITHUB_REPO = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_TAG_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.:/=+@-]{0,63}$")
_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


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
        return f"service_name must be 3 to 32 characters long; '{value}' has {len(value)}"
    if not value[0].isalpha():
        return f"service_name must start with a letter; got '{value}'"
    if not _SERVICE_NAME.match(value):
        return (
            f"service_name must be kebab-case (lower-case letters and digits in words joined by "
            f"single hyphens, no trailing hyphen), e.g. orders-service; got '{value}'"
        )
    return ""


def language_error(value: str) -> str:
    if value not in LANGUAGES:
        return f"language must be one of {', '.join(LANGUAGES)}; got '{value}'"
    if value == "typescript":
        return (
            "language 'typescript' is not available in this template version yet; "
            "choose python (copier update will offer it once it is released)"
        )
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
    if not _REGION.match(str(value)):
        return (
            f"aws_region must be an AWS region name in lower case, such as us-east-1, "
            f"eu-west-1 or us-gov-west-1; got '{value}'"
        )
    return ""


def github_repository_error(value: str) -> str:
    parts = str(value).split("/")
    if len(parts) != 2:
        return f"github_repository must be owner/name with exactly one '/'; got '{value}'"
    owner, name = parts
    if not _GITHUB_OWNER.match(owner):
        return (
            f"github_repository owner '{owner}' must be 1 to 39 letters, digits or single "
            "hyphens, not starting or ending with a hyphen"
        )
    if not _GITHUB_REPO.match(name) or name in {".", ".."}:
        return (
            f"github_repository name '{name}' may only hold letters, digits, '.', '-' and '_' "
            "(no spaces), up to 100 characters"
        )
    return ""


def team_error(value: str) -> str:
    if not _TAG_VALUE.match(str(value)):
        return (
            "team becomes the Team tag: 1 to 64 characters, starting with a letter or digit, "
            f"then letters, digits, spaces or _ . : / = + @ -; got '{value}'"
        )
    return ""


def origins(value: str) -> list[str]:
    return [o.strip() for o in str(value).split(",") if o.strip()]


def allowed_origins_error(value: str) -> str:
    found = origins(value)
    if not found:
        return "allowed_origins must list at least one origin, e.g. https://app.example.com"
    bad = [o for o in found if not _ORIGIN.match(o)]
    if bad:
        return (
            f"allowed_origins must be comma-separated origins like https://app.example.com "
            f"(scheme and host, no path or wildcard); bad: {', '.join(bad)}"
        )
    return ""


def container_port_error(value: Any) -> str:
    try:
        port = int(value)
    except (TypeError, ValueError):
        return f"container_port must be a number; got '{value}'"
    if not 1024 <= port <= 65535:
        return f"container_port must be between 1024 and 65535 (the container runs as non-root); got {port}"
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
        container_port_error,
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
    environments = [
        {
            "name": env,
            "stack_name": f"{pascal_name}-{env}",
            "log_retention": LOG_RETENTION_NAMES[ENVIRONMENT_PROFILES[env]["log_retention_days"]],
            "promotion": (
                "on every push to main"
                if index == 0
                else f"after {chosen_envs[index - 1]}, once approved"
            ),
            **ENVIRONMENT_PROFILES[env],
        }
        for index, env in enumerate(chosen_envs)
    ]
    has = {service: service in chosen_services for service in SERVICES}
    # Functions exist with the API, the event rule target and the scheduled report.
    has["functions"] = has["api"] or has["eventbridge"]
    # The `service` package: the functions' code, and with S3 the upload helpers and with DynamoDB
    # the data-access layer (both usable without functions).
    has["service_package"] = has["functions"] or has["s3"] or has["dynamodb"]
    # Code that calls DynamoDB, S3 or EventBridge is also tested against the local emulator.
    has["integration_tests"] = has["dynamodb"] or has["s3"] or has["eventbridge"]
    # The API's routes take input (bodies, path and query parameters) once they serve data or files.
    has["api_input"] = has["api"] and (has["dynamodb"] or has["s3"])
    language = str(answers.get("language", "python"))
    return {
        "excluded_paths": exclude_patterns(flags_of(language, has)),
        "is_python": language == "python",
        "is_typescript": language == "typescript",
        "pascal_name": pascal_name,
        "ci_stack_name": f"{pascal_name}-ci",
        "metrics_namespace": pascal_name,
        "event_source": name,
        "has": has,
        "architecture": architecture(has),
        "env_profiles": environments,
        "first_environment": chosen_envs[0] if chosen_envs else "dev",
        "origins": origins(answers.get("allowed_origins", "")),
        "versions": VERSIONS,
        # The CDK's name of the Lambda runtime: lambda_.Runtime.PYTHON_3_14.
        "lambda_runtime": "PYTHON_" + VERSIONS["python_runtime"].replace(".", "_"),
        "powertools_layer_parameter": (
            f"/aws/service/powertools/python/arm64/python{VERSIONS['python_runtime']}/"
            f"{VERSIONS['powertools']}"
        ),
        "cdk_bootstrap_qualifier": CDK_BOOTSTRAP_QUALIFIER,
        "uploads_prefix": UPLOADS_PREFIX,
        "upload_content_types": UPLOAD_CONTENT_TYPES,
    }


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
    rules: tuple[FileRule, ...]
    starting_points: tuple[str, ...]

    def renders(self, path: str, flags: frozenset[str]) -> bool:
        return all(rule.holds(flags) for rule in self.rules if rule.matches(path))


@functools.cache
def file_table() -> FileTable:
    data = tomllib.loads(FILE_TABLE.read_text())
    return FileTable(
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


def exclude_patterns(flags: frozenset[str]) -> str:
    """`_exclude` for Copier: one pattern a line, each anchored at the project's root."""
    return "\n".join("/" + path for path in excluded_paths(flags))


def _parents(path: str) -> Iterable[str]:
    parts = path.split("/")[:-1]
    return ("/".join(parts[: index + 1]) for index in range(len(parts)))


# Architecture diagram: Mermaid flowchart nodes (id -> shape with label) per service, and edges.
DIAGRAM_NODES: dict[str, dict[str, str]] = {
    "api": {"httpApi": "[HTTP API]", "apiFunction": "[API function]"},
    "dynamodb": {"table": "[(DynamoDB table)]"},
    "s3": {"bucket": "[(S3 bucket)]"},
    "eventbridge": {
        "bus": "[/EventBridge bus/]",
        "rule": "[OrderCreated rule]",
        "processor": "[Order processor function]",
        "archive": "[(Event archive)]",
        "schedule": "([Daily schedule])",
        "report": "[Daily report function]",
    },
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
        if has["eventbridge"]:
            edges.append(("apiFunction", "-->", "OrderCreated", "bus"))
    if has["s3"]:
        edges.append(("client", "-.->", "presigned upload and download", "bucket"))
    if has["eventbridge"]:
        edges += [
            ("bus", "-->", "", "rule"),
            ("rule", "-->", "", "processor"),
            ("bus", "-->", "", "archive"),
            ("schedule", "-->", "cron", "report"),
        ]
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
        environment.filters.update(VALIDATORS)
        environment.filters.update(with_absolute_source=with_absolute_source)
        environment.filters.update(
            format_code=lambda v: f"`{v}`", yes_no=lambda v: "yes" if v else "no"
        )


class ServiceContext(ContextHook):
    """Adds the derived values to every template's context."""

    def hook(self, context: dict[str, Any]) -> None:
        context.update(derive(context))
