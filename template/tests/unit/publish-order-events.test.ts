/** The outbox's publisher, on stream records of new orders, against a stubbed EventBridge. */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

import { metrics } from '../../service/handlers/observability';
import { handler } from '../../service/handlers/publish-order-events';
import { EnvironmentVariables } from '../../service/settings';
import { lambdaContext } from '../lambda-context';
import { insertRecord, logRecords } from '../lambda-events';

const TRACE_HEADER = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

const eventBridge = mockClient(EventBridgeClient);
let added: jest.SpiedFunction<typeof metrics.addMetric>;

beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  added = jest.spyOn(metrics, 'addMetric');
});

afterEach(() => {
  jest.restoreAllMocks();
});

let orders = 0;

/** A new order's item as the stream delivers it, in DynamoDB's JSON. */
function orderItem(changes: Record<string, AttributeValue> = {}): Record<string, AttributeValue> {
  orders += 1;
  const orderId = `01JDQ4Z6S0MZ6V3N2Q8X5K${String(orders).padStart(4, '0')}`;
  return {
    PK: { S: 'USER#u-1' },
    SK: { S: `ORDER#${orderId}` },
    GSI1PK: { S: `ORDER#${orderId}` },
    GSI1SK: { S: `ORDER#${orderId}` },
    GSI2PK: { S: 'DAY#2026-11-27' },
    GSI2SK: { S: `ORDER#${orderId}` },
    type: { S: 'Order' },
    orderId: { S: orderId },
    userId: { S: 'u-1' },
    currency: { S: 'USD' },
    totalCents: { N: '2500' },
    itemCount: { N: '2' },
    createdAt: { S: '2026-11-27T04:59:59.120Z' },
    status: { S: 'placed' },
    correlationId: { S: `request-${String(orders)}` },
    ...changes,
  };
}

const publish = (...records: DynamoDBRecord[]) =>
  handler({ Records: records }, lambdaContext('publish-order-events'));

const failures = (...records: DynamoDBRecord[]) => ({
  batchItemFailures: records.map((record) => ({
    itemIdentifier: record.dynamodb?.SequenceNumber,
  })),
});

/** Every entry put on the bus, in order. */
const entries = () =>
  eventBridge.commandCalls(PutEventsCommand).flatMap((call) => call.args[0].input.Entries ?? []);

/** The details of the entries put on the bus, in order. */
const details = () => entries().map((entry) => JSON.parse(entry.Detail ?? 'null') as unknown);

test('each new order is put on the bus as its OrderCreated event', async () => {
  const record = insertRecord(orderItem(), 'c4ca4238a0b923820dcc509a6f75849b');

  await expect(publish(record)).resolves.toEqual(failures());

  expect(entries()).toEqual([
    expect.objectContaining({
      EventBusName: process.env[EnvironmentVariables.EVENT_BUS_NAME],
      Source: process.env[EnvironmentVariables.EVENT_SOURCE],
      DetailType: 'OrderCreated',
    }),
  ]);
  expect(details()).toEqual([
    {
      metadata: { event_id: 'c4ca4238a0b923820dcc509a6f75849b', correlation_id: 'request-1' },
      order_id: '01JDQ4Z6S0MZ6V3N2Q8X5K0001',
      user_id: 'u-1',
      currency: 'USD',
      total_cents: 2500,
      item_count: 2,
      created_at: '2026-11-27T04:59:59.120Z',
    },
  ]);
  expect(added).toHaveBeenCalledWith('OrderEventsPublished', 'Count', 1);
});

test("an event carries its request's trace header when the order has one", async () => {
  const traced = orderItem({ traceHeader: { S: TRACE_HEADER } });

  await publish(insertRecord(traced), insertRecord(orderItem()));

  expect(entries().map((entry) => entry.TraceHeader)).toEqual([TRACE_HEADER, undefined]);
});

test('a record delivered again is put with the same event id', async () => {
  const record = insertRecord(orderItem());

  await publish(record);
  await publish(record);

  const [first, again] = details() as { metadata: unknown }[];
  expect(again?.metadata).toEqual(first?.metadata);
});

test('each record logs under the correlation id of the request that placed its order', async () => {
  const records = await logRecords(() =>
    publish(insertRecord(orderItem()), insertRecord(orderItem())),
  );

  expect(records.map((record) => [record['correlation_id'], record['message']])).toEqual([
    [`request-${String(orders - 1)}`, 'OrderCreated published'],
    [`request-${String(orders)}`, 'OrderCreated published'],
  ]);
});

test('a record whose event the bus refused is reported as failed, and only that one', async () => {
  const [first, refused, third] = [orderItem(), orderItem(), orderItem()];
  eventBridge.on(PutEventsCommand).callsFake((input: { Entries: { Detail: string }[] }) =>
    input.Entries[0]?.Detail.includes(refused['orderId']?.S ?? '-')
      ? {
          FailedEntryCount: 1,
          Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'no' }],
        }
      : { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] },
  );
  const refusedRecord = insertRecord(refused);

  await expect(publish(insertRecord(first), refusedRecord, insertRecord(third))).resolves.toEqual(
    failures(refusedRecord),
  );
  expect(added).toHaveBeenCalledWith('OrderEventsNotPublished', 'Count', 1);
});

test('with the bus unreachable, every record is reported as failed', async () => {
  eventBridge.on(PutEventsCommand).rejects(new Error('connect ECONNREFUSED'));
  const records = [insertRecord(orderItem()), insertRecord(orderItem())];

  const logged = await logRecords(async () => {
    await expect(publish(...records)).resolves.toEqual(failures(...records));
  });

  expect(logged.filter((record) => record['level'] === 'ERROR')).toHaveLength(2);
});

test.each([
  ['without its correlation id', { correlationId: { NULL: true } }, 'metadata.correlation_id'],
  ['with a fractional total', { totalCents: { N: '12.5' } }, 'total_cents'],
  ['without a creation time', { createdAt: { NULL: true } }, 'created_at'],
])(
  'a record of an order item %s is reported as failed, and nothing put',
  async (_case, changes, field) => {
    const record = insertRecord(orderItem(changes));

    const logged = await logRecords(async () => {
      await expect(publish(record)).resolves.toEqual(failures(record));
    });

    expect(entries()).toEqual([]);
    expect(JSON.stringify(logged)).toContain(field);
  },
);

test('a record that is not a new order is skipped', async () => {
  const profile = insertRecord({
    PK: { S: 'USER#u-1' },
    SK: { S: 'PROFILE' },
    type: { S: 'User' },
  });
  const update = { ...insertRecord(orderItem()), eventName: 'MODIFY' as const };

  await expect(publish(profile, update)).resolves.toEqual(failures());
  expect(entries()).toEqual([]);
});

test('a record that is not a stream record is reported as failed', async () => {
  const record = { ...insertRecord(orderItem()), eventSource: 'aws:kinesis' };

  await expect(publish(record)).resolves.toEqual(failures(record));
  expect(entries()).toEqual([]);
});
