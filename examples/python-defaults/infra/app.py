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
from infra.settings import CI_IDENTITIES, ENVIRONMENTS, REGION, SERVICE_NAME, stack_name


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

    # Any unacknowledged cdk-nag AwsSolutions finding, or a resource without the required tags in
    # the synthesized templates, fails synth.
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), RequiredTagsCheck())
    return app
