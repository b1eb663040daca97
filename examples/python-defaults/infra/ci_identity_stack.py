"""How GitHub Actions deploys without stored keys, and what a deployment may do.

One CI identity stack per AWS account, for the environments in that account. For each of them:

- a deploy role, assumable only through GitHub's OIDC provider by workflows of
  acme/orders-service running in the GitHub environment of the same name, which may only
  assume the CDK bootstrap roles of that environment's qualifier in this account;
- a diff role, assumable only by workflows running on the main branch, which may only assume
  that qualifier's bootstrap lookup role (read-only): the pipeline shows `cdk diff` with it
  before anyone approves the deployment;
- where the environment's settings turn on `smoke_signed_in`, a policy of the deploy role that
  lets `make smoke` create a throwaway user in that environment's user pool, sign it in and
  delete it, and nothing else;
- the CloudFormation execution policies that `cdk bootstrap --cloudformation-execution-policies`
  gives that qualifier's execution role: the actions the environment's stack needs, IAM only on
  roles and policies named with the stack's name (see infra/execution_policy.py).
"""

from typing import Any

from aws_cdk import CfnOutput, Duration, Fn, Stack
from aws_cdk import aws_accessanalyzer as accessanalyzer
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.compliance import acknowledge, required_tags
from infra.contract import REGION
from infra.execution_policy import deployment_actions, in_parts
from infra.settings import ENVIRONMENTS, GITHUB_REPOSITORY, SERVICE_NAME, stack_name

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
# The roles `cdk bootstrap` creates for a qualifier; `cdk diff` reads through the lookup role.
CDK_BOOTSTRAP_ROLES = (
    "deploy-role",
    "file-publishing-role",
    "image-publishing-role",
    "lookup-role",
)
# The token subject of a workflow job on the main branch that names no GitHub environment.
MAIN_BRANCH_SUBJECT = f"repo:{GITHUB_REPOSITORY}:ref:refs/heads/main"
# What `make smoke` does with a throwaway user of the environment's pool (scripts/smoke_test.py).
SMOKE_TEST_USER_ACTIONS = (
    "cognito-idp:AdminCreateUser",
    "cognito-idp:AdminSetUserPassword",
    "cognito-idp:AdminInitiateAuth",
    "cognito-idp:AdminDeleteUser",
)


class CiIdentityStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        service_stacks: dict[str, Stack],
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.provider: iam.IOidcProvider = iam.OidcProviderNative(
            self,
            "GitHubOidcProvider",
            url=f"https://{GITHUB_OIDC_HOST}",
            client_ids=["sts.amazonaws.com"],
        )
        # IAM Access Analyzer reports any policy that grants access from outside this account.
        # Like the OIDC provider, it is set up once per account, by the first service there.
        accessanalyzer.CfnAnalyzer(self, "AccessAnalyzer", type="ACCOUNT")
        for environment, service_stack in service_stacks.items():
            self._environment(environment, service_stack)

    def _environment(self, environment: str, service_stack: Stack) -> None:
        qualifier = ENVIRONMENTS[environment].bootstrap_qualifier
        suffix = environment.capitalize()

        def bootstrap_role(role: str) -> str:
            return f"arn:{self.partition}:iam::{self.account}:role/cdk-{qualifier}-{role}-{self.account}-{self.region}"

        deploy_role = self._github_role(
            f"DeployRole{suffix}",
            role_name=f"{SERVICE_NAME}-github-deploy-{environment}",
            description=f"GitHub Actions deploys {SERVICE_NAME} to {environment}",
            subject=f"repo:{GITHUB_REPOSITORY}:environment:{environment}",
            may_assume=[bootstrap_role(role) for role in CDK_BOOTSTRAP_ROLES],
        )
        if ENVIRONMENTS[environment].smoke_signed_in:
            self._smoke_test_users(environment, deploy_role)
        diff_role = self._github_role(
            f"DiffRole{suffix}",
            role_name=f"{SERVICE_NAME}-github-diff-{environment}",
            description=f"GitHub Actions on main reads what a deploy to {environment} would change",
            subject=MAIN_BRANCH_SUBJECT,
            may_assume=[bootstrap_role("lookup-role")],
        )
        policies = self._execution_policies(environment, service_stack)
        policy_arns = Fn.join(",", [policy.managed_policy_arn for policy in policies])

        CfnOutput(
            self,
            f"DeployRoleArn{suffix}",
            value=deploy_role.role_arn,
            description=f"AWS_DEPLOY_ROLE_ARN of the GitHub environment '{environment}'",
        )
        CfnOutput(
            self,
            f"DiffRoleArn{suffix}",
            value=diff_role.role_arn,
            description=f"Repository variable AWS_DIFF_ROLE_ARN_{environment.upper()}",
        )
        CfnOutput(
            self,
            f"BootstrapCommand{suffix}",
            value=Fn.join(
                "",
                [
                    f"npx cdk bootstrap aws://{self.account}/{self.region} --qualifier {qualifier} ",
                    "--cloudformation-execution-policies ",
                    policy_arns,
                ],
            ),
            description=f"Bootstraps {environment}'s qualifier with its execution policies",
        )

    def _github_role(
        self,
        construct_id: str,
        *,
        role_name: str,
        description: str,
        subject: str,
        may_assume: list[str],
    ) -> iam.Role:
        role = iam.Role(
            self,
            construct_id,
            role_name=role_name,
            description=description,
            max_session_duration=Duration.hours(1),
            assumed_by=iam.WebIdentityPrincipal(
                self.provider.oidc_provider_arn,
                conditions={
                    "StringEquals": {
                        f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com",
                        f"{GITHUB_OIDC_HOST}:sub": subject,
                    }
                },
            ),
        )
        role.add_to_policy(iam.PolicyStatement(actions=["sts:AssumeRole"], resources=may_assume))
        return role

    def _smoke_test_users(self, environment: str, deploy_role: iam.Role) -> None:
        """The deploy role may manage throwaway users of its own environment's user pool only."""
        # The pool's id is known only once the service stack is deployed, so the statement names
        # every pool of this account and region, and its conditions keep the pools that carry the
        # environment's Service and Env tags (apply_tags puts them on every resource of the
        # stack). Cognito evaluates aws:ResourceTag for these actions on a user pool (IAM's
        # service reference, as cfn-lint ships it: resource `userpool`, condition key
        # aws:ResourceTag/${TagKey}); tagging a pool takes cognito-idp:TagResource, which no
        # GitHub role has.
        tags = required_tags(environment)
        user_pools = f"arn:{self.partition}:cognito-idp:{self.region}:{self.account}:userpool/*"
        policy = iam.Policy(
            self,
            f"SmokeTestUsers{environment.capitalize()}",
            policy_name=f"{SERVICE_NAME}-smoke-test-users-{environment}",
            roles=[deploy_role],
            statements=[
                iam.PolicyStatement(
                    sid="SmokeTestUsersOfTheEnvironmentsPool",
                    actions=list(SMOKE_TEST_USER_ACTIONS),
                    resources=[user_pools],
                    conditions={
                        "StringEquals": {
                            f"aws:ResourceTag/{key}": tags[key] for key in ("Service", "Env")
                        }
                    },
                )
            ],
        )
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::{self._as_nag_names(user_pools)}]",
            (
                "The user pool's id is known only after the service stack's deploy; the "
                "statement's conditions keep the pools tagged with this service and environment."
            ),
        )

    def _execution_policies(
        self, environment: str, service_stack: Stack
    ) -> list[iam.ManagedPolicy]:
        """CloudFormation's permissions for one environment's stack, in as many policies as they need."""
        prefix = stack_name(environment)
        iam_arn = f"arn:{self.partition}:iam::{self.account}"
        actions = deployment_actions(service_stack, REGION)
        named = [f"{iam_arn}:role/{prefix}-*", f"{iam_arn}:policy/{prefix}-*"]
        # Each statement, with why its resources hold a wildcard.
        statements: list[tuple[iam.PolicyStatement, str]] = []
        role_actions = [
            a for a in actions if a.startswith("iam:") and a != "iam:CreateServiceLinkedRole"
        ]
        if role_actions:
            statements.append(
                (
                    iam.PolicyStatement(
                        sid="RolesAndPoliciesOfTheStack",
                        actions=role_actions,
                        resources=named,
                    ),
                    "CloudFormation names the stack's roles and policies when it creates them, each "
                    "starting with the stack's name: no narrower name is known before the deploy.",
                )
            )
        if "iam:CreateServiceLinkedRole" in actions:
            statements.append(
                (
                    iam.PolicyStatement(
                        sid="ServiceLinkedRoles",
                        actions=["iam:CreateServiceLinkedRole"],
                        resources=[f"{iam_arn}:role/aws-service-role/*"],
                    ),
                    "Services create their service-linked roles under aws-service-role/ on first "
                    "use; their names are the services', not the stack's.",
                )
            )
        other_actions = [a for a in actions if not a.startswith("iam:")]
        for index, part in enumerate(in_parts(other_actions)):
            statements.append(
                (
                    iam.PolicyStatement(
                        sid=f"ResourceHandlersInTheRegion{index + 1}",
                        actions=part,
                        resources=["*"],
                        conditions={"StringEquals": {"aws:RequestedRegion": self.region}},
                    ),
                    "CloudFormation's resource handlers call Describe and List APIs without "
                    "resource-level permissions, and create resources not named yet; the statement "
                    "holds only their actions, in the project's region.",
                )
            )
        policies = []
        for index, (statement, reason) in enumerate(statements):
            policy = iam.ManagedPolicy(
                self,
                f"ExecutionPolicy{environment.capitalize()}{index + 1}",
                managed_policy_name=f"{SERVICE_NAME}-cfn-execution-{environment}-{index + 1}",
                description=f"What CloudFormation may do to deploy {prefix}",
                statements=[statement],
            )
            for resource in statement.resources:
                acknowledge(
                    policy, f"AwsSolutions-IAM5[Resource::{self._as_nag_names(resource)}]", reason
                )
            policies.append(policy)
        return policies

    def _as_nag_names(self, value: str) -> str:
        """A string as cdk-nag's findings name it: pseudo parameters become <AWS::AccountId>."""
        resolved = self.resolve(value)
        if isinstance(resolved, str):
            return resolved
        return "".join(
            part if isinstance(part, str) else f"<{part['Ref']}>"
            for part in resolved["Fn::Join"][1]
        )
