"""The CI identity: GitHub OIDC roles that can do nothing but hand over to their own CDK roles,
and the least-privilege policies CloudFormation deploys with."""

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Match, Template

from infra.contract import REGION
from infra.execution_policy import (
    deployment_actions,
    handler_actions,
    iam_actions,
    resource_types,
)
from infra.settings import (
    CI_IDENTITIES,
    ENVIRONMENTS,
    GITHUB_REPOSITORY,
    SERVICE_NAME,
    CiIdentity,
    stack_name,
)


def _identity_of(environment: str) -> CiIdentity:
    [identity] = [ci for ci in CI_IDENTITIES if environment in ci.environments]
    return identity


@pytest.fixture(params=CI_IDENTITIES, ids=lambda ci: ci.stack_name)
def identity(request: pytest.FixtureRequest) -> CiIdentity:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def ci_template(templates: dict[str, Template], identity: CiIdentity) -> Template:
    return templates[identity.stack_name]


def _joined(value: Any) -> str:
    """An ARN as text, with CloudFormation's pseudo parameters as ${AWS::Name}."""
    if isinstance(value, str):
        return value
    return "".join(
        part if isinstance(part, str) else "${" + part["Ref"] + "}" for part in value["Fn::Join"][1]
    )


def _role(template: Template, name: str) -> dict[str, Any]:
    roles = template.find_resources("AWS::IAM::Role", {"Properties": {"RoleName": name}})
    assert len(roles) == 1, name
    logical_id, role = next(iter(roles.items()))
    return {"logical_id": logical_id, **role["Properties"]}


def _assumable(template: Template, role: dict[str, Any]) -> list[str]:
    """What a role may assume: the resources of its one statement, which allows sts:AssumeRole only."""
    [policy] = [p for p in _inline_policies(template, role) if SMOKE_POLICY not in p["PolicyName"]]
    [statement] = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "sts:AssumeRole"
    resources = statement["Resource"]
    return [_joined(r) for r in (resources if isinstance(resources, list) else [resources])]


def _inline_policies(template: Template, role: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        p["Properties"]
        for p in template.find_resources("AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": role["logical_id"]}]
    ]


# The policy of a deploy role that lets `make smoke` manage a throwaway user (smoke_signed_in).
SMOKE_POLICY = "-smoke-test-users"


def _account_text(identity: CiIdentity) -> str:
    return identity.account or "${AWS::AccountId}"


def test_one_ci_identity_stack_per_account_holds_its_environments_only(
    templates: dict[str, Template],
) -> None:
    assert len({ci.account for ci in CI_IDENTITIES}) == len(CI_IDENTITIES)
    assert sorted(env for ci in CI_IDENTITIES for env in ci.environments) == sorted(ENVIRONMENTS)
    for ci in CI_IDENTITIES:
        names = {
            role["Properties"]["RoleName"]
            for role in templates[ci.stack_name].find_resources("AWS::IAM::Role").values()
        }
        assert names == {
            f"{SERVICE_NAME}-github-{kind}-{env}"
            for env in ci.environments
            for kind in ("deploy", "diff")
        }


def test_stacks_are_pinned_to_their_accounts(templates: dict[str, Template]) -> None:
    for environment, settings in ENVIRONMENTS.items():
        identity = _identity_of(environment)
        assert settings.account == identity.account


def test_environments_sharing_an_account_have_bootstrap_qualifiers_of_their_own() -> None:
    for ci in CI_IDENTITIES:
        qualifiers = {ENVIRONMENTS[env].bootstrap_qualifier for env in ci.environments}
        assert len(qualifiers) == len(ci.environments)


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


def _trust(template: Template, role_name: str) -> dict[str, Any]:
    trust = _role(template, role_name)["AssumeRolePolicyDocument"]["Statement"]
    assert len(trust) == 1
    assert trust[0]["Action"] == "sts:AssumeRoleWithWebIdentity"
    return trust[0]["Condition"]  # type: ignore[no-any-return]


