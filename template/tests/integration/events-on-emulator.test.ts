/** Publishing on a bus in the emulator: events reach a rule's queue, failed entries are retried. */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

import { EVENT_SOURCE } from '../../infra/settings';
import { EventPublisher, EventPublishError } from '../../service/events/publisher';
import { ORDER_CREATED, OrderCreated, orderCreatedDetail } from '../../service/models/events';
import { parseEvent } from '../../service/models/parsing';
import { EnvironmentVariables } from '../../service/settings';

const ORDER: OrderCreated = {
  order_id: 'o-1',
  user_id: 'u-1',
  amount: 19.99,
  created_at: new Date(Date.UTC(2026, 10, 27, 5)),
};
// A bus of this file's own: the API's tests publish OrderCreated too, in parallel, on the service's.
const BUS = `${process.env[EnvironmentVariables.EVENT_BUS_NAME] ?? ''}-publisher`;

const sqs = new SQSClient({});
let queueUrl: string;

/** A queue receiving the bus's OrderCreated events through a rule, as the processor would. */
beforeAll(async () => {
  const events = new EventBridgeClient({});
  await events.send(new CreateEventBusCommand({ Name: BUS }));
  const queue = await sqs.send(new CreateQueueCommand({ QueueName: 'order-created' }));
  queueUrl = queue.QueueUrl ?? '';
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await events.send(
    new PutRuleCommand({
      Name: 'order-created',
      EventBusName: BUS,
      EventPattern: JSON.stringify({ source: [EVENT_SOURCE], 'detail-type': [ORDER_CREATED] }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: 'order-created',
      EventBusName: BUS,
      Targets: [{ Id: 'queue', Arn: attributes.Attributes?.QueueArn }],
    }),
  );
});

interface DeliveredEvent {
  id: string;
  source: string;
  'detail-type': string;
  detail: unknown;
}

/** The events the queue holds, taken off it. */
async function received(): Promise<DeliveredEvent[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
  );
  for (const message of Messages) {
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
    );
  }
  return Messages.map((message) => JSON.parse(message.Body ?? 'null') as DeliveredEvent);
}

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
  return publisher.publish(ORDER_CREATED, orderCreatedDetail(ORDER));
}

test('published OrderCreated reaches the rules target', async () => {
  const eventId = await publish(new EventBridgeClient({}));

  const [event, ...others] = await received();
  expect(others).toEqual([]);
  expect(event?.id).toBe(eventId);
  expect(event?.source).toBe(EVENT_SOURCE);
  expect(event?.['detail-type']).toBe(ORDER_CREATED);
  expect(parseEvent(OrderCreated, event?.detail, 'detail')).toEqual(ORDER);
});

test('an entry that failed once is published on retry', async () => {
  const eventId = await publish(failingPutEvents(1));

  expect((await received()).map((event) => event.id)).toEqual([eventId]);
});

test('an entry failing on every attempt throws and publishes nothing', async () => {
  const publishing = publish(failingPutEvents(3));

  await expect(publishing).rejects.toThrow(EventPublishError);
  await expect(publishing).rejects.toThrow(/InternalFailure/);
  expect(await received()).toEqual([]);
});
