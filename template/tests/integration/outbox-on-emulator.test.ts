/**
 * The outbox on the emulator: a new order's item, as the table's stream hands it over, becomes
 * its OrderCreated event on the bus, even when the bus was out of reach when the order was placed.
 *
 * The emulator's table has a stream, but the tests have no client of DynamoDB Streams: each
 * drives the publisher with the record the stream holds, built from the item as stored.
 */
import { randomUUID } from 'node:crypto';

import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

import { Repository } from '../../service/dal/repository';
import { metrics } from '../../service/handlers/observability';
import { handler as processor } from '../../service/handlers/process-order-created';
import {
  handler as publishOrderEvents,
  publisher,
} from '../../service/handlers/publish-order-events';
import { placeOrder } from '../../service/logic/orders';
import { registerUser } from '../../service/logic/users';
import { ORDER_CREATED } from '../../service/models/events';
import type { Order } from '../../service/models/orders';
import { EnvironmentVariables } from '../../service/settings';
import { lambdaContext } from '../lambda-context';
import { insertRecord } from '../lambda-events';
import { EventQueue, eventOf } from './event-queue';

const TABLE = process.env[EnvironmentVariables.TABLE_NAME] ?? '';
const dynamodb = new DynamoDBClient({});
const repository = new Repository(DynamoDBDocumentClient.from(dynamodb), TABLE);
let queue: EventQueue;

beforeAll(async () => {
  const bus = process.env[EnvironmentVariables.EVENT_BUS_NAME] ?? '';
  queue = await EventQueue.create('outbox-order-created', bus, ORDER_CREATED);
});

afterEach(() => {
  jest.restoreAllMocks();
});

/** A new order, and the record of its item's insert on the table's stream. */
async function placed(): Promise<{ order: Order; record: DynamoDBRecord; correlationId: string }> {
  const userId = `user-${randomUUID().slice(0, 12)}`;
  const correlationId = `request-${userId}`;
  await registerUser(repository, userId, { email: `${userId}@example.com`, name: 'Test User' });
  const order = await placeOrder(
    repository,
    userId,
    { currency: 'EUR', items: [{ sku: 'BOOK-1', quantity: 3, unit_price_cents: 1250 }] },
    { correlationId },
  );
  const { Item: item = {} } = await dynamodb.send(
    new GetItemCommand({
      TableName: TABLE,
      Key: { PK: { S: `USER#${userId}` }, SK: { S: `ORDER#${order.order_id}` } },
    }),
  );
  return { order, record: insertRecord(item), correlationId };
}

const publish = (...records: DynamoDBRecord[]) =>
  publishOrderEvents({ Records: records }, lambdaContext('publish-order-events'));

/** The details of the order's events the bus delivered to the queue. */
async function deliveredFor(order: Order): Promise<Record<string, unknown>[]> {
  return (await queue.take())
    .map((message) => eventOf(message)['detail'] as Record<string, unknown>)
    .filter((detail) => detail['order_id'] === order.order_id);
}

test('an order placed while the bus is out of reach gets its event once the bus is back', async () => {
  const { order, record, correlationId } = await placed();
  // What the client throws once its own retries are spent, with no bus to reach.
  const outage = jest
    .spyOn(publisher, 'publish')
    .mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:443'));

  await expect(publish(record)).resolves.toEqual({
    batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber }],
  });
  expect(await deliveredFor(order)).toEqual([]);

  // The bus is back; Lambda hands the failed record over again.
  outage.mockRestore();
  await expect(publish(record)).resolves.toEqual({ batchItemFailures: [] });

  expect(await deliveredFor(order)).toEqual([
    {
      metadata: { event_id: record.eventID, correlation_id: correlationId },
      order_id: order.order_id,
      user_id: order.user_id,
      currency: 'EUR',
      total_cents: 3750,
      item_count: 1,
      created_at: order.created_at.replace('.000Z', 'Z'),
    },
  ]);
});

test('a record handed over twice is published twice, and its order confirmed once', async () => {
  const { order, record } = await placed();
  await publish(record);
  await publish(record);
  const messages = (await queue.records()).filter((message) =>
    message.body.includes(order.order_id),
  );
  expect(messages).toHaveLength(2);
  const added = jest.spyOn(metrics, 'addMetric');

  const response = await processor({ Records: messages }, lambdaContext('process-order-created'));

  expect(response).toEqual({ batchItemFailures: [] });
  expect(added.mock.calls.filter(([name]) => name === 'OrdersConfirmed')).toHaveLength(1);
  expect((await repository.getOrder(order.order_id)).status).toBe('confirmed');
});
