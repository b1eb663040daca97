/** The API's handler on requests it refuses before touching AWS: every one gets a 4xx that says why. */
import { handler } from '../../service/handlers/api';
import { ApiClient, type ApiResponse, type RequestOptions } from '../api-client';

const api = new ApiClient(handler, 'alice');

interface Problem {
  loc: (string | number)[];
  msg: string;
}

/** Every error has one shape: statusCode and message, and detail when the request is invalid. */
function expectError(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect((response.body as { statusCode: unknown }).statusCode).toBe(status);
  expect(typeof (response.body as { message: unknown }).message).toBe('string');
  for (const key of Object.keys(response.body as object)) {
    expect(['statusCode', 'message', 'detail']).toContain(key);
  }
}

function problems(response: ApiResponse): Problem[] {
  return (response.body as { detail: Problem[] }).detail;
}

function locations(response: ApiResponse): Problem['loc'][] {
  return problems(response).map((problem) => problem.loc);
}

function message(response: ApiResponse): string {
  return (response.body as { message: string }).message;
}

test('health answers ok without a token', async () => {
  const response = await api.asUser(null).get('/health');
  expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
});

// Valid requests to every route that needs a caller. In AWS the authorizer refuses them without
// a token; the handler refuses them too rather than act for nobody.
const SIGNED_IN_ONLY: [string, string, RequestOptions][] = [
  ['POST', '/me', { body: JSON.stringify({ email: 'alice@example.com', name: 'Alice' }) }],
  ['GET', '/me', {}],
  [
    'POST',
    '/me/orders',
    {
      body: JSON.stringify({ items: [{ sku: 'BOOK-1', quantity: 1, unit_price_cents: 1250 }] }),
      headers: { 'Idempotency-Key': 'k-1' },
    },
  ],
  ['GET', '/me/orders', {}],
  ['GET', '/me/orders/01JD0000000000000000000000', {}],
  ['GET', '/me/orders/01JD0000000000000000000000/items', {}],
];

describe.each(SIGNED_IN_ONLY)('%s %s', (method, path, options) => {
  test.each([
    ['no token', null],
    ['an empty subject', ''],
    ['a path as subject', 'alice/../bob'],
    ['a subject too long', 'a'.repeat(129)],
  ])('without a usable subject (%s) is 401', async (_case, subject) => {
    expectError(await api.asUser(subject).request(method, path, options), 401);
  });
});

test('an unknown path is 404', async () => {
  expectError(await api.get('/no-such-path'), 404);
});

test('a wrong method on a known path is 405 with the allowed methods', async () => {
  const response = await api.request('DELETE', '/health');
  expectError(response, 405);
  expect(response.headers['allow']).toBe('GET');
});

// What HTTP cannot carry in a header is refused before routing, naming what is wrong.
test('a header name HTTP does not allow is 400', async () => {
  const response = await api.request('GET', '/health', { headers: { 'bad name': 'x' } });
  expectError(response, 400);
});

// A web Request, which the router builds, cannot carry a body on a GET: the body is dropped.
test('a GET with a body is answered as one without', async () => {
  const response = await api.request('GET', '/health', { body: '{' });
  expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
});

const NEW_ORDER = { items: [{ sku: 'BOOK-1', quantity: 1, unit_price_cents: 1250 }] };
const PROFILE = { email: 'alice@example.com', name: 'Alice' };

test('malformed JSON is 400 saying so', async () => {
  const response = await api.post('/me', '{"email": "alice@example.com",');
  expectError(response, 400);
  expect(message(response)).toBe('the request body is not valid JSON');
});

// Bodies no route can use, each refused with a 400 saying why before any route code runs.
test.each([
  [
    'deep nesting',
    '/me',
    '['.repeat(1000) + ']'.repeat(1000),
    'is nested more than 32 levels deep',
  ],
  [
    'a huge integer',
    '/me',
    `{"name": ${'1'.repeat(4301)}}`,
    'has an integer of more than 20 digits',
  ],
  [
    'a huge integer in an order',
    '/me/orders',
    `{"items": [{"sku": "A", "quantity": ${'9'.repeat(4301)}, "unit_price_cents": 1}]}`,
    'has an integer of more than 20 digits',
  ],
  ['a top-level array', '/me', JSON.stringify([PROFILE, { admin: true }]), 'is not a JSON object'],
  ['NaN', '/me', '{"name": NaN}', 'has NaN, which JSON does not allow'],
])("a body beyond the parser's limits (%s) is 400", async (_case, path, body, reason) => {
  const response = await api.post(path, body, { 'Idempotency-Key': 'k-1' });
  expectError(response, 400);
  expect(message(response)).toBe(`the request body ${reason}`);
});

test.each([
  ['not base64', '!!not base64!!', 'the request body is not valid base64'],
  [
    'not UTF-8',
    Buffer.from([0xff, 0xfe, 0x7b, 0x7d]).toString('base64'),
    'the request body is not UTF-8 text',
  ],
])('a base64 body that does not decode to text (%s) is 400', async (_case, body, reason) => {
  const response = await api.request('POST', '/me', { body, base64Encoded: true });
  expectError(response, 400);
  expect(message(response)).toBe(reason);
});

