/**
 * After a deploy: does the environment answer? `make smoke ENV=<env>` runs this.
 *
 * It reads the stack's outputs (the file `cdk deploy --outputs-file` wrote, or CloudFormation's
 * answer), then calls the health route of each front door the stack has: the HTTP API's `/health`,
 * and the container service's `/health` through its load balancer. Where the load balancer serves
 * HTTPS, its certificate names your domain, not the load balancer's address: the check is then that
 * plain HTTP redirects to HTTPS.
 *
 * Where the stack has a Cognito user pool and the environment's settings say `smokeSignedIn`
 * (infra/settings.ts), it also makes one signed-in round trip: it creates a throwaway user in the
 * pool (no invitation sent), gives it a random password, signs it in (ADMIN_USER_PASSWORD_AUTH) and
 * calls GET /me with its access token. A new user has no profile, so the function answers 404 in
 * its own error shape: the token passed the API's authorizer (without one it answers 401). The user
 * is deleted whatever happened. Any failure exits non-zero, which stops the pipeline's promotion.
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs, types } from 'node:util';

import { stackOutputs, type Outputs } from './stack-outputs';

const TIMEOUT_MS = 10_000;

export interface Response {
  readonly status: number;
  readonly location: string;
  readonly body: string;
}

export type Get = (url: string, headers?: Readonly<Record<string, string>>) => Promise<Response>;

export class Check {
  // Either a status and body fragment to find, or a redirect whose target starts with `redirectTo`.
  constructor(
    readonly name: string,
    readonly url: string,
    readonly status: number,
    readonly expect: { readonly inBody?: string; readonly redirectTo?: string } = {},
  ) {}

  /** What is wrong with the response, or '' when it passes. */
  problem(response: Response): string {
    const { inBody, redirectTo } = this.expect;
    if (response.status !== this.status) {
      return `answered ${String(response.status)}, expected ${String(this.status)}`;
    }
    if (redirectTo && !response.location.startsWith(redirectTo)) {
      return `redirected to ${JSON.stringify(response.location)}, expected ${redirectTo}...`;
    }
    if (inBody && !response.body.includes(inBody)) {
      return `body ${JSON.stringify(response.body.slice(0, 200))} lacks ${JSON.stringify(inBody)}`;
    }
    return '';
  }
}

