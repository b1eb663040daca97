"""The tagging policy and cdk-nag, on every stack."""

import json
from pathlib import Path

import pytest
from aws_cdk import App, CfnResource, Stack, Tags, Validations
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Template
from aws_cdk.cx_api import CloudAssembly

from infra.compliance import REQUIRED_TAGS, RequiredTagsCheck, apply_tags, tag_property
from infra.settings import (
    CI_IDENTITIES,
    COST_STACKS,
    ENVIRONMENTS,
    SERVICE_NAME,
    TEAM,
    stack_name,
)

# The stacks of an account rather than of an environment: tagged Env=shared.
ACCOUNT_STACKS = [ci.stack_name for ci in CI_IDENTITIES] + [c.stack_name for c in COST_STACKS]

POLICY = Path(__file__).parents[2] / "policies" / "tag-policy.json"


def test_every_stack_synthesizes_without_unacknowledged_nag_findings(
    cloud_assembly: CloudAssembly,
) -> None:
    names = {stack.stack_name for stack in cloud_assembly.stacks}
    assert names == {stack_name(env) for env in ENVIRONMENTS} | set(ACCOUNT_STACKS)


def test_synth_needs_no_lookup_in_an_aws_account(cloud_assembly: CloudAssembly) -> None:
    # A lookup (such as the zones of a stack pinned to an account) would need credentials.
    manifest = json.loads((Path(cloud_assembly.directory) / "manifest.json").read_text())
    assert not manifest.get("missing")


@pytest.mark.parametrize("name", [*map(stack_name, ENVIRONMENTS), *ACCOUNT_STACKS])
def test_every_resource_that_takes_tags_carries_service_env_and_team(
    templates: dict[str, Template], name: str
) -> None:
    env = "shared" if name in ACCOUNT_STACKS else name.removeprefix(stack_name(""))
    expected = {"Service": SERVICE_NAME, "Env": env, "Team": TEAM}
    resources = templates[name].to_json()["Resources"]
    taggable = {rid: r for rid, r in resources.items() if tag_property(r["Type"])}
    assert taggable, "every stack holds resources that take tags"
    for logical_id, resource in taggable.items():
        tags = resource.get("Properties", {}).get(tag_property(resource["Type"]), [])
        values = {t["Key"]: t["Value"] for t in tags} if isinstance(tags, list) else dict(tags)
        assert {key: values.get(key) for key in expected} == expected, logical_id


def _checked_app() -> tuple[App, Stack]:
    app = App()
    stack = Stack(app, "Checked")
    Validations.of(app).add_plugins(RequiredTagsCheck())
    return app, stack


def test_synth_fails_naming_the_resource_that_misses_a_required_tag() -> None:
    app, stack = _checked_app()
    queue = sqs.Queue(stack, "Queue")
    apply_tags(stack, env="dev")
    Tags.of(queue).remove("Team")
    with pytest.raises(RuntimeError, match="ValidationFailed") as failure:
        app.synth()
    assert "AWS::SQS::Queue misses the tags Team" in str(failure.value)


def test_resources_the_cdk_adds_without_tag_support_are_tagged_too() -> None:
    _, stack = _checked_app()
    CfnResource(stack, "Plain", type="AWS::SQS::Queue")
    apply_tags(stack, env="dev")
    template = Template.from_stack(stack).to_json()
    tags = template["Resources"]["Plain"]["Properties"]["Tags"]
    assert {tag["Key"] for tag in tags} == set(REQUIRED_TAGS)


def test_an_untagged_resource_without_tag_support_fails_synth() -> None:
    app, stack = _checked_app()
    CfnResource(stack, "Plain", type="AWS::SQS::Queue")
    with pytest.raises(RuntimeError, match="ValidationFailed") as failure:
        app.synth()
    assert "AWS::SQS::Queue misses the tags Service, Env, Team" in str(failure.value)


def test_required_tags_match_the_organizations_tag_policy() -> None:
    policy = json.loads(POLICY.read_text())
    assert set(policy["tags"]) == {key.lower() for key in REQUIRED_TAGS}
    allowed_envs = policy["tags"]["env"]["tag_value"]["@@assign"]
    assert set(ENVIRONMENTS) | {"shared"} == set(allowed_envs)
