/** The data-access layer on the emulator: conditional writes, the order transaction, queries. */
import { randomUUID } from 'node:crypto';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

import { Repository } from '../../service/dal/repository';
import {
  OrderAlreadyExistsError,
  OrderNotFoundError,
  UserAlreadyExistsError,
  UserNotFoundError,
} from '../../service/logic/errors';
import { placeOrder } from '../../service/logic/orders';
import { registerUser } from '../../service/logic/users';
import type { NewOrder, Order, Origin } from '../../service/models/orders';
import { EnvironmentVariables } from '../../service/settings';

const NEW_ORDER: NewOrder = {
  currency: 'USD',
  items: [{ sku: 'BOOK-1', quantity: 2, unit_price_cents: 1250 }],
};

const ORIGIN: Origin = { correlationId: 'request-1' };
const TABLE = process.env[EnvironmentVariables.TABLE_NAME] ?? '';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const repository = new Repository(client, TABLE);

/** A user with a profile, new to each test. */
async function newUser(): Promise<string> {
  const userId = `user-${randomUUID().slice(0, 12)}`;
  await registerUser(repository, userId, {
    email: `${userId}@example.com`,
    name: 'Test User',
  });
  return userId;
}

test('a profile is created only once', async () => {
  const userId = await newUser();
  const again = { email: 'someone.else@example.com', name: 'Someone Else' };
  await expect(registerUser(repository, userId, again)).rejects.toThrow(UserAlreadyExistsError);
  expect((await repository.getUser(userId)).email).toBe(`${userId}@example.com`);
});

test('reading a missing profile throws UserNotFoundError', async () => {
  await expect(repository.getUser('nobody')).rejects.toThrow(UserNotFoundError);
});

test('an order is counted on the profile', async () => {
  const userId = await newUser();
  await placeOrder(repository, userId, NEW_ORDER, ORIGIN);
  await placeOrder(repository, userId, NEW_ORDER, ORIGIN);
  expect((await repository.getUser(userId)).order_count).toBe(2);
});

test('an order for a user without a profile writes nothing', async () => {
  await expect(placeOrder(repository, 'nobody', NEW_ORDER, ORIGIN)).rejects.toThrow(
    UserNotFoundError,
  );
  expect((await repository.listOrders('nobody', { limit: 10 })).orders).toEqual([]);
});

test('an order id taken cancels the whole transaction', async () => {
  const userId = await newUser();
  const order = await placeOrder(repository, userId, NEW_ORDER, ORIGIN);
  const items = [{ line: 1, sku: 'PEN-7', quantity: 1, unit_price_cents: 199 }];
  await expect(repository.createOrder(order, items, ORIGIN)).rejects.toThrow(
    OrderAlreadyExistsError,
  );
  expect((await repository.getUser(userId)).order_count).toBe(1);
  const stored = await repository.listOrderItems(order.order_id);
  expect(stored.map((item) => item.sku)).toEqual(['BOOK-1']);
});

test('orders come newest first, a page at a time', async () => {
  const userId = await newUser();
  const start = Date.now();
  const placed = [];
  for (const n of [0, 1, 2]) {
    placed.push(
      await placeOrder(repository, userId, NEW_ORDER, ORIGIN, new Date(start + n * 1000)),
    );
  }
  const first = await repository.listOrders(userId, { limit: 2 });
  const second = await repository.listOrders(userId, {
    limit: 2,
    after: first.next_token ?? undefined,
  });
  expect([...first.orders, ...second.orders].map((order) => order.order_id)).toEqual(
    placed.reverse().map((order) => order.order_id),
  );
});

test('an order and its items are found by order id', async () => {
  const userId = await newUser();
  const order = await placeOrder(repository, userId, NEW_ORDER, ORIGIN);
  expect(await repository.getOrder(order.order_id)).toEqual(order);
  expect(await repository.listOrderItems(order.order_id)).toEqual([
    { line: 1, sku: 'BOOK-1', quantity: 2, unit_price_cents: 1250 },
  ]);
});

test('an unknown order is not found', async () => {
  await expect(repository.getOrder('01ARZ3NDEKTSV4RRFFQ69G5FAV')).rejects.toThrow(
    OrderNotFoundError,
  );
});

/** The order's item as stored. */
async function storedItem(order: Order): Promise<Record<string, unknown> | undefined> {
  const key = { PK: `USER#${order.user_id}`, SK: `ORDER#${order.order_id}` };
  return (await client.send(new GetCommand({ TableName: TABLE, Key: key }))).Item;
}

test('an order item keeps its origin and the day it was created', async () => {
  const userId = await newUser();
  const traceHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
  const at = new Date('2026-11-27T23:59:59.999Z');
  const order = await placeOrder(repository, userId, NEW_ORDER, { ...ORIGIN, traceHeader }, at);
  expect(await storedItem(order)).toMatchObject({
    status: 'placed',
    correlationId: 'request-1',
    traceHeader,
    GSI2PK: 'DAY#2026-11-27',
    GSI2SK: `ORDER#${order.order_id}`,
  });
});

test('an order placed without a trace stores no trace header', async () => {
  const order = await placeOrder(repository, await newUser(), NEW_ORDER, ORIGIN);
  expect(await storedItem(order)).not.toHaveProperty('traceHeader');
});

test('an order is confirmed once', async () => {
  const order = await placeOrder(repository, await newUser(), NEW_ORDER, ORIGIN);
  const confirmedAt = new Date('2026-11-28T06:00:00Z');
  expect(await repository.confirmOrder(order.user_id, order.order_id, confirmedAt)).toBe(true);
  expect(await repository.confirmOrder(order.user_id, order.order_id)).toBe(false);
  expect(await storedItem(order)).toMatchObject({
    status: 'confirmed',
    confirmedAt: confirmedAt.toISOString(),
  });
  expect((await repository.getOrder(order.order_id)).status).toBe('confirmed');
});

test('confirming an order that does not exist throws OrderNotFoundError and writes nothing', async () => {
  const userId = await newUser();
  const order = {
    user_id: userId,
    order_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  } as Order;
  await expect(repository.confirmOrder(userId, order.order_id)).rejects.toThrow(OrderNotFoundError);
  expect(await storedItem(order)).toBeUndefined();
});

test("a day's orders come in time order, page after page, and only that day's", async () => {
  // A day of its own, that no other test places orders on.
  const day = Date.UTC(2001, 1, 3);
  const userId = await newUser();
  const placed = [];
  for (const time of [day, day + 1000, day + 2000, day + 24 * 60 * 60 * 1000 - 1]) {
    placed.push(await placeOrder(repository, userId, NEW_ORDER, ORIGIN, new Date(time)));
  }
  await placeOrder(repository, userId, NEW_ORDER, ORIGIN, new Date(day - 1));
  const pages: Order[][] = [];
  for await (const page of repository.ordersCreatedOn('2001-02-03', 3)) {
    pages.push(page);
  }
  expect(pages.map((page) => page.length)).toEqual([3, 1]);
  expect(pages.flat()).toEqual(placed);
});

test('a day without orders has no page', async () => {
  const pages: Order[][] = [];
  for await (const page of repository.ordersCreatedOn('1999-12-31')) {
    pages.push(page);
  }
  expect(pages).toEqual([]);
});
