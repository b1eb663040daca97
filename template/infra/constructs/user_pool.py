"""Who may call the API: a Cognito user pool of the environment's own, and one app client.

Nobody signs up alone: an administrator creates each user (README, "Call the API"), and Cognito
sends the invitation to the user's e-mail address, which is also the user name. Passwords follow
a strong policy; MFA with an authenticator app is required or optional as the environment says.
The app client has no secret (browsers and mobile apps cannot keep one): apps sign in with SRP,
so the password never leaves the device, and administrators with AWS credentials may sign a
user in with the password (ADMIN_USER_PASSWORD_AUTH) to test. No hosted UI or OAuth flows: add
a domain and callback URLs when the apps need them.
"""

from aws_cdk import CfnOutput, Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk.aws_apigatewayv2_authorizers import HttpUserPoolAuthorizer
from constructs import Construct

from infra.compliance import acknowledge
from infra.settings import SERVICE_NAME, EnvironmentSettings


class UserPool(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, settings: EnvironmentSettings
    ) -> None:
        super().__init__(scope, construct_id)
        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"{SERVICE_NAME}-{settings.name}",
            feature_plan=cognito.FeaturePlan.ESSENTIALS,
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            keep_original=cognito.KeepOriginalAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True)
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            mfa=settings.user_pool_mfa,
            # An authenticator app; SMS would need an SNS role and is open to SIM swapping.
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            deletion_protection=settings.user_pool_deletion_protection,
            removal_policy=settings.removal_policy,
        )
        if settings.user_pool_mfa != cognito.Mfa.REQUIRED:
            acknowledge(
                self.user_pool,
                "AwsSolutions-COG2",
                (
                    "MFA is optional in this environment (infra/settings.py, user_pool_mfa) so "
                    "that developers and the smoke test sign in with a password alone; it holds "
                    "no production users, and users may still turn on an authenticator app."
                ),
            )
        acknowledge(
            self.user_pool,
            "AwsSolutions-COG8",
            (
                "The Plus feature plan (threat protection against compromised credentials) is "
                "billed per monthly active user; the owner turns it on with feature_plan=PLUS "
                "and standard_threat_protection_mode=FULL_FUNCTION when that cost is justified."
            ),
        )
        self.client = self.user_pool.add_client(
            "AppClient",
            user_pool_client_name=f"{SERVICE_NAME}-{settings.name}",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_srp=True, admin_user_password=True),
            disable_o_auth=True,
            prevent_user_existence_errors=True,
            access_token_validity=Duration.hours(1),
            id_token_validity=Duration.hours(1),
            refresh_token_validity=Duration.days(30),
        )
        # Tokens of this pool, issued to this client: API Gateway checks `iss` and `client_id`.
        self.authorizer = HttpUserPoolAuthorizer(
            "UserPool", self.user_pool, user_pool_clients=[self.client]
        )
        CfnOutput(
            self,
            "UserPoolId",
            value=self.user_pool.user_pool_id,
            description="Cognito user pool of the API's users",
        )
        CfnOutput(
            self,
            "UserPoolClientId",
            value=self.client.user_pool_client_id,
            description="App client that signs users in to the API",
        )
