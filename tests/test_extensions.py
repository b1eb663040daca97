"""The naming filters and derived context, on their own."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from jinja2 import Environment


def _load_extension():
    spec = importlib.util.spec_from_file_location(
        "service_context", ROOT / "extensions" / "service_context.py"
    )
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


ext = _load_extension()


@pytest.mark.parametrize(
    ("name", "kebab", "snake", "pascal", "camel"),
    [
        ("orders-service", "orders-service", "orders_service", "OrdersService", "ordersService"),
        ("abc", "abc", "abc", "Abc", "abc"),
        ("payments2-api", "payments2-api", "payments2_api", "Payments2Api", "payments2Api"),
        ("OrdersService", "orders-service", "orders_service", "OrdersService", "ordersService"),
        ("orders_service", "orders-service", "orders_service", "OrdersService", "ordersService"),
    ],
)
def test_naming_filters(name: str, kebab: str, snake: str, pascal: str, camel: str) -> None:
    assert (ext.kebab(name), ext.snake(name), ext.pascal(name), ext.camel(name)) == (
        kebab,
        snake,
        pascal,
        camel,
    )


def test_stack_names_follow_the_contract() -> None:
    assert ext.stack_name("OrdersService", "dev") == "OrdersService-dev"
    derived = ext.derive({"service_name": "orders-service", "environments": ["prod", "dev"]})
    assert [env["stack_name"] for env in derived["env_profiles"]] == [
        "OrdersService-dev",
        "OrdersService-prod",
    ]
    assert [ci["stack_name"] for ci in derived["ci_identities"]] == ["OrdersService-ci"]


def test_one_ci_identity_per_account_and_qualifiers_where_accounts_are_shared() -> None:
    derived = ext.derive(
        {
            "service_name": "orders-service",
            "environments": ["dev", "staging", "prod"],
            "aws_accounts": {
                "dev": "111111111111",
                "staging": "111111111111",
                "prod": "222222222222",
            },
        }
    )
    assert [(ci["stack_name"], ci["environments"]) for ci in derived["ci_identities"]] == [
        ("OrdersService-ci-111111111111", ["dev", "staging"]),
        ("OrdersService-ci-222222222222", ["prod"]),
    ]
    qualifiers = {env["name"]: env["bootstrap_qualifier"] for env in derived["env_profiles"]}
    assert qualifiers["prod"] == ext.CDK_BOOTSTRAP_QUALIFIER
    assert qualifiers["dev"] != qualifiers["staging"]
    assert all(len(q) <= 10 and q.isalnum() and q.islower() for q in qualifiers.values())
    assert [env["account"] for env in derived["env_profiles"]] == [
        "111111111111",
        "111111111111",
        "222222222222",
    ]


def test_one_account_for_all_environments_gives_each_its_own_qualifier() -> None:
    derived = ext.derive({"service_name": "orders-service", "environments": ["dev", "prod"]})
    assert [env["account"] for env in derived["env_profiles"]] == [None, None]
    qualifiers = [env["bootstrap_qualifier"] for env in derived["env_profiles"]]
    assert len(set(qualifiers)) == 2
    assert ext.CDK_BOOTSTRAP_QUALIFIER not in qualifiers
    # A single environment has the account to itself.
    alone = ext.derive({"service_name": "orders-service", "environments": ["prod"]})
    assert alone["env_profiles"][0]["bootstrap_qualifier"] == ext.CDK_BOOTSTRAP_QUALIFIER


def test_environments_keep_promotion_order_whatever_the_answer_order() -> None:
    derived = ext.derive({"environments": ["prod", "staging", "dev"]})
    assert [env["name"] for env in derived["env_profiles"]] == ["dev", "staging", "prod"]
    assert derived["first_environment"] == "dev"
    assert [env["promotion"] for env in derived["env_profiles"]] == [
        "on every push to main",
        "after dev, once approved",
        "after staging, once approved",
    ]


def test_only_prod_retains_data_and_keeps_provisioned_concurrency() -> None:
    profiles = {
        env["name"]: env
        for env in ext.derive({"environments": ["dev", "staging", "prod"]})["env_profiles"]
    }
    assert {name: p["removal_policy"] for name, p in profiles.items()} == {
        "dev": "DESTROY",
        "staging": "DESTROY",
        "prod": "RETAIN",
    }
    assert profiles["prod"]["provisioned_concurrency"] > 0
    assert profiles["dev"]["provisioned_concurrency"] == 0
    assert profiles["prod"]["point_in_time_recovery"]
    assert profiles["prod"]["deletion_protection"]


def test_log_retention_is_a_value_cloudwatch_accepts() -> None:
    for profile in ext.ENVIRONMENT_PROFILES.values():
        assert profile["log_retention_days"] in ext.LOG_RETENTION_NAMES


def test_service_flags() -> None:
    # What the account gets whatever the services: the GitHub OIDC provider, the cost stack.
    account_flags = {"creates_github_oidc_provider", "cost_stack"}
    has_nothing = ext.derive({"services": [], "github_oidc_provider": "import"})["has"]
    assert [flag for flag, on in has_nothing.items() if on] == ["cost_stack"]
    assert not any(on for flag, on in has_nothing.items() if flag not in account_flags)
    has = ext.derive({"services": ["eventbridge"]})["has"]
    assert has["eventbridge"]
    assert has["functions"]
    assert not has["api"]


@pytest.mark.parametrize(
    ("services", "writes_csv"),
    [
        (["dynamodb", "s3", "eventbridge"], True),
        # No orders to count: the report writes nothing, so it gets no bucket and no grant on it.
        (["s3", "eventbridge"], False),
        (["dynamodb", "eventbridge"], False),
        (["dynamodb", "s3"], False),
    ],
)
def test_the_daily_report_writes_csv_with_orders_and_a_bucket_only(
    services: list[str], writes_csv: bool
) -> None:
    assert ext.derive({"services": services})["has"]["report_csv"] is writes_csv


def test_origins_are_split_and_trimmed() -> None:
    assert ext.origins(" https://a.example.com ,http://localhost:3000,") == [
        "https://a.example.com",
        "http://localhost:3000",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("gh:acme/aws-service-template", "gh:acme/aws-service-template"),
        ("https://github.com/acme/t.git", "https://github.com/acme/t.git"),
        ("/abs/template", "/abs/template"),
    ],
)
def test_absolute_sources_are_kept(source: str, expected: str) -> None:
    assert ext.with_absolute_source({"_src_path": source})["_src_path"] == expected


def test_relative_source_becomes_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert ext.with_absolute_source({"_src_path": "../template"})["_src_path"] == str(
        tmp_path.parent / "template"
    )


ALL_COMBINATIONS = [
    [service for bit, service in enumerate(ext.SERVICES) if mask >> bit & 1]
    for mask in range(2 ** len(ext.SERVICES))
]


@pytest.mark.parametrize("services", ALL_COMBINATIONS, ids=lambda s: "+".join(s) or "none")
def test_architecture_edges_join_defined_nodes_of_chosen_services(services: list[str]) -> None:
    context = ext.derive({"services": services})
    diagram = context["architecture"]
    defined = [node for node, _ in diagram["nodes"]]
    assert len(defined) == len(set(defined))
    for source, _, _, target in diagram["edges"]:
        assert source in defined
        assert target in defined
    # Each chosen service's nodes, and those of combinations such as the outbox.
    chosen_nodes = {
        node for flag, nodes in ext.DIAGRAM_NODES.items() if context["has"][flag] for node in nodes
    }
    assert set(defined) - {"client"} == chosen_nodes


def test_every_profile_holds_exactly_the_described_settings() -> None:
    described = {setting.profile_key for setting in ext.SETTINGS}
    for name, profile in ext.ENVIRONMENT_PROFILES.items():
        assert set(profile) - described == set(), f"{name} holds values no setting describes"
        assert described - set(profile) == set(), f"{name} lacks described settings"


def test_settings_are_described_once_with_a_flag_the_context_knows() -> None:
    names = [setting.name for setting in ext.SETTINGS]
    assert len(names) == len(set(names))
    has = ext.derive({})["has"]
    for setting in ext.SETTINGS:
        assert setting.needs is None or setting.needs in has, setting.name
        assert setting.description, setting.name
        # A setting the README leaves out repeats another one's value, which has a row.
        assert setting.label or setting.source, setting.name


@pytest.mark.parametrize("billing_mode", ["on_demand", "provisioned"])
def test_profile_settings_follow_the_chosen_services(billing_mode: str) -> None:
    derived = ext.derive(
        {
            "services": ["dynamodb"],
            "environments": ["prod", "dev"],
            "dynamodb_billing_mode": billing_mode,
        }
    )
    settings = {setting["name"]: setting for setting in derived["profile_settings"]}
    assert "deletion_protection" in settings
    assert "task_count" not in settings
    assert ("table_read_capacity" in settings) is (billing_mode == "provisioned")
    assert settings["removal_policy"]["python"] == {
        "dev": "RemovalPolicy.DESTROY",
        "prod": "RemovalPolicy.RETAIN",
    }
    assert settings["removal_policy"]["readme"] == ["deleted", "retained"]
    assert settings["log_retention"]["python"]["dev"] == "RetentionDays.TWO_WEEKS"
    assert settings["termination_protection"]["python"] == {"dev": "False", "prod": "True"}
    assert settings["log_level"]["python"]["dev"] == '"DEBUG"'


def test_prod_buys_availability_where_dev_saves_money() -> None:
    dev, prod = ext.ENVIRONMENT_PROFILES["dev"], ext.ENVIRONMENT_PROFILES["prod"]
    # dev shares one NAT gateway; prod has one per zone, in more zones.
    assert dev["vpc_nat_gateways"] == 1
    assert prod["vpc_nat_gateways"] == prod["vpc_max_azs"] > dev["vpc_max_azs"]
    assert prod["task_count"][0] >= 2 > dev["task_count"][0]
    assert prod["task_count"][1] > dev["task_count"][1]
    assert prod["task_cpu"] > dev["task_cpu"]
    assert prod["task_memory_mib"] > dev["task_memory_mib"]


def test_dev_and_staging_run_on_spot_and_prod_keeps_its_minimum_on_demand() -> None:
    for name in ("dev", "staging"):
        profile = ext.ENVIRONMENT_PROFILES[name]
        assert profile["fargate_on_demand_base"] == profile["fargate_on_demand_weight"] == 0
        assert profile["fargate_spot_weight"] > 0
    prod = ext.ENVIRONMENT_PROFILES["prod"]
    # Spot in prod is the team's choice: none by default.
    assert prod["fargate_on_demand_base"] == prod["task_count"][0]
    assert prod["fargate_spot_weight"] == 0 < prod["fargate_on_demand_weight"]


@pytest.mark.parametrize(
    ("services", "functions"),
    [
        ([], []),
        (["ecs", "s3"], []),
        (["api"], ["api"]),
        (["eventbridge"], ["process-order-created", "daily-report"]),
        (
            ["api", "dynamodb", "eventbridge"],
            ["api", "publish-order-events", "process-order-created", "daily-report"],
        ),
    ],
)
def test_each_function_of_the_render_has_its_memory_setting_and_no_other(
    services: list[str], functions: list[str]
) -> None:
    derived = ext.derive({"services": services, "environments": ["dev", "prod"]})
    assert [function["name"] for function in derived["lambda_functions"]] == functions
    memory_settings = {
        setting["name"]
        for setting in derived["profile_settings"]
        if setting["name"].endswith("_memory_mib")
    } - {"task_memory_mib"}
    assert memory_settings == {function.replace("-", "_") + "_memory_mib" for function in functions}


def test_function_logical_ids_start_with_their_construct_path() -> None:
    [api] = [function for function in ext.LAMBDA_FUNCTIONS if function.name == "api"]
    assert api.logical_id_prefix == "ApiHandlerFunction"
    assert api.memory_setting == "api_memory_mib"


@pytest.mark.parametrize(
    ("answer", "cpu", "platform"),
    [
        (None, "ARM64", "LINUX_ARM64"),
        ("arm64", "ARM64", "LINUX_ARM64"),
        ("x86_64", "X86_64", "LINUX_AMD64"),
    ],
)
def test_the_task_and_its_image_share_one_architecture(
    answer: str | None, cpu: str, platform: str
) -> None:
    answers = {"services": ["ecs"]} | ({"container_architecture": answer} if answer else {})
    derived = ext.derive(answers)["container_platform"]
    assert (derived["cpu"], derived["platform"]) == (cpu, platform)


@pytest.mark.parametrize("value", ["arm64", "x86_64"])
def test_container_architecture_accepts_its_choices(value: str) -> None:
    assert ext.container_architecture_error(value) == ""


@pytest.mark.parametrize(
    "value", ["", "ARM64", "amd64", "arm64 ", "arm64\n", " x86_64", "x86-64", 64, None, ["arm64"]]
)
def test_container_architecture_refuses_anything_else_in_one_line(value: object) -> None:
    message = ext.container_architecture_error(value)
    assert message.startswith("container_architecture must be one of arm64, x86_64")
    assert "\n" not in message


ACCEPTED_REGIONS = [r for r in ext.REGION_DATA["regions"] if not ext.aws_region_error(r)]


@pytest.mark.parametrize("region", ACCEPTED_REGIONS)
def test_every_type_an_accepted_region_lacks_belongs_to_a_feature_the_render_leaves_out(
    region: str,
) -> None:
    adapted = {t for types in ext.REGIONAL_FEATURES.values() for t in types}
    # The cost stack's types are deployed to the partition's billing region, not to this one.
    lacking = {
        t
        for t, regions in ext.REGION_DATA["missing"].items()
        if region in regions and t not in ext.COST_TYPES
    }
    assert lacking <= adapted, f"{region} lacks {lacking - adapted}: adapt or refuse"
    has = ext.derive({"aws_region": region, "services": ["eventbridge"]})["has"]
    assert has["schema_registry"] == ("AWS::EventSchemas::Registry" not in lacking)


def test_the_context_hook_derives_from_each_contexts_own_answers() -> None:
    # The hook derives once per set of answers; contexts with other answers get their own values.
    hook = ext.ServiceContext(Environment())
    contexts = [
        {"services": ["api"], "_copier_conf": object()},
        {"services": ["s3"], "_copier_conf": object()},
        {"services": ["api"], "_copier_conf": object()},
    ]
    for context in contexts:
        hook.hook(context)
    assert [(c["has"]["api"], c["has"]["s3"]) for c in contexts] == [
        (True, False),
        (False, True),
        (True, False),
    ]
    assert contexts[0]["has"] == ext.derive({"services": ["api"]})["has"]


@pytest.mark.parametrize(
    ("region", "host"),
    [
        ("eu-west-1", "eu-west-1.console.aws.amazon.com"),
        ("us-east-1", "us-east-1.console.aws.amazon.com"),
        # GovCloud's console serves both of its regions from one address.
        ("us-gov-west-1", "console.amazonaws-us-gov.com"),
        ("us-gov-east-1", "console.amazonaws-us-gov.com"),
    ],
)
def test_console_links_go_to_the_partitions_console(region: str, host: str) -> None:
    assert ext.derive({"aws_region": region})["console_host"] == host


@pytest.mark.parametrize("region", ACCEPTED_REGIONS)
def test_the_cost_stack_goes_where_the_partition_offers_budgets_and_cost_explorer(
    region: str,
) -> None:
    context = ext.derive({"aws_region": region})
    billing = ext.BILLING_REGIONS.get(ext.partition(region))
    if billing is None:
        # GovCloud: neither of its regions offers the types; the render has no cost stack.
        assert ext.partition(region) == "aws-us-gov"
        assert all(region in ext.REGION_DATA["missing"][t] for t in ext.COST_TYPES), (
            "GovCloud now offers the cost types: give its partition a billing region"
        )
        assert (context["has"]["cost_stack"], context["cost_stacks"]) == (False, [])
        return
    assert ext.region_offers(billing, ext.COST_TYPES)
    assert context["cost_region"] == billing == "us-east-1"
    assert [c["stack_name"] for c in context["cost_stacks"]] == ["OrdersService-cost"]


def test_a_cost_stack_per_account_beside_its_ci_identity() -> None:
    context = ext.derive(
        {
            "environments": ["dev", "staging", "prod"],
            "aws_accounts": {
                "dev": "111111111111",
                "staging": "111111111111",
                "prod": "222222222222",
            },
        }
    )
    assert [(c["stack_name"], c["environments"]) for c in context["cost_stacks"]] == [
        ("OrdersService-cost-111111111111", ["dev", "staging"]),
        ("OrdersService-cost-222222222222", ["prod"]),
    ]
    assert [c["account"] for c in context["cost_stacks"]] == [
        ci["account"] for ci in context["ci_identities"]
    ]


@pytest.mark.parametrize(
    ("budget", "amounts"),
    [
        (100, ["$25", "$50", "$100"]),
        (333, ["$83.25", "$166.50", "$333"]),
        (1_000_000, ["$250,000", "$500,000", "$1,000,000"]),
    ],
)
def test_each_environment_gets_its_share_of_the_budget(budget: int, amounts: list[str]) -> None:
    context = ext.derive({"environments": ["dev", "staging", "prod"], "monthly_budget_usd": budget})
    assert [env["monthly_budget"] for env in context["env_profiles"]] == amounts


def test_budgets_and_alerts_loosen_from_prod_to_dev() -> None:
    dev, staging, prod = (ext.ENVIRONMENT_PROFILES[e] for e in ("dev", "staging", "prod"))
    assert prod["monthly_budget_share"] == 1.0
    assert 0 < dev["monthly_budget_share"] < staging["monthly_budget_share"] < 1.0
    assert min(prod["budget_actual_alerts_percent"]) < min(dev["budget_actual_alerts_percent"])
    assert prod["budget_forecast_alerts_percent"] == (100,)
    assert min(dev["budget_forecast_alerts_percent"]) > 100


def test_archive_tiers_are_off_in_every_environment_by_default() -> None:
    assert not any(profile["s3_archive_tiers"] for profile in ext.ENVIRONMENT_PROFILES.values())


@pytest.mark.parametrize(
    ("services", "pattern", "tiering"),
    [(["s3"], "unknown", True), (["s3"], "known", False), (["api"], "unknown", False)],
)
def test_intelligent_tiering_only_for_a_bucket_whose_access_pattern_is_unknown(
    services: list[str], pattern: str, tiering: bool
) -> None:
    context = ext.derive({"services": services, "s3_access_pattern": pattern})
    assert context["has"]["intelligent_tiering"] is tiering
    names = {setting["name"] for setting in context["profile_settings"]}
    assert ("s3_archive_tiers" in names) is tiering


def test_every_tag_policy_type_is_one_organizations_can_enforce() -> None:
    table = ext.tag_policy_table()
    # Each entry names a CloudFormation type the template renders and one tag policy type; no type
    # is on both lists.
    assert set(table) <= set(ext.REGION_DATA["checked_types"])
    assert not set(table) & set(ext.tag_policy_not_enforceable())
    assert all(re.fullmatch(r"[a-z0-9-]+:[a-z-]+", rule.paths[0]) for rule in table.values())
    flags = {flag.strip() for rule in table.values() for flag in re.split(r" or | and ", rule.when)}
    everything = ext.derive({"services": list(ext.SERVICES)})["has"]
    assert flags <= set(everything) | {"always"}


def test_accepted_regions_span_both_supported_partitions() -> None:
    assert {ext.partition(r) for r in ACCEPTED_REGIONS} == set(ext.SUPPORTED_PARTITIONS)
