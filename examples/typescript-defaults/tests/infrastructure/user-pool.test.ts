/** The API's user pool in every environment: who may sign in, how, and what survives the stack. */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Mfa } from 'aws-cdk-lib/aws-cognito';

import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../../infra/settings';
import { serviceTemplate } from './harness';
import { arrayAt, at, only } from './resources';

// CloudFormation's spelling of each MFA setting.
const MFA_CONFIGURATION: Partial<Record<Mfa, string>> = {
  [Mfa.REQUIRED]: 'ON',
  [Mfa.OPTIONAL]: 'OPTIONAL',
};

const PASSWORD_RULES = ['RequireLowercase', 'RequireUppercase', 'RequireNumbers', 'RequireSymbols'];

describe.each(ENVIRONMENT_NAMES)('the user pool in %s', (environment) => {
  const settings = ENVIRONMENTS[environment];
  let template: Template;

  beforeAll(() => {
    template = serviceTemplate(environment);
  });

  test('only administrators create users, who sign in with their e-mail address', () => {
    const [, pool] = only(template, 'AWS::Cognito::UserPool');
    expect(at(pool.Properties, 'AdminCreateUserConfig', 'AllowAdminCreateUserOnly')).toBe(true);
    expect(pool.Properties['UsernameAttributes']).toEqual(['email']);
    expect(pool.Properties['AutoVerifiedAttributes']).toEqual(['email']);
    expect(pool.Properties['AccountRecoverySetting']).toEqual({
      RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
    });
  });

  test('passwords are long and mixed', () => {
    const [, pool] = only(template, 'AWS::Cognito::UserPool');
    const policy = at(pool.Properties, 'Policies', 'PasswordPolicy');
    expect(at(policy, 'MinimumLength')).toBeGreaterThanOrEqual(12);
    for (const rule of PASSWORD_RULES) {
      expect({ rule, required: at(policy, rule) }).toEqual({ rule, required: true });
    }
  });

  test('MFA is an authenticator app, as the environment says', () => {
    const [, pool] = only(template, 'AWS::Cognito::UserPool');
    expect(pool.Properties['MfaConfiguration']).toBe(MFA_CONFIGURATION[settings.userPoolMfa]);
    expect(pool.Properties['EnabledMfas']).toEqual(['SOFTWARE_TOKEN_MFA']);
  });

  test('the pool is protected and kept where the environment says', () => {
    const [, pool] = only(template, 'AWS::Cognito::UserPool');
    expect(pool.Properties['DeletionProtection']).toBe(
      settings.userPoolDeletionProtection ? 'ACTIVE' : 'INACTIVE',
    );
    const retained = settings.removalPolicy === RemovalPolicy.RETAIN;
    expect(pool.DeletionPolicy).toBe(retained ? 'Retain' : 'Delete');
  });

  test('the app client has no secret, no OAuth and no password flow of its own', () => {
    const [, client] = only(template, 'AWS::Cognito::UserPoolClient');
    expect(client.Properties['GenerateSecret']).toBe(false);
    expect(arrayAt(client.Properties, 'ExplicitAuthFlows').sort()).toEqual([
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(client.Properties['AllowedOAuthFlowsUserPoolClient']).toBe(false);
    expect(client.Properties['PreventUserExistenceErrors']).toBe('ENABLED');
  });

  test('the pool and client ids are outputs', () => {
    const [poolId] = only(template, 'AWS::Cognito::UserPool');
    const [clientId] = only(template, 'AWS::Cognito::UserPoolClient');
    const values = Object.values(template.findOutputs('*')).map((output) => at(output, 'Value'));
    expect(values).toContainEqual({ Ref: poolId });
    expect(values).toContainEqual({ Ref: clientId });
  });
});