test('a base64 body that decodes to JSON is read', async () => {
  const body = Buffer.from(JSON.stringify({ name: 'Alice' })).toString('base64');
  const response = await api.request('POST', '/me', { body, base64Encoded: true });
  expectError(response, 422);
  expect(locations(response)).toEqual([['body', 'email']]);
});

test('a body that is not JSON is 415 with a message', async () => {
  expectError(await api.post('/me', 'name=Alice', { 'Content-Type': 'text/plain' }), 415);
});

test('a missing field is 422 naming the field', async () => {
  const response = await api.post('/me', { email: 'alice@example.com' });
  expectError(response, 422);
  expect(problems(response)).toEqual([
    { loc: ['body', 'name'], msg: 'Invalid input: expected string, received undefined' },
  ]);
});

test('an unexpected field is 422 naming the field', async () => {
  const response = await api.post('/me', { ...PROFILE, user_id: 'bob' });
  expectError(response, 422);
  expect(problems(response)).toEqual([{ loc: ['body'], msg: 'Unrecognized key: "user_id"' }]);
});

test('a bad order id is 422 with the rule it breaks', async () => {
  const response = await api.get('/me/orders/not-a-ulid/items');
  expectError(response, 422);
  expect(locations(response)).toEqual([['path', 'order_id']]);
  expect(problems(response)[0]?.msg).toContain('pattern');
});

test.each([
  ['blank', '/me/orders/%20/items', 422],
  ['not percent-encoding', '/me/orders/%zz/items', 400],
])('an order id that does not decode (%s) is a 4xx', async (_case, path, status) => {
  expectError(await api.get(path), status);
});

test('a page size out of range is 422', async () => {
  const response = await api.get('/me/orders', { limit: '1000' });
  expectError(response, 422);
  expect(locations(response)).toEqual([['query', 'limit']]);
});

test('an order without an idempotency key is 422', async () => {
  const response = await api.post('/me/orders', NEW_ORDER);
  expectError(response, 422);
  expect(locations(response)).toEqual([['header', 'idempotency-key']]);
});

test('an order without items is 422', async () => {
  const response = await api.post('/me/orders', { items: [] }, { 'Idempotency-Key': 'k-1' });
  expectError(response, 422);
  expect(locations(response)).toEqual([['body', 'items']]);
});

test('a negative quantity is 422', async () => {
  const order = { items: [{ sku: 'BOOK-1', quantity: -1, unit_price_cents: 1250 }] };
  const response = await api.post('/me/orders', order, { 'Idempotency-Key': 'k-1' });
  expectError(response, 422);
  expect(locations(response)).toEqual([['body', 'items', 0, 'quantity']]);
});

// Money and quantities are strict numbers: no boolean, string or fraction is coerced into one.
describe.each(['quantity', 'unit_price_cents'])('%s', (field) => {
  test.each([
    ['a boolean', true],
    ['a string', '3'],
    ['a fraction', 3.5],
  ])('as %s is 422', async (_case, value) => {
    const line = { sku: 'BOOK-1', quantity: 1, unit_price_cents: 1250, [field]: value };
    const response = await api.post('/me/orders', { items: [line] }, { 'Idempotency-Key': 'k' });
    expectError(response, 422);
    expect(locations(response)).toEqual([['body', 'items', 0, field]]);
  });
});

const CONTROL_CHARACTERS = ['\u0000', '\n', '\u001b', '\u007f', '\u202e', '\u2066', '\u200f'];

describe.each(['name', 'email'])('a profile %s', (field) => {
  test.each(CONTROL_CHARACTERS)('with the control character %j is 422', async (character) => {
    const value = field === 'name' ? `Ali${character}ce` : `ali${character}ce@example.com`;
    const response = await api.post('/me', { ...PROFILE, [field]: value });
    expectError(response, 422);
    expect(locations(response)).toEqual([['body', field]]);
  });
});

// HTTP carries these in a header; the key's own rules refuse them.
test.each(['key\u001b1', 'key\u007f1', '   ', '\t'])(
  'an idempotency key with control characters or only blanks is 422: %j',
  async (key) => {
    const response = await api.post('/me/orders', NEW_ORDER, { 'Idempotency-Key': key });
    expectError(response, 422);
    expect(locations(response)[0]).toEqual(['header', 'idempotency-key']);
  },
);

// HTTP cannot carry these in a header at all: refused before routing, naming the header.
test.each(['key\u00001', 'key\n1', 'key\u202e1', 'key\u20661', 'key\u200f1'])(
  'an idempotency key HTTP cannot carry is 400: %j',
  async (key) => {
    const response = await api.post('/me/orders', NEW_ORDER, { 'Idempotency-Key': key });
    expectError(response, 400);
    expect(message(response)).toBe(
      'the request header idempotency-key holds characters HTTP does not allow',
    );
  },
);
