"""The API's user pool in every environment: who may sign in, how, and what survives the stack."""

from collections.abc import Mapping
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk.assertions import Template
from aws_cdk.aws_cognito import Mfa

from infra.settings import ENVIRONMENTS

# CloudFormation's spelling of each MFA setting.
MFA_CONFIGURATION = {Mfa.REQUIRED: "ON", Mfa.OPTIONAL: "OPTIONAL"}


def _pool(template: Template) -> tuple[str, Mapping[str, Any]]:
    pools = template.find_resources("AWS::Cognito::UserPool")
    assert len(pools) == 1, list(pools)
    return next(iter(pools.items()))


def test_only_administrators_create_users_who_sign_in_with_their_email(
    service_template: Template,
) -> None:
    _, pool = _pool(service_template)
    properties = pool["Properties"]
    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert properties["UsernameAttributes"] == ["email"]
    assert properties["AutoVerifiedAttributes"] == ["email"]
    assert properties["AccountRecoverySetting"] == {
        "RecoveryMechanisms": [{"Name": "verified_email", "Priority": 1}]
    }


def test_passwords_are_long_and_mixed(service_template: Template) -> None:
    _, pool = _pool(service_template)
    policy = pool["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12
    assert all(
        policy[rule]
        for rule in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")
    )


def test_mfa_is_an_authenticator_app_as_the_environment_says(
    service_template: Template, environment: str
) -> None:
    _, pool = _pool(service_template)
    mfa = ENVIRONMENTS[environment].user_pool_mfa
    assert pool["Properties"]["MfaConfiguration"] == MFA_CONFIGURATION[mfa]
    assert pool["Properties"]["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]


def test_the_pool_is_protected_and_kept_where_the_environment_says(
    service_template: Template, environment: str
) -> None:
    settings = ENVIRONMENTS[environment]
    _, pool = _pool(service_template)
    assert pool["Properties"]["DeletionProtection"] == (
        "ACTIVE" if settings.user_pool_deletion_protection else "INACTIVE"
    )
    retained = settings.removal_policy == RemovalPolicy.RETAIN
    assert pool["DeletionPolicy"] == ("Retain" if retained else "Delete")


def test_the_app_client_has_no_secret_no_oauth_and_no_password_flow_of_its_own(
    service_template: Template,
) -> None:
    clients = service_template.find_resources("AWS::Cognito::UserPoolClient")
    ((_, client),) = clients.items()
    properties = client["Properties"]
    assert properties["GenerateSecret"] is False
    assert sorted(properties["ExplicitAuthFlows"]) == [
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_USER_SRP_AUTH",
    ]
    assert properties["AllowedOAuthFlowsUserPoolClient"] is False
    assert properties["PreventUserExistenceErrors"] == "ENABLED"


def test_the_pool_and_client_ids_are_outputs(service_template: Template) -> None:
    pool_id, _ = _pool(service_template)
    ((client_id, _),) = service_template.find_resources("AWS::Cognito::UserPoolClient").items()
    values = [output["Value"] for output in service_template.find_outputs("*").values()]
    assert {"Ref": pool_id} in values
    assert {"Ref": client_id} in values
