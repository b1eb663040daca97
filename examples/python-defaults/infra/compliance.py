"""Compliance at synth: the tagging policy, and acknowledgements of cdk-nag findings."""

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import (
    Acknowledgment,
    Aspects,
    CfnResource,
    IAspect,
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
    TagManager,
    Tags,
    Validations,
)
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER, ResourceNotFoundError
from constructs import IConstruct

from infra.contract import REGION
from infra.settings import SERVICE_NAME, TEAM

REQUIRED_TAGS = ("Service", "Env", "Team")


def required_tags(env: str) -> dict[str, str]:
    """The tags every resource of the environment's stack carries (IAM conditions match them)."""
    return {"Service": SERVICE_NAME, "Env": env, "Team": TEAM}


def apply_tags(scope: IConstruct, *, env: str) -> None:
    tags = required_tags(env)
    for key, value in tags.items():
        Tags.of(scope).add(key, value)
    Aspects.of(scope).add(TagPlainResources(tags))


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Accept a cdk-nag finding on this construct (and its children), for the reason given."""
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))


def _resource_schema(resource_type: str) -> dict[str, Any] | None:
    """The type's schema in REGION, else in us-east-1; None for custom resources.

    A type's tagging is the same wherever it exists, and the cost stack's types live in us-east-1,
    which some service regions lack.
    """
    for region in dict.fromkeys((REGION, "us-east-1")):
        try:
            return dict(PROVIDER_SCHEMA_MANAGER.get_resource_schema(region, resource_type).schema)
        except ResourceNotFoundError:
            continue
    return None


@cache
def tag_property(resource_type: str) -> str | None:
    """The property a resource type takes its tags in, or None when it takes none.

    Read from CloudFormation's resource schemas as cfn-lint ships them, so that the check
    knows every type, including those the CDK creates without tag support.
    """
    schema = _resource_schema(resource_type)
    if schema is None:
        return None
    tagging = schema.get("tagging", {})
    name = str(tagging.get("tagProperty", "/properties/Tags")).removeprefix("/properties/")
    if not tagging.get("taggable", True) or name not in schema.get("properties", {}):
        return None
    return name


@jsii.implements(IAspect)
class TagPlainResources:
    """Tags the resources that `Tags.of` cannot reach.

    The CDK adds some resources as plain `CfnResource`s with no tag manager: the function and
    role of a custom-resource provider, for one. Their tags go straight into their properties.
    """

    def __init__(self, tags: Mapping[str, str]) -> None:
        self._tags = [{"Key": key, "Value": value} for key, value in tags.items()]

    def visit(self, node: IConstruct) -> None:
        if not isinstance(node, CfnResource) or TagManager.is_taggable(node):
            return
        if TagManager.is_taggable_v2(node):
            return
        name = tag_property(node.cfn_resource_type)
        if name is not None:
            node.add_property_override(name, self._tags)


def _tag_keys(tags: object) -> set[str]:
    if isinstance(tags, dict):
        return set(tags)
    if isinstance(tags, list):
        return {tag["Key"] for tag in tags if isinstance(tag, dict) and "Key" in tag}
    return set()


@jsii.implements(IPolicyValidationPlugin)
class RequiredTagsCheck:
    """Fails synth when a resource of the synthesized templates that takes tags misses one.

    It reads the templates as CloudFormation will receive them, so a resource that escaped
    `Tags.of` cannot slip past.
    """

    @property
    def name(self) -> str:
        return "RequiredTags"

    @property
    def rule_ids(self) -> list[str]:
        return ["RequiredTags"]

    @property
    def version(self) -> str | None:
        return None

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        violations = []
        for template_path in context.template_paths:
            resources = json.loads(Path(template_path).read_text()).get("Resources", {})
            for logical_id, resource in resources.items():
                name = tag_property(resource["Type"])
                if name is None:
                    continue
                present = _tag_keys(resource.get("Properties", {}).get(name))
                missing = [key for key in REQUIRED_TAGS if key not in present]
                if missing:
                    violations.append(
                        PolicyViolation(
                            rule_name="RequiredTags",
                            description=f"{resource['Type']} misses the tags {', '.join(missing)}",
                            fix="tag it in infra/compliance.py (apply_tags)",
                            violating_resources=[
                                PolicyViolatingResource(
                                    resource_logical_id=logical_id,
                                    template_path=template_path,
                                    locations=[f"Properties/{name}"],
                                )
                            ],
                        )
                    )
        return PolicyValidationPluginReport(success=not violations, violations=violations)
