"""Builds the CDK app: one service stack per environment and the CI identity stack."""

import json
import os
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra.ci_identity_stack import CiIdentityStack
from infra.compliance import RequiredTagsCheck, apply_tags
from infra.service_stack import ServiceStack
from infra.settings import ENVIRONMENTS, REGION, SERVICE_NAME, stack_name


def feature_flags() -> dict[str, Any]:
    """The context of cdk.json: the CLI passes it to the app, and so do the tests."""
    cdk_json = Path(__file__).resolve().parents[1] / "cdk.json"
    return dict(json.loads(cdk_json.read_text())["context"])


def build_app(app: cdk.App) -> cdk.App:
    # The account comes from the deploying credentials; without them (tests, `make synth`)
    # the stacks stay account-agnostic and synthesize offline.
    account = os.environ.get("CDK_DEFAULT_ACCOUNT")
    for settings in ENVIRONMENTS.values():
        stack = ServiceStack(
            app,
            stack_name(settings.name),
            settings=settings,
            env=cdk.Environment(account=account, region=REGION),
            description=f"{SERVICE_NAME} ({settings.name})",
            termination_protection=settings.termination_protection,
        )
        apply_tags(stack, env=settings.name)

    ci_identity = CiIdentityStack(
        app,
        stack_name("ci"),
        env=cdk.Environment(account=account, region=REGION),
        description=f"{SERVICE_NAME}: GitHub OIDC deploy roles, one per environment",
    )
    apply_tags(ci_identity, env="shared")

    # Any unacknowledged cdk-nag AwsSolutions finding, or a resource without the required tags in
    # the synthesized templates, fails synth.
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), RequiredTagsCheck())
    return app
