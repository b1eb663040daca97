"""The tagging policy and cdk-nag, on every stack."""

import json
import re
from pathlib import Path

import pytest
from aws_cdk import App, Stack, Tags
from aws_cdk import aws_sqs as sqs
from aws_cdk.assertions import Template
from aws_cdk.cx_api import CloudAssembly

from infra.compliance import REQUIRED_TAGS, RequiredTagsValidation, apply_tags
from infra.settings import ENVIRONMENTS, SERVICE_NAME, TEAM, stack_name

POLICY = Path(__file__).parents[2] / "policies" / "tag-policy.json"


def test_every_stack_synthesizes_without_unacknowledged_nag_findings(
    cloud_assembly: CloudAssembly,
) -> None:
    names = {stack.stack_name for stack in cloud_assembly.stacks}
    assert names == {stack_name(env) for env in ENVIRONMENTS} | {stack_name("ci")}


@pytest.mark.parametrize("env", [*ENVIRONMENTS, "ci"])
def test_every_tagged_resource_carries_service_env_and_team(
    templates: dict[str, Template], env: str
) -> None:
    expected_env = "shared" if env == "ci" else env
    resources = templates[stack_name(env)].to_json()["Resources"]
    tagged = {rid: r for rid, r in resources.items() if "Tags" in r.get("Properties", {})}
    assert tagged or env != "ci", "the CI identity stack has taggable IAM roles"
    for logical_id, resource in tagged.items():
        tags = resource["Properties"]["Tags"]
        values = {t["Key"]: t["Value"] for t in tags} if isinstance(tags, list) else dict(tags)
        assert values.get("Service") == SERVICE_NAME, logical_id
        assert values.get("Env") == expected_env, logical_id
        assert values.get("Team") == TEAM, logical_id


def test_synth_fails_naming_the_resource_that_misses_a_required_tag() -> None:
    app = App()
    stack = Stack(app, "Untagged")
    queue = sqs.Queue(stack, "Queue")
    apply_tags(stack, env="dev")
    Tags.of(queue).remove("Team")
    stack.node.add_validation(RequiredTagsValidation(stack))
    with pytest.raises(
        RuntimeError, match=re.escape("Untagged/Queue/Resource is missing required tags: Team")
    ):
        app.synth()


def test_required_tags_match_the_organizations_tag_policy() -> None:
    policy = json.loads(POLICY.read_text())
    assert set(policy["tags"]) == {key.lower() for key in REQUIRED_TAGS}
    allowed_envs = policy["tags"]["env"]["tag_value"]["@@assign"]
    assert set(ENVIRONMENTS) | {"shared"} == set(allowed_envs)
