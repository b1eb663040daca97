"""The CI identity: GitHub OIDC deploy roles that can do nothing but hand over to CDK's roles."""

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from infra.settings import ENVIRONMENTS, GITHUB_REPOSITORY, SERVICE_NAME, stack_name


@pytest.fixture(scope="module")
def ci_template(templates: dict[str, Template]) -> Template:
    return templates[stack_name("ci")]


def _deploy_role(template: Template, environment: str) -> dict[str, Any]:
    roles = template.find_resources(
        "AWS::IAM::Role",
        {"Properties": {"RoleName": f"{SERVICE_NAME}-github-deploy-{environment}"}},
    )
    assert len(roles) == 1
    return next(iter(roles.values()))["Properties"]  # type: ignore[no-any-return]


def test_creates_the_github_oidc_provider(ci_template: Template) -> None:
    ci_template.resource_count_is("AWS::IAM::OIDCProvider", 1)
    ci_template.has_resource_properties(
        "AWS::IAM::OIDCProvider",
        {
            "Url": "https://token.actions.githubusercontent.com",
            "ClientIdList": ["sts.amazonaws.com"],
        },
    )


def test_access_analyzer_watches_the_account(ci_template: Template) -> None:
    ci_template.has_resource_properties("AWS::AccessAnalyzer::Analyzer", {"Type": "ACCOUNT"})


def test_deploy_role_trusts_only_this_repository_in_its_github_environment(
    ci_template: Template, environment: str
) -> None:
    trust = _deploy_role(ci_template, environment)["AssumeRolePolicyDocument"]["Statement"]
    assert len(trust) == 1
    assert trust[0]["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust[0]["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": f"repo:{GITHUB_REPOSITORY}:environment:{environment}",
        }
    }


def test_deploy_roles_may_only_assume_the_cdk_bootstrap_roles(ci_template: Template) -> None:
    policies = ci_template.find_resources("AWS::IAM::Policy")
    assert len(policies) == len(ENVIRONMENTS)
    for policy in policies.values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        assert [s["Action"] for s in statements] == ["sts:AssumeRole"]
        resources = statements[0]["Resource"]
        assert len(resources) == 4
        for resource in resources:
            joined = "".join(
                part if isinstance(part, str) else "" for part in resource["Fn::Join"][1]
            )
            assert ":role/cdk-hnb659fds-" in joined


def test_deploy_roles_have_no_managed_policies(ci_template: Template) -> None:
    ci_template.all_resources_properties("AWS::IAM::Role", {"ManagedPolicyArns": Match.absent()})
