/** Publishing on a bus in the emulator: events reach a rule's queue, failed entries are retried. */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';

import { EVENT_SOURCE } from '../../infra/contract';
import { EventPublisher, EventPublishError } from '../../service/events/publisher';
import { ORDER_CREATED, OrderCreated, orderCreatedDetail } from '../../service/models/events';
import { parseEvent } from '../../service/models/parsing';
import { EnvironmentVariables } from '../../service/settings';
import { EventQueue, eventOf } from './event-queue';

const EVENT: OrderCreated = {
  metadata: { event_id: 'c4ca4238a0b923820dcc509a6f75849b', correlation_id: 'request-1' },
  order_id: '01JDQ4Z6S0MZ6V3N2Q8X5K0001',
  user_id: 'u-1',
  currency: 'USD',
  total_cents: 1999,
  item_count: 1,
  created_at: new Date(Date.UTC(2026, 10, 27, 5)),
};
// A bus of this file's own: other test files put OrderCreated on the service's, in parallel.
const BUS = `${process.env[EnvironmentVariables.EVENT_BUS_NAME] ?? ''}-publisher`;

let queue: EventQueue;

/** A queue receiving the bus's OrderCreated events through a rule, as the processor's does. */
beforeAll(async () => {
  const events = new EventBridgeClient({});
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  events.destroy();
  queue = await EventQueue.create('published-order-created', BUS, ORDER_CREATED);
});

/**
 * A client of the emulator whose next `times` PutEvents report the entry as failed.
 *
 * The emulator accepts every well-formed entry, so the failure is injected in front of it, as
 * the first step of the client's middleware stack; later calls reach the emulator.
 */
function failingPutEvents(times: number): EventBridgeClient {
  const client = new EventBridgeClient({});
  let remaining = times;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== PutEventsCommand.name || remaining === 0) {
        return next(args);
      }
      remaining -= 1;
      const output: PutEventsCommandOutput = {
        FailedEntryCount: 1,
        Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'injected failure' }],
        $metadata: {},
      };
      return { output, response: {} };
    },
    { step: 'initialize', name: 'failingPutEvents' },
  );
  return client;
}

function publish(client: EventBridgeClient): Promise<string> {
  const publisher = new EventPublisher(client, {
    eventBusName: BUS,
    source: EVENT_SOURCE,
    backoffMs: 0,
  });
  return publisher.publish(ORDER_CREATED, orderCreatedDetail(EVENT));
}

/** The events the queue holds, taken off it. */
async function received(): Promise<Record<string, unknown>[]> {
  return (await queue.take()).map(eventOf);
}

test("published OrderCreated reaches the rule's target", async () => {
  const eventId = await publish(new EventBridgeClient({}));

  const [event, ...others] = await received();
  expect(others).toEqual([]);
  expect(event?.['id']).toBe(eventId);
  expect(event?.['source']).toBe(EVENT_SOURCE);
  expect(event?.['detail-type']).toBe(ORDER_CREATED);
  expect(parseEvent(OrderCreated, event?.['detail'], 'detail')).toEqual(EVENT);
});

test('an entry that failed once is published on retry', async () => {
  const eventId = await publish(failingPutEvents(1));

  expect((await received()).map((event) => event['id'])).toEqual([eventId]);
});

test('an entry failing on every attempt throws and publishes nothing', async () => {
  const publishing = publish(failingPutEvents(3));

  await expect(publishing).rejects.toThrow(EventPublishError);
  await expect(publishing).rejects.toThrow(/InternalFailure/);
  expect(await received()).toEqual([]);
});
