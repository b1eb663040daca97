/**
 * The table as the outbox of OrderCreated: each order item new on its stream is an event to
 * publish.
 *
 * The order's transaction writes the item, and the stream keeps it for a day: the event is as
 * durable as the order, whatever happens to the request that placed it. Powertools' parser reads
 * the stream record, its image unmarshalled.
 */
import { DynamoDBStreamRecord } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

import { OrderCreated } from '../models/events';
import { parseEvent } from '../models/parsing';
import { orderFromItem } from './repository';

/** An event to publish, and the X-Ray trace header of the request it comes from, if traced. */
export interface PendingEvent {
  readonly event: OrderCreated;
  readonly traceHeader: string | undefined;
}

/**
 * The OrderCreated of a stream record adding an order item; undefined for any other record, and
 * InvalidEventError for a record or an order item that is not whole.
 *
 * The event's id is the stream record's, the same on every delivery of the record: the event
 * keeps one id through Lambda's retries, the publisher's, and the archive's replays.
 */
export function newOrderEvent(record: DynamoDBRecord): PendingEvent | undefined {
  const change = parseEvent(DynamoDBStreamRecord, record);
  const image = change.dynamodb.NewImage;
  if (change.eventName !== 'INSERT' || image?.['type'] !== 'Order') {
    return undefined;
  }
  const { order, origin } = orderFromItem(image);
  const event = parseEvent(
    OrderCreated,
    {
      metadata: { event_id: change.eventID, correlation_id: origin.correlationId },
      order_id: order.order_id,
      user_id: order.user_id,
      currency: order.currency,
      total_cents: order.total_cents,
      item_count: order.item_count,
      created_at: order.created_at,
    },
    'NewImage',
  );
  return { event, traceHeader: origin.traceHeader };
}
