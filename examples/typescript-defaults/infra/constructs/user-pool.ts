/**
 * Who may call the API: a Cognito user pool of the environment's own, and one app client.
 *
 * Nobody signs up alone: an administrator creates each user (README, "Call the API"), and Cognito
 * sends the invitation to the user's e-mail address, which is also the user name. Passwords follow
 * a strong policy; MFA with an authenticator app is required or optional as the environment says.
 * The app client has no secret (browsers and mobile apps cannot keep one): apps sign in with SRP,
 * so the password never leaves the device, and administrators with AWS credentials may sign a user
 * in with the password (ADMIN_USER_PASSWORD_AUTH) to test. No hosted UI or OAuth flows: add a
 * domain and callback URLs when the apps need them.
 */
import { CfnOutput, Duration } from 'aws-cdk-lib';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  UserPool as CognitoUserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

import { acknowledge } from '../compliance';
import { SERVICE_NAME, type EnvironmentSettings } from '../settings';

export interface UserPoolProps {
  readonly settings: EnvironmentSettings;
}

export class UserPool extends Construct {
  readonly userPool: CognitoUserPool;
  readonly client: UserPoolClient;
  readonly authorizer: HttpUserPoolAuthorizer;

  constructor(scope: Construct, id: string, { settings }: UserPoolProps) {
    super(scope, id);
    this.userPool = new CognitoUserPool(this, 'UserPool', {
      userPoolName: `${SERVICE_NAME}-${settings.name}`,
      featurePlan: FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: settings.userPoolMfa,
      // An authenticator app; SMS would need an SNS role and is open to SIM swapping.
      mfaSecondFactor: { otp: true, sms: false },
      deletionProtection: settings.userPoolDeletionProtection,
      removalPolicy: settings.removalPolicy,
    });
    if (settings.userPoolMfa !== Mfa.REQUIRED) {
      acknowledge(
        this.userPool,
        'AwsSolutions-COG2',
        'MFA is optional in this environment (infra/settings.ts, userPoolMfa) so that ' +
          'developers and the smoke test sign in with a password alone; it holds no production ' +
          'users, and users may still turn on an authenticator app.',
      );
    }
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'The Plus feature plan (threat protection against compromised credentials) is billed per ' +
        'monthly active user; the owner turns it on with featurePlan PLUS and ' +
        'standardThreatProtectionMode FULL_FUNCTION when that cost is justified.',
    );
    this.client = this.userPool.addClient('AppClient', {
      userPoolClientName: `${SERVICE_NAME}-${settings.name}`,
      generateSecret: false,
      authFlows: { userSrp: true, adminUserPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
    // Tokens of this pool, issued to this client: API Gateway checks `iss` and `client_id`.
    this.authorizer = new HttpUserPoolAuthorizer('UserPool', this.userPool, {
      userPoolClients: [this.client],
    });
    new CfnOutput(this, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: "Cognito user pool of the API's users",
    });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.client.userPoolClientId,
      description: 'App client that signs users in to the API',
    });
  }
}
