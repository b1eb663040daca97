"""How GitHub Actions deploys without stored keys.

One IAM role per environment, assumable only through GitHub's OIDC provider by workflows of
acme/orders-service running in the GitHub environment of the same name. A role may only
assume the CDK bootstrap roles of this account and region, which do the actual deployment.
"""

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_accessanalyzer as accessanalyzer
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.settings import ENVIRONMENTS, GITHUB_REPOSITORY, SERVICE_NAME

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
# The roles `cdk bootstrap` creates with its default qualifier; `cdk diff` needs the lookup role.
CDK_BOOTSTRAP_QUALIFIER = "hnb659fds"
CDK_BOOTSTRAP_ROLES = (
    "deploy-role",
    "file-publishing-role",
    "image-publishing-role",
    "lookup-role",
)


class CiIdentityStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        provider: iam.IOidcProvider = iam.OidcProviderNative(
            self,
            "GitHubOidcProvider",
            url=f"https://{GITHUB_OIDC_HOST}",
            client_ids=["sts.amazonaws.com"],
        )
        # IAM Access Analyzer reports any policy that grants access from outside this account.
        # Like the OIDC provider, it is set up once per account, by the first service there.
        accessanalyzer.CfnAnalyzer(self, "AccessAnalyzer", type="ACCOUNT")
        bootstrap_roles = [
            f"arn:{self.partition}:iam::{self.account}:role/cdk-{CDK_BOOTSTRAP_QUALIFIER}-{role}-{self.account}-{self.region}"
            for role in CDK_BOOTSTRAP_ROLES
        ]
        for environment in ENVIRONMENTS:
            role = iam.Role(
                self,
                f"DeployRole-{environment}",
                role_name=f"{SERVICE_NAME}-github-deploy-{environment}",
                description=f"GitHub Actions deploys {SERVICE_NAME} to {environment}",
                max_session_duration=Duration.hours(1),
                assumed_by=iam.WebIdentityPrincipal(
                    provider.oidc_provider_arn,
                    conditions={
                        "StringEquals": {
                            f"{GITHUB_OIDC_HOST}:aud": "sts.amazonaws.com",
                            f"{GITHUB_OIDC_HOST}:sub": f"repo:{GITHUB_REPOSITORY}:environment:{environment}",
                        }
                    },
                ),
            )
            role.add_to_policy(
                iam.PolicyStatement(actions=["sts:AssumeRole"], resources=bootstrap_roles)
            )
            CfnOutput(
                self,
                f"DeployRoleArn-{environment}",
                value=role.role_arn,
                description=f"Set as AWS_DEPLOY_ROLE_ARN in the GitHub environment '{environment}'",
            )