def test_deploy_role_trusts_only_this_repository_in_its_github_environment(
    templates: dict[str, Template], environment: str
) -> None:
    template = templates[_identity_of(environment).stack_name]
    assert _trust(template, f"{SERVICE_NAME}-github-deploy-{environment}") == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": f"repo:{GITHUB_REPOSITORY}:environment:{environment}",
        }
    }


def test_diff_role_trusts_only_the_main_branch(
    templates: dict[str, Template], environment: str
) -> None:
    template = templates[_identity_of(environment).stack_name]
    assert _trust(template, f"{SERVICE_NAME}-github-diff-{environment}") == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": f"repo:{GITHUB_REPOSITORY}:ref:refs/heads/main",
        }
    }


def test_deploy_role_may_assume_only_its_own_environments_bootstrap_roles(
    templates: dict[str, Template], environment: str
) -> None:
    identity = _identity_of(environment)
    template = templates[identity.stack_name]
    qualifier = ENVIRONMENTS[environment].bootstrap_qualifier
    account = _account_text(identity)
    assumable = _assumable(template, _role(template, f"{SERVICE_NAME}-github-deploy-{environment}"))
    assert sorted(arn.partition(f":iam::{account}:")[2] for arn in assumable) == [
        f"role/cdk-{qualifier}-{role}-{account}-{REGION}"
        for role in ("deploy-role", "file-publishing-role", "image-publishing-role", "lookup-role")
    ]


def test_diff_role_may_assume_only_its_environments_lookup_role(
    templates: dict[str, Template], environment: str
) -> None:
    identity = _identity_of(environment)
    template = templates[identity.stack_name]
    qualifier = ENVIRONMENTS[environment].bootstrap_qualifier
    account = _account_text(identity)
    [assumable] = _assumable(template, _role(template, f"{SERVICE_NAME}-github-diff-{environment}"))
    assert assumable.endswith(
        f":iam::{account}:role/cdk-{qualifier}-lookup-role-{account}-{REGION}"
    )


def test_no_role_can_assume_another_environments_bootstrap_roles(
    templates: dict[str, Template],
) -> None:
    """Each bootstrap role a GitHub role may assume belongs to its environment's account and qualifier."""
    for environment, settings in ENVIRONMENTS.items():
        identity = _identity_of(environment)
        template = templates[identity.stack_name]
        own = f"role/cdk-{settings.bootstrap_qualifier}-"
        for kind in ("deploy", "diff"):
            role = _role(template, f"{SERVICE_NAME}-github-{kind}-{environment}")
            for arn in _assumable(template, role):
                assert own in arn, (environment, kind, arn)
                assert f":iam::{_account_text(identity)}:" in arn, (environment, kind, arn)
                for other, other_settings in ENVIRONMENTS.items():
                    if other_settings.bootstrap_qualifier != settings.bootstrap_qualifier:
                        assert f"cdk-{other_settings.bootstrap_qualifier}-" not in arn, other


def test_only_deploy_roles_of_environments_with_a_signed_in_smoke_test_manage_users(
    templates: dict[str, Template], environment: str
) -> None:
    identity = _identity_of(environment)
    template = templates[identity.stack_name]
    account = _account_text(identity)
    deploy = _role(template, f"{SERVICE_NAME}-github-deploy-{environment}")
    diff = _role(template, f"{SERVICE_NAME}-github-diff-{environment}")
    assert not [p for p in _inline_policies(template, diff) if SMOKE_POLICY in p["PolicyName"]]
    smoke = [p for p in _inline_policies(template, deploy) if SMOKE_POLICY in p["PolicyName"]]
    if not ENVIRONMENTS[environment].smoke_signed_in:
        assert smoke == []
        return
    [policy] = smoke
    assert policy["PolicyName"] == f"{SERVICE_NAME}{SMOKE_POLICY}-{environment}"
    [statement] = policy["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Allow"
    assert sorted(statement["Action"]) == [
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminDeleteUser",
        "cognito-idp:AdminInitiateAuth",
        "cognito-idp:AdminSetUserPassword",
    ]
    # Every user pool of the environment's account and region (the pool's id is not known here)...
    resource = _joined(statement["Resource"])
    assert resource.startswith("arn:")
    assert resource.split(":", 2)[2] == f"cognito-idp:{REGION}:{account}:userpool/*"
    # ...that carry this service's and environment's tags, as the service stack tags its own.
    assert statement["Condition"] == {
        "StringEquals": {
            "aws:ResourceTag/Service": SERVICE_NAME,
            "aws:ResourceTag/Env": environment,
        }
    }


def test_the_user_pools_carry_the_tags_the_smoke_test_policy_names(
    templates: dict[str, Template], environment: str
) -> None:
    template = templates[stack_name(environment)]
    template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {"UserPoolTags": Match.object_like({"Service": SERVICE_NAME, "Env": environment})},
    )


