// The smoke test's logic, offline: checks from a stub of the stack's outputs, HTTP stubbed too.
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  Check,
  type Get,
  type Response,
  SignedInCheck,
  checks,
  fetchOnce,
  main,
  outputsFromFile,
  roundTrip,
  run,
  signedInCheck,
  throwawayCredentials,
} from '../../scripts/smoke-test';

const API_URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';
const LOAD_BALANCER = 'Servi-LoadB-1A2B3C.eu-west-1.elb.amazonaws.com';

function response(status: number, location = '', body = ''): Response {
  return { status, location, body };
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

function outputsFile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'smoke-test-')), 'cdk-outputs.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

let printed: jest.SpyInstance;

beforeEach(() => {
  printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  printed.mockRestore();
});

test('the API is checked on its health route', () => {
  const check = only(checks({ ApiUrl8D4A1B2C: API_URL, SomethingElse: 'x' }));
  expect(check.url).toBe(`${API_URL}health`);
  expect(check.problem(response(200, '', '{"status": "ok"}'))).toBe('');
  expect(check.problem(response(502, '', 'Bad Gateway'))).toContain('answered 502');
  expect(check.problem(response(200, '', '{}'))).toContain('lacks');
});

test('the container is checked through the load balancer', () => {
  const check = only(checks({ ContainerUrl1F2E3D4C: `http://${LOAD_BALANCER}` }));
  expect(check.url).toBe(`http://${LOAD_BALANCER}/health`);
  expect(check.problem(response(200))).toBe('');
  expect(check.problem(response(503))).not.toBe('');
});

test('with HTTPS, plain HTTP must redirect to HTTPS', () => {
  const check = only(checks({ ContainerUrl1F2E3D4C: `https://${LOAD_BALANCER}` }));
  expect(check.url).toBe(`http://${LOAD_BALANCER}/health`);
  expect(check.problem(response(301, `https://${LOAD_BALANCER}:443/health`))).toBe('');
  expect(check.problem(response(200))).not.toBe('');
  expect(check.problem(response(301, 'http://elsewhere/'))).toContain('redirected to');
});

test('run reports each failure and an unreachable host', async () => {
  const answers = new Map([
    [`${API_URL}health`, response(200, '', '{"status": "ok"}')],
    [`http://${LOAD_BALANCER}/health`, response(503)],
  ]);
  const get: Get = (url) => {
    const answer = answers.get(url);
    return answer ? Promise.resolve(answer) : Promise.reject(new Error('connection refused'));
  };
  const allChecks = [
    ...checks({ ApiUrlX: API_URL, ContainerUrlY: `http://${LOAD_BALANCER}` }),
    new Check('elsewhere', 'http://unreachable.invalid/health', 200),
  ];
  expect(await run(allChecks, get)).toEqual([
    'container /health: answered 503, expected 200',
    'elsewhere: unreachable: connection refused',
  ]);
});

test("outputs come from cdk deploy's outputs file", () => {
  const path = outputsFile({ 'Service-dev': { ApiUrlX: API_URL } });
  expect(outputsFromFile(path, 'Service-dev')).toEqual({ ApiUrlX: API_URL });
  expect(() => outputsFromFile(path, 'Service-prod')).toThrow('Service-prod');
});

test('a stack without front door passes without calls', async () => {
  const path = outputsFile({ 'Service-dev': {} });
  expect(await main(['Service-dev', '--outputs-file', path])).toBe(0);
  expect(printed).toHaveBeenCalledWith(expect.stringContaining('nothing to call'));
});

test('a call without a stack is refused with the usage', async () => {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  expect(await main(['--environment', 'dev'])).toBe(2);
  expect(await main(['Service-dev', '--no-such-flag'])).toBe(2);
  expect(errors).toHaveBeenCalledWith(expect.stringContaining('usage: smoke-test.ts'));
  errors.mockRestore();
});

