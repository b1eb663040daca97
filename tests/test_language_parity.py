"""Both languages synthesize the same infrastructure from the same answers.

For every answer set, the TypeScript render's CloudFormation has the same resource types with
the same counts as the Python render's, stack by stack, and its roles are allowed the same IAM
actions. Logical ids may differ; what each role may do may not.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from conftest import ANSWER_SETS, TYPESCRIPT, Projects

pytestmark = pytest.mark.rendered

PYTHON_SETS = [name for name in ANSWER_SETS if not name.startswith(TYPESCRIPT)]


def resource_types(template: dict[str, Any]) -> Counter[str]:
    return Counter(resource["Type"] for resource in template["Resources"].values())


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _actions(document: dict[str, Any]) -> set[str]:
    return {
        action
        for statement in _as_list(document.get("Statement", []))
        for action in _as_list(statement.get("Action", []))
    }


def role_actions(template: dict[str, Any]) -> Counter[tuple[str, ...]]:
    """Each role's allowed actions (inline, attached policies and managed policy references),
    as a multiset over the stack's roles."""
    resources = template["Resources"]
    roles: dict[str, set[str]] = {
        logical_id: set() for logical_id, r in resources.items() if r["Type"] == "AWS::IAM::Role"
    }
    for logical_id, resource in resources.items():
        properties = resource.get("Properties", {})
        if logical_id in roles:
            for policy in properties.get("Policies", []):
                roles[logical_id] |= _actions(policy["PolicyDocument"])
            roles[logical_id] |= {
                f"managed:{arn}" for arn in map(str, properties.get("ManagedPolicyArns", []))
            }
        elif resource["Type"] in {"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}:
            for role in properties.get("Roles", []):
                if isinstance(role, dict) and role.get("Ref") in roles:
                    roles[role["Ref"]] |= _actions(properties["PolicyDocument"])
    return Counter(tuple(sorted(actions)) for actions in roles.values())


@pytest.fixture(scope="module", params=PYTHON_SETS)
def pair(
    request: pytest.FixtureRequest, projects: Projects
) -> tuple[dict[str, Any], dict[str, Any]]:
    name = request.param
    return projects[name].templates, projects[TYPESCRIPT + name].templates


def test_both_languages_synthesize_the_same_stacks(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    python, typescript = pair
    assert sorted(typescript) == sorted(python)


def test_each_stack_has_the_same_resource_types_and_counts(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    python, typescript = pair
    differences = {
        stack: {
            kind: (python_count, typescript_count)
            for kind in resource_types(python[stack]) | resource_types(typescript[stack])
            if (python_count := resource_types(python[stack])[kind])
            != (typescript_count := resource_types(typescript[stack])[kind])
        }
        for stack in python.keys() & typescript.keys()
    }
    # type: (Python count, TypeScript count), for each stack where they differ
    assert {stack: found for stack, found in differences.items() if found} == {}


def test_roles_are_allowed_the_same_actions(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    python, typescript = pair
    differences = {
        stack: {
            "python only": sorted(role_actions(python[stack]) - role_actions(typescript[stack])),
            "typescript only": sorted(
                role_actions(typescript[stack]) - role_actions(python[stack])
            ),
        }
        for stack in python.keys() & typescript.keys()
        if role_actions(python[stack]) != role_actions(typescript[stack])
    }
    assert differences == {}
