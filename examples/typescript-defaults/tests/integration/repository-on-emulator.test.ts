/** The data-access layer on the emulator: conditional writes, the order transaction, queries. */
import { randomUUID } from 'node:crypto';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { Repository } from '../../service/dal/repository';
import {
  OrderAlreadyExistsError,
  OrderNotFoundError,
  UserAlreadyExistsError,
  UserNotFoundError,
} from '../../service/logic/errors';
import { placeOrder } from '../../service/logic/orders';
import { registerUser } from '../../service/logic/users';
import type { NewOrder } from '../../service/models/orders';
import { EnvironmentVariables } from '../../service/settings';

const NEW_ORDER: NewOrder = {
  currency: 'USD',
  items: [{ sku: 'BOOK-1', quantity: 2, unit_price_cents: 1250 }],
};

const repository = new Repository(
  DynamoDBDocumentClient.from(new DynamoDBClient({})),
  process.env[EnvironmentVariables.TABLE_NAME] ?? '',
);

/** A user with a profile, new to each test. */
async function newUser(): Promise<string> {
  const userId = `user-${randomUUID().slice(0, 12)}`;
  await registerUser(repository, userId, { email: `${userId}@example.com`, name: 'Test User' });
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
  await placeOrder(repository, userId, NEW_ORDER);
  await placeOrder(repository, userId, NEW_ORDER);
  expect((await repository.getUser(userId)).order_count).toBe(2);
});

test('an order for a user without a profile writes nothing', async () => {
  await expect(placeOrder(repository, 'nobody', NEW_ORDER)).rejects.toThrow(UserNotFoundError);
  expect((await repository.listOrders('nobody', { limit: 10 })).orders).toEqual([]);
});

test('an order id taken cancels the whole transaction', async () => {
  const userId = await newUser();
  const order = await placeOrder(repository, userId, NEW_ORDER);
  const items = [{ line: 1, sku: 'PEN-7', quantity: 1, unit_price_cents: 199 }];
  await expect(repository.createOrder(order, items)).rejects.toThrow(OrderAlreadyExistsError);
  expect((await repository.getUser(userId)).order_count).toBe(1);
  const stored = await repository.listOrderItems(order.order_id);
  expect(stored.map((item) => item.sku)).toEqual(['BOOK-1']);
});

test('orders come newest first, a page at a time', async () => {
  const userId = await newUser();
  const start = Date.now();
  const placed = [];
  for (const n of [0, 1, 2]) {
    placed.push(await placeOrder(repository, userId, NEW_ORDER, new Date(start + n * 1000)));
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
  const order = await placeOrder(repository, userId, NEW_ORDER);
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