test('a GET is made once over real HTTP, without following redirects', async () => {
  const server = createServer((request, answer) => {
    if (request.url === '/moved') {
      answer.writeHead(301, { Location: 'https://example.com/health' }).end();
    } else {
      answer.writeHead(200).end(`{"seen": "${request.headers.authorization ?? ''}"}`);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    expect(await fetchOnce(`http://127.0.0.1:${String(port)}/moved`)).toEqual({
      status: 301,
      location: 'https://example.com/health',
      body: '',
    });
    const answer = await fetchOnce(`http://127.0.0.1:${String(port)}/me`, {
      Authorization: 'Bearer t',
    });
    expect(answer).toEqual({ status: 200, location: '', body: '{"seen": "Bearer t"}' });
  } finally {
    server.closeAllConnections();
    server.close();
  }
  // Nothing listens there any more: the check reports why it could not connect.
  const [failure] = await run([new Check('gone', `http://127.0.0.1:${String(port)}/health`, 200)]);
  expect(failure).toMatch(/^gone: unreachable: fetch failed: \S/);
});

// --- the signed-in round trip -------------------------------------------------------------

const POOL_ID = 'eu-west-1_AbC123';
const SIGNED_IN = new SignedInCheck(API_URL, POOL_ID, 'client123');
const USER = 'smoke-test-0123@example.com';
const PASSWORD = 'random-Password-1!';
const NO_PROFILE = response(404, '', '{"statusCode":404,"message":"user abc does not exist"}');
const TOKENS: Partial<AdminInitiateAuthCommandOutput> = {
  AuthenticationResult: { AccessToken: 'token123' },
};

const cognitoMock = mockClient(CognitoIdentityProviderClient);
const cognito = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const credentials = (): [string, string] => [USER, PASSWORD];
const noProfile: Get = () => Promise.resolve(NO_PROFILE);

function denied(command: string): Error {
  const error = new Error(`${command} denied`);
  error.name = 'NotAuthorizedException';
  return error;
}

// Each of the four calls the round trip makes, refused.
const DENY = {
  AdminCreateUserCommand: () =>
    cognitoMock.on(AdminCreateUserCommand).rejects(denied('AdminCreateUserCommand')),
  AdminSetUserPasswordCommand: () =>
    cognitoMock.on(AdminSetUserPasswordCommand).rejects(denied('AdminSetUserPasswordCommand')),
  AdminInitiateAuthCommand: () =>
    cognitoMock.on(AdminInitiateAuthCommand).rejects(denied('AdminInitiateAuthCommand')),
  AdminDeleteUserCommand: () =>
    cognitoMock.on(AdminDeleteUserCommand).rejects(denied('AdminDeleteUserCommand')),
};

// Cognito answering each call as it would, but for the one `failing`.
function cognitoAnswers(failing?: keyof typeof DENY, signIn = TOKENS): void {
  cognitoMock.reset();
  cognitoMock.on(AdminCreateUserCommand).resolves({});
  cognitoMock.on(AdminSetUserPasswordCommand).resolves({});
  cognitoMock.on(AdminInitiateAuthCommand).resolves(signIn);
  cognitoMock.on(AdminDeleteUserCommand).resolves({});
  if (failing) {
    DENY[failing]();
  }
}

function calls(): { name: string; input: unknown }[] {
  return cognitoMock.calls().map((call) => {
    const command = call.args[0] as { constructor: { name: string }; input: unknown };
    return { name: command.constructor.name, input: command.input };
  });
}

function names(): string[] {
  return calls().map((call) => call.name);
}

test('the round trip needs the API and the user pool in the outputs', () => {
  const outputs = {
    ApiUrl8D4A1B2C: API_URL,
    UserPoolUserPoolId1A2B: POOL_ID,
    UserPoolUserPoolClientId3C4D: 'client123',
  };
  expect(signedInCheck(outputs)).toEqual(SIGNED_IN);
  expect(signedInCheck({ ApiUrl8D4A1B2C: API_URL })).toBeUndefined();
  expect(SIGNED_IN.call.url).toBe(`${API_URL}me`);
});

test('a round trip creates, signs in, calls and deletes the user', async () => {
  cognitoAnswers();
  const seen: [string, unknown][] = [];
  const get: Get = (url, headers) => {
    seen.push([url, headers]);
    return Promise.resolve(NO_PROFILE);
  };
  expect(await roundTrip(SIGNED_IN, cognito, get, credentials)).toEqual([]);
  expect(names()).toEqual([
    'AdminCreateUserCommand',
    'AdminSetUserPasswordCommand',
    'AdminInitiateAuthCommand',
    'AdminDeleteUserCommand',
  ]);
  const [created, password, signIn, deleted] = calls().map((call) => call.input);
  expect(created).toMatchObject({ MessageAction: 'SUPPRESS', Username: USER });
  expect(password).toEqual({
    UserPoolId: POOL_ID,
    Username: USER,
    Password: PASSWORD,
    Permanent: true,
  });
  expect(signIn).toMatchObject({
    AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
    ClientId: 'client123',
    AuthParameters: { USERNAME: USER, PASSWORD: PASSWORD },
  });
  expect(deleted).toEqual({ UserPoolId: POOL_ID, Username: USER });
  expect(seen).toEqual([[`${API_URL}me`, { Authorization: 'Bearer token123' }]]);
});

test.each<[keyof typeof DENY, string[]]>([
  ['AdminSetUserPasswordCommand', ['AdminInitiateAuthCommand']],
  ['AdminInitiateAuthCommand', []],
])('a failing step (%s) is reported and the user still deleted', async (failing, skipped) => {
  cognitoAnswers(failing);
  const urls: string[] = [];
  const get: Get = (url) => {
    urls.push(url);
    return Promise.resolve(NO_PROFILE);
  };
  const failure = only(await roundTrip(SIGNED_IN, cognito, get, credentials));
  expect(failure).toContain(`${failing} denied`);
  expect(urls).toEqual([]);
  expect(names().at(-1)).toBe('AdminDeleteUserCommand');
  expect(names().filter((name) => skipped.includes(name))).toEqual([]);
});

test('a challenge instead of tokens fails the sign-in', async () => {
  cognitoAnswers(undefined, { ChallengeName: 'MFA_SETUP', Session: 's' });
  expect(await roundTrip(SIGNED_IN, cognito, noProfile, credentials)).toEqual([
    'sign it in: answered MFA_SETUP instead of tokens',
  ]);
  expect(names().at(-1)).toBe('AdminDeleteUserCommand');
});

test.each([
  ['answered 401, expected 404', response(401, '', '{"message":"Unauthorized"}')],
  ['lacks', response(404, '', '{"message":"Not Found"}')],
])('the user is deleted when the API call fails: %s', async (problem, answer) => {
  cognitoAnswers();
  const failure = only(
    await roundTrip(SIGNED_IN, cognito, () => Promise.resolve(answer), credentials),
  );
  expect(failure.startsWith('API GET /me signed in: ')).toBe(true);
  expect(failure).toContain(problem);
  expect(names().at(-1)).toBe('AdminDeleteUserCommand');
});

test('the user is deleted when the API is unreachable', async () => {
  cognitoAnswers();
  const get: Get = () =>
    Promise.reject(new TypeError('fetch failed', { cause: new Error('reset') }));
  expect(await roundTrip(SIGNED_IN, cognito, get, credentials)).toEqual([
    'API GET /me signed in: unreachable: fetch failed: reset',
  ]);
  expect(names().at(-1)).toBe('AdminDeleteUserCommand');
});

test('a user that was not created is not deleted', async () => {
  cognitoAnswers('AdminCreateUserCommand');
  expect(await roundTrip(SIGNED_IN, cognito, noProfile, credentials)).toEqual([
    'create test user: NotAuthorizedException: AdminCreateUserCommand denied',
  ]);
  expect(names()).toEqual(['AdminCreateUserCommand']);
});

test('a failing delete is reported', async () => {
  cognitoAnswers('AdminDeleteUserCommand');
  expect(await roundTrip(SIGNED_IN, cognito, noProfile, credentials)).toEqual([
    'delete test user: NotAuthorizedException: AdminDeleteUserCommand denied',
  ]);
});

test('a random user and password each time', () => {
  const [[user, password], [other]] = [throwawayCredentials(), throwawayCredentials()];
  expect(user).not.toBe(other);
  expect(user.endsWith('@example.com')).toBe(true);
  expect(password.length).toBeGreaterThanOrEqual(12);
  expect(password).toMatch(/[a-z]/);
  expect(password).toMatch(/[A-Z]/);
  expect(password).toMatch(/[0-9]/);
  expect(password).toMatch(/[^a-zA-Z0-9]/);
});
