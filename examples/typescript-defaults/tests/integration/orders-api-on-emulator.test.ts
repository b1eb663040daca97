/** The API end to end on the emulator: the real handler, routes, data access and idempotency. */
import { randomUUID } from 'node:crypto';

import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

import { handler } from '../../service/handlers/api';
import type { Order } from '../../service/models/orders';
import type { User } from '../../service/models/users';
import { EnvironmentVariables } from '../../service/settings';
import { ApiClient } from '../api-client';

const NEW_ORDER = { items: [{ sku: 'BOOK-1', quantity: 2, unit_price_cents: 1250 }] };
const TABLE = process.env[EnvironmentVariables.TABLE_NAME] ?? '';

const api = new ApiClient(handler);

/** A new user with a profile, signed in. */
async function signedUp(): Promise<ApiClient & { userId: string }> {
  const userId = `user-${randomUUID().slice(0, 12)}`;
  const caller = api.asUser(userId);
  const response = await caller.post('/me', { email: `${userId}@example.com`, name: 'Test User' });
  expect(response.status).toBe(201);
  return caller as ApiClient & { userId: string };
}

async function placed(caller: ApiClient, key: string, order: object = NEW_ORDER): Promise<Order> {
  const response = await caller.post('/me/orders', order, { 'Idempotency-Key': key });
  expect(response.status).toBe(201);
  return response.body as Order;
}

async function profile(caller: ApiClient): Promise<User> {
  return (await caller.get('/me')).body as User;
}

test("a created profile reads back with the token's subject", async () => {
  const caller = await signedUp();
  const body = await profile(caller);
  expect([body.user_id, body.email, body.order_count]).toEqual([
    caller.userId,
    `${caller.userId}@example.com`,
    0,
  ]);
});

test('creating a profile twice is 409 and keeps the first', async () => {
  const caller = await signedUp();
  const response = await caller.post('/me', { email: 'someone.else@example.com', name: 'Else' });
  expect(response.status).toBe(409);
  expect((await profile(caller)).email).toBe(`${caller.userId}@example.com`);
});

test('a caller without a profile is 404', async () => {
  const response = await api.asUser('nobody').get('/me');
  expect([response.status, response.body]).toEqual([
    404,
    { statusCode: 404, message: 'user nobody does not exist' },
  ]);
});

test('a placed order is 201 with its total and counted on the profile', async () => {
  const caller = await signedUp();
  const order = await placed(caller, 'key-1');
  expect([order.user_id, order.total_cents, order.item_count, order.status]).toEqual([
    caller.userId,
    2500,
    1,
    'placed',
  ]);
  expect((await profile(caller)).order_count).toBe(1);
});

test('an order by a caller without a profile is 404', async () => {
  const nobody = api.asUser('nobody');
  const response = await nobody.post('/me/orders', NEW_ORDER, { 'Idempotency-Key': 'key-1' });
  expect(response.status).toBe(404);
  expect(((await nobody.get('/me/orders')).body as { orders: Order[] }).orders).toEqual([]);
});

test('a retried order returns the same order and is stored once', async () => {
  const caller = await signedUp();
  const first = await placed(caller, 'retry-me');
  const retried = await placed(caller, 'retry-me');
  expect(retried).toEqual(first);
  expect((await profile(caller)).order_count).toBe(1);
});

test('the same key for a different order is 422', async () => {
  const caller = await signedUp();
  await placed(caller, 'used-once');
  const otherOrder = { items: [{ sku: 'PEN-7', quantity: 1, unit_price_cents: 199 }] };
  const response = await caller.post('/me/orders', otherOrder, { 'Idempotency-Key': 'used-once' });
  expect(response.status).toBe(422);
  expect((await profile(caller)).order_count).toBe(1);
});

test('orders are listed newest first, a page at a time', async () => {
  const caller = await signedUp();
  const ids = [];
  for (const n of [0, 1, 2]) {
    ids.push((await placed(caller, `key-${String(n)}`)).order_id);
  }
  const first = (await caller.get('/me/orders', { limit: '2' })).body as {
    orders: Order[];
    next_token: string;
  };
  const second = (await caller.get('/me/orders', { limit: '2', next_token: first.next_token }))
    .body as { orders: Order[] };
  expect([...first.orders, ...second.orders].map((order) => order.order_id)).toEqual(ids.reverse());
});

test('an order and its items are read by order id', async () => {
  const caller = await signedUp();
  const order = await placed(caller, 'key-1');
  expect((await caller.get(`/me/orders/${order.order_id}`)).body).toEqual(order);
  expect((await caller.get(`/me/orders/${order.order_id}/items`)).body).toEqual({
    items: [{ line: 1, sku: 'BOOK-1', quantity: 2, unit_price_cents: 1250 }],
  });
});

// Isolation: another user's order is answered exactly as one that does not exist.
test("another user's order and its items are 404 as if missing", async () => {
  const [caller, other] = [await signedUp(), await signedUp()];
  const orderId = (await placed(caller, 'mine')).order_id;
  for (const path of [`/me/orders/${orderId}`, `/me/orders/${orderId}/items`]) {
    const response = await other.get(path);
    expect([response.status, response.body]).toEqual([
      404,
      { statusCode: 404, message: `order ${orderId} does not exist` },
    ]);
  }
  expect((await caller.get(`/me/orders/${orderId}`)).status).toBe(200);
});

test('a user lists only their own orders', async () => {
  const [caller, other] = [await signedUp(), await signedUp()];
  await placed(caller, 'mine');
  expect((await other.get('/me/orders')).body).toEqual({ orders: [], next_token: null });
});

test('the same idempotency key from another user places their own order', async () => {
  const [caller, other] = [await signedUp(), await signedUp()];
  const mine = await placed(caller, 'shared-key');
  const theirs = await placed(other, 'shared-key');
  expect(theirs.order_id).not.toBe(mine.order_id);
  expect(theirs.user_id).toBe(other.userId);
});

test("idempotency records expire through the table's TTL", async () => {
  const caller = await signedUp();
  await placed(caller, 'expiring');
  const { Items: items = [] } = await new DynamoDBClient({}).send(
    new QueryCommand({
      TableName: TABLE,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': { S: 'IDEMPOTENCY' } },
    }),
  );
  // This request's record: the answer it keeps is the caller's order.
  const records = items.filter((item) => JSON.stringify(item['data']).includes(caller.userId));
  expect(records).toHaveLength(1);
  const now = Date.now() / 1000;
  for (const record of records) {
    const expiry = Number(record['ttl']?.N);
    expect(expiry).toBeGreaterThan(now);
    expect(expiry).toBeLessThanOrEqual(now + 24 * 60 * 60 + 60);
  }
});