def test_github_roles_have_no_managed_policies(ci_template: Template) -> None:
    ci_template.all_resources_properties("AWS::IAM::Role", {"ManagedPolicyArns": Match.absent()})


# --- the CloudFormation execution policies ------------------------------------------------------


def _execution_statements(templates: dict[str, Template], environment: str) -> list[dict[str, Any]]:
    template = templates[_identity_of(environment).stack_name]
    policies = template.find_resources(
        "AWS::IAM::ManagedPolicy",
        {
            "Properties": {
                "ManagedPolicyName": Match.string_like_regexp(
                    f"^{SERVICE_NAME}-cfn-execution-{environment}-[0-9]+$"
                )
            }
        },
    )
    assert policies
    return [
        statement
        for policy in policies.values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return actions if isinstance(actions, list) else [actions]


def test_execution_policy_has_no_wildcard_action(
    templates: dict[str, Template], environment: str
) -> None:
    for statement in _execution_statements(templates, environment):
        assert statement["Effect"] == "Allow"
        for action in _actions(statement):
            assert "*" not in action, action
            assert action != "iam:*"


def test_execution_policy_limits_iam_to_the_stacks_own_roles_and_policies(
    templates: dict[str, Template], environment: str
) -> None:
    prefix = stack_name(environment)
    for statement in _execution_statements(templates, environment):
        resources = statement["Resource"]
        resources = [
            _joined(r) for r in (resources if isinstance(resources, list) else [resources])
        ]
        if not any(action.startswith("iam:") for action in _actions(statement)):
            # Everything else stays in the project's region.
            assert statement["Condition"]["StringEquals"]["aws:RequestedRegion"] == REGION
            continue
        assert all(action.startswith("iam:") for action in _actions(statement))
        if _actions(statement) == ["iam:CreateServiceLinkedRole"]:
            assert [r.rpartition(":")[2] for r in resources] == ["role/aws-service-role/*"]
            continue
        assert sorted(r.rpartition(":")[2] for r in resources) == [
            f"policy/{prefix}-*",
            f"role/{prefix}-*",
        ]


# An action CloudFormation needs for each chosen service's resources.
SERVICE_ACTIONS = [
    "apigateway:POST",
    "lambda:CreateFunction",
    "dynamodb:CreateTable",
    "sns:CreateTopic",
    # Alarms: on the functions, the table and the container service (the bucket has none).
    "cloudwatch:PutMetricAlarm",
]


def test_execution_policy_covers_every_resource_of_the_stack(
    service_app: Any, templates: dict[str, Template], environment: str
) -> None:
    granted = {a for s in _execution_statements(templates, environment) for a in _actions(s)}
    stack = service_app.node.find_child(stack_name(environment))
    assert isinstance(stack, Stack)
    assert set(deployment_actions(stack, REGION)) <= granted
    assert set(SERVICE_ACTIONS) <= granted
    # The stack's own roles, and the functions' and tasks' roles handed to their services.
    assert {"iam:CreateRole", "iam:PutRolePolicy", "iam:PassRole"} <= granted


def test_execution_policy_names_only_actions_iam_knows(
    templates: dict[str, Template], environment: str
) -> None:
    for statement in _execution_statements(templates, environment):
        for action in _actions(statement):
            assert action.lower() in iam_actions(), action


def test_handler_actions_come_from_the_resource_schemas() -> None:
    assert "dynamodb:CreateTable" in handler_actions(REGION, "AWS::DynamoDB::Table")
    assert handler_actions(REGION, "Custom::Anything") == {"lambda:InvokeFunction"}
    assert resource_types(Stack()) == set()
