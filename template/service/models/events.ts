/**
 * Events this service publishes: the `detail` of each, as the code holds it and as it travels.
 *
 * schemas/OrderCreated.json describes the same event for consumers, in the bus's schema registry;
 * a test keeps the two in step.
 */

import { isoTimestamp, object, parseEvent, text, timestamp, unexpected } from './parsing';
import { z } from './zod';

/** The detail type of OrderCreated. */
export const ORDER_CREATED = 'OrderCreated';

/** A whole number of at least `minimum`. */
const count = (minimum: number) =>
  z
    .int({
      error: (issue) =>
        typeof issue.input === 'number' ? 'expected a whole number' : unexpected(issue),
    })
    .check(z.gte(minimum, `expected at least ${String(minimum)}`));

/**
 * Where an event comes from. `event_id` is the event's own id, the same in every delivery of it
 * (a redelivery, a publisher's retry, a replay from the archive): consumers do each effect once
 * per event id. `correlation_id` is the one of the request that led to the event.
 */
export const Metadata = object({
  event_id: text(128),
  correlation_id: text(128),
});
export type Metadata = z.output<typeof Metadata>;

/**
 * The service stored a new order: the detail as the code holds it (`created_at` a Date).
 *
 * Publish it with `publisher.publish(ORDER_CREATED, orderCreatedDetail(event))`.
 */
export const OrderCreated = object({
  metadata: Metadata,
  order_id: text(64),
  user_id: text(128),
  currency: z
    .string({ error: unexpected })
    .check(z.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code: 3 capital letters')),
  // Whole numbers on the wire, so that rules can filter on them numerically.
  total_cents: count(0),
  item_count: count(1),
  created_at: timestamp,
});
export type OrderCreated = z.output<typeof OrderCreated>;
/** OrderCreated as it travels: JSON, the time as ISO 8601 text. */
export type OrderCreatedDetail = z.input<typeof OrderCreated>;

/** The event as its detail; InvalidEventError for an event no consumer would take. */
export const orderCreatedDetail = (event: OrderCreated): OrderCreatedDetail => {
  const detail = {
    metadata: { event_id: event.metadata.event_id, correlation_id: event.metadata.correlation_id },
    order_id: event.order_id,
    user_id: event.user_id,
    currency: event.currency,
    total_cents: event.total_cents,
    item_count: event.item_count,
    created_at: isoTimestamp(event.created_at),
  };
  parseEvent(OrderCreated, detail, 'detail');
  return detail;
};
