/**
 * A queue in the emulator that receives a bus's events through a rule, as the OrderCreated
 * processor's queue does: the integration tests read from it what the bus delivered.
 */
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

import { EVENT_SOURCE } from '../../infra/contract';
import { sqsRecord } from '../lambda-events';

const sqs = new SQSClient({});
const ACCOUNT = '123456789012';

export class EventQueue {
  private constructor(private readonly url: string) {}

  /** A queue named `name` receiving the events of `detailType` the service puts on `bus`. */
  static async create(name: string, bus: string, detailType: string): Promise<EventQueue> {
    const { QueueUrl: url = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes: attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    const events = new EventBridgeClient({});
    await events.send(
      new PutRuleCommand({
        Name: name,
        EventBusName: bus,
        EventPattern: JSON.stringify({ source: [EVENT_SOURCE], 'detail-type': [detailType] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: bus,
        Targets: [{ Id: 'queue', Arn: attributes?.QueueArn }],
      }),
    );
    events.destroy();
    return new EventQueue(url);
  }

  /** Every message the queue holds, taken off it. */
  async take(): Promise<Message[]> {
    const taken: Message[] = [];
    for (;;) {
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: this.url, MaxNumberOfMessages: 10 }),
      );
      if (messages.length === 0) {
        return taken;
      }
      for (const message of messages) {
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: this.url, ReceiptHandle: message.ReceiptHandle }),
        );
      }
      taken.push(...messages);
    }
  }

  /** Every message the queue holds, taken off it, as the processor's event source hands them over. */
  async records(): Promise<SQSRecord[]> {
    return (await this.take()).map((message) =>
      // EventBridge names the account in every event; the emulator leaves it out.
      sqsRecord({ account: ACCOUNT, ...eventOf(message) }, message.MessageId),
    );
  }
}

/** The event a message holds, as JSON. */
export const eventOf = (message: Message): Record<string, unknown> =>
  JSON.parse(message.Body ?? 'null') as Record<string, unknown>;
