"""The CDK app: a service stack per environment; per account, the CI identity and cost stacks."""

import json
import os
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra.ci_identity_stack import CiIdentityStack
from infra.compliance import RequiredTagsCheck, apply_tags
from infra.contract import REGION
from infra.cost_stack import CostStack
from infra.service_stack import ServiceStack
from infra.settings import (
    CI_IDENTITIES,
    COST_REGION,
    COST_STACKS,
    ENVIRONMENTS,
    SERVICE_NAME,
    stack_name,
)


def feature_flags() -> dict[str, Any]:
    """The context of cdk.json: the CLI passes it to the app, and so do the tests."""
    cdk_json = Path(__file__).resolve().parents[1] / "cdk.json"
    return dict(json.loads(cdk_json.read_text())["context"])


def build_app(app: cdk.App) -> cdk.App:
    # An environment without an account of its own takes the deploying credentials'; without
    # them (tests, `make synth`, the pipeline's build) its stack stays account-agnostic and
    # synthesizes offline.
    default_account = os.environ.get("CDK_DEFAULT_ACCOUNT")
    service_stacks: dict[str, cdk.Stack] = {}
    for settings in ENVIRONMENTS.values():
        stack = ServiceStack(
            app,
            stack_name(settings.name),
            settings=settings,
            env=cdk.Environment(account=settings.account or default_account, region=REGION),
            # Deployed through this environment's own bootstrap roles (see infra/settings.py).
            synthesizer=cdk.DefaultStackSynthesizer(qualifier=settings.bootstrap_qualifier),
            description=f"{SERVICE_NAME} ({settings.name})",
            termination_protection=settings.termination_protection,
        )
        apply_tags(stack, env=settings.name)
        service_stacks[settings.name] = stack

    for identity in CI_IDENTITIES:
        ci_identity = CiIdentityStack(
            app,
            identity.stack_name,
            service_stacks={name: service_stacks[name] for name in identity.environments},
            env=cdk.Environment(account=identity.account or default_account, region=REGION),
            # An administrator deploys it with their own credentials, before `cdk bootstrap`
            # (which needs its execution policies): no bootstrap roles, no assets.
            synthesizer=cdk.CliCredentialsStackSynthesizer(),
            description=(
                f"{SERVICE_NAME}: GitHub OIDC roles and CloudFormation execution policies of "
                f"{', '.join(identity.environments)}"
            ),
        )
        apply_tags(ci_identity, env="shared")

    for cost in COST_STACKS:
        cost_stack = CostStack(
            app,
            cost.stack_name,
            environments=cost.environments,
            # Budgets and Cost Explorer resources live in COST_REGION, whatever REGION.
            env=cdk.Environment(account=cost.account or default_account, region=COST_REGION),
            # Like the CI identity, an administrator deploys it: the deploy roles, which the
            # budgets watch, cannot change or delete them.
            synthesizer=cdk.CliCredentialsStackSynthesizer(),
            description=f"{SERVICE_NAME}: budgets and cost anomaly alerts of {', '.join(cost.environments)}",
        )
        apply_tags(cost_stack, env="shared")

    # Any unacknowledged cdk-nag AwsSolutions finding, or a resource without the required tags in
    # the synthesized templates, fails synth.
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), RequiredTagsCheck())
    return app