function sorted(outputs: Outputs): [string, string][] {
  return Object.entries(outputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The health checks the stack's outputs call for (output keys start with the construct's id). */
export function checks(outputs: Outputs): Check[] {
  const found: Check[] = [];
  for (const [key, value] of sorted(outputs)) {
    if (key.startsWith('ApiUrl')) {
      found.push(new Check('API /health', `${trimSlash(value)}/health`, 200, { inBody: '"ok"' }));
    } else if (key.startsWith('ContainerUrl')) {
      const host = authority(value);
      if (value.startsWith('https://')) {
        found.push(
          new Check('load balancer redirects HTTP to HTTPS', `http://${host}/health`, 301, {
            redirectTo: `https://${host}`,
          }),
        );
      } else {
        found.push(new Check('container /health', `http://${host}/health`, 200));
      }
    }
  }
  return found;
}

// The URL's host and port as written (URL's `host` would lower-case it).
function authority(url: string): string {
  return /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** GET the URL once, without following redirects. */
export const fetchOnce: Get = async (url, headers = {}) => {
  const answer = await fetch(url, {
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return {
    status: answer.status,
    location: answer.headers.get('location') ?? '',
    body: await answer.text(),
  };
};

/** An error in one line: fetch's own says only "fetch failed", its cause says why. */
export function explain(error: unknown): string {
  // isNativeError, not instanceof: fetch's errors may come from another realm (under jest, say).
  if (!types.isNativeError(error)) {
    return String(error);
  }
  const { cause } = error;
  return types.isNativeError(cause) ? `${error.message}: ${cause.message}` : error.message;
}

/** One call to the API as a throwaway user of the stack's user pool. */
export class SignedInCheck {
  constructor(
    readonly apiUrl: string,
    readonly userPoolId: string,
    readonly clientId: string,
  ) {}

  get call(): Check {
    // A new user has no profile: 404 in the function's error shape ({"statusCode": ...}).
    return new Check('API GET /me signed in', `${trimSlash(this.apiUrl)}/me`, 404, {
      inBody: '"statusCode"',
    });
  }
}

/** The round trip the outputs allow: an API and a user pool with its app client. */
export function signedInCheck(outputs: Outputs): SignedInCheck | undefined {
  const output = (prefix: string): string =>
    sorted(outputs).find(([key]) => key.startsWith(prefix))?.[1] ?? '';
  const apiUrl = output('ApiUrl');
  const userPoolId = output('UserPoolUserPoolId');
  const clientId = output('UserPoolUserPoolClientId');
  if (!apiUrl || !userPoolId || !clientId) {
    return undefined;
  }
  return new SignedInCheck(apiUrl, userPoolId, clientId);
}

/** A user name (the pool signs in with e-mail addresses) and a password its policy accepts. */
export function throwawayCredentials(): [user: string, password: string] {
  // example.com is reserved (RFC 2606): no mail is sent anyway (MessageAction SUPPRESS).
  const user = `smoke-test-${randomBytes(8).toString('hex')}@example.com`;
  // 32 random URL-safe characters, then one of each class the password policy requires.
  return [user, `${randomBytes(24).toString('base64url')}aA1!`];
}

/**
 * Create a user, sign it in, call the API with its token, delete the user: the failures.
 *
 * Each step prints one line, as the health checks do; the first failure skips the steps that
 * need it, and the user is deleted in any case.
 */
export async function roundTrip(
  check: SignedInCheck,
  cognito: CognitoIdentityProviderClient,
  get: Get = fetchOnce,
  credentials: () => [string, string] = throwawayCredentials,
): Promise<string[]> {
  const [user, password] = credentials();
  const pool = { UserPoolId: check.userPoolId, Username: user };
  const failures: string[] = [];

  async function step(name: string, action: () => Promise<string>): Promise<boolean> {
    let problem: string;
    try {
      problem = await action();
    } catch (error) {
      // An SDK or network error: reported, never thrown.
      problem = types.isNativeError(error) ? `${error.name}: ${explain(error)}` : String(error);
    }
    console.log(`${problem ? 'FAIL' : 'ok  '} ${name}: ${user} ${problem}`.trimEnd());
    if (problem) {
      failures.push(`${name}: ${problem}`);
    }
    return !problem;
  }

  let token = '';
  const created = await step('create test user', async () => {
    await cognito.send(
      new AdminCreateUserCommand({
        ...pool,
        UserAttributes: [
          { Name: 'email', Value: user },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    return '';
  });
  try {
    const signedIn =
      created &&
      (await step('set its password', async () => {
        await cognito.send(
          new AdminSetUserPasswordCommand({ ...pool, Password: password, Permanent: true }),
        );
        return '';
      })) &&
      (await step('sign it in', async () => {
        const answer = await cognito.send(
          new AdminInitiateAuthCommand({
            UserPoolId: check.userPoolId,
            ClientId: check.clientId,
            AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: user, PASSWORD: password },
          }),
        );
        token = answer.AuthenticationResult?.AccessToken ?? '';
        return token ? '' : `answered ${answer.ChallengeName ?? 'no token'} instead of tokens`;
      }));
    if (signedIn) {
      const request = check.call;
      await step(request.name, async () => {
        try {
          return request.problem(await get(request.url, { Authorization: `Bearer ${token}` }));
        } catch (error) {
          return `unreachable: ${explain(error)}`;
        }
      });
    }
  } finally {
    if (created) {
      await step('delete test user', async () => {
        await cognito.send(new AdminDeleteUserCommand(pool));
        return '';
      });
    }
  }
  return failures;
}

/** Whether the environment's settings ask for the signed-in round trip. */
export async function signsIn(environment: string): Promise<boolean> {
  // Imported only here: the settings need the CDK, the health checks not.
  const { environmentSettings } = await import('../infra/settings.js');
  // Only the settings of a stack with a user pool have `smokeSignedIn`; the others never sign in.
  const settings: Readonly<Record<string, unknown>> = { ...environmentSettings(environment) };
  return settings['smokeSignedIn'] === true;
}

export function cognitoClient(userPoolId: string): CognitoIdentityProviderClient {
  // A pool's id starts with its region (us-east-1_AbC123).
  return new CognitoIdentityProviderClient({ region: userPoolId.split('_')[0] ?? '' });
}

/** Run every check; the failures, one line each. */
export async function run(allChecks: readonly Check[], get: Get = fetchOnce): Promise<string[]> {
  const failures: string[] = [];
  for (const check of allChecks) {
    let problem: string;
    try {
      problem = check.problem(await get(check.url));
    } catch (error) {
      problem = `unreachable: ${explain(error)}`;
    }
    console.log(`${problem ? 'FAIL' : 'ok  '} ${check.name}: ${check.url} ${problem}`.trimEnd());
    if (problem) {
      failures.push(`${check.name}: ${problem}`);
    }
  }
  return failures;
}

/** The stack's outputs from `cdk deploy --outputs-file` ({stack: {key: value}}). */
export function outputsFromFile(path: string, stack: string): Outputs {
  const all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Outputs | undefined>;
  const outputs = all[stack];
  if (outputs === undefined) {
    throw new Error(`${path} holds no outputs of ${stack}`);
  }
  return outputs;
}

const USAGE = `usage: smoke-test.ts [-h] [--outputs-file OUTPUTS_FILE] [--environment ENVIRONMENT] stack

After a deploy: does the environment answer?

positional arguments:
  stack                 the deployed stack, e.g. the dev stack

options:
  -h, --help            show this help message and exit
  --outputs-file OUTPUTS_FILE
                        JSON written by cdk deploy --outputs-file
  --environment ENVIRONMENT
                        the stack's environment: its settings say whether a test user signs in`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'outputs-file': { type: 'string' },
        environment: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`${USAGE}\n\nsmoke-test.ts: error: ${explain(error)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [stack, ...extra] = positionals;
  if (stack === undefined || extra.length > 0) {
    console.error(`${USAGE}\n\nsmoke-test.ts: error: give exactly one stack`);
    return 2;
  }
  const outputsFile = values['outputs-file'];
  const outputs = outputsFile ? outputsFromFile(outputsFile, stack) : await stackOutputs(stack);
  const found = checks(outputs);
  if (found.length === 0) {
    console.log(`${stack} has no HTTP front door: nothing to call.`);
    return 0;
  }
  const failures = await run(found);
  const signedIn = signedInCheck(outputs);
  if (signedIn && values.environment && (await signsIn(values.environment))) {
    failures.push(...(await roundTrip(signedIn, cognitoClient(signedIn.userPoolId))));
  }
  return failures.length > 0 ? 1 : 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
