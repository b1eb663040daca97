/**
 * Events this service publishes: the `detail` of each, and the EventBridge event around it.
 *
 * schemas/OrderCreated.json describes the same event for consumers, in the bus's schema registry;
 * a test keeps the two in step.
 */

import { isoTimestamp, object, parseEvent, text, timestamp, unexpected } from './parsing';
import { z } from './zod';

/** The detail type of OrderCreated. */
export const ORDER_CREATED = 'OrderCreated';

// At most 12 digits, 2 of them after the point.
const AMOUNT_LIMIT = 10 ** 10;
const RANGE = `expected at least 0 and less than ${String(AMOUNT_LIMIT)}`;
// Checked on the number's shortest text, so that the JSON number 19.99 has 2 decimal places.
const CENTS = /^\d+(\.\d{1,2})?$/;

/**
 * The service stored a new order: the detail as the code holds it (`created_at` a Date).
 *
 * Publish it with `publisher.publish(ORDER_CREATED, orderCreatedDetail(order))`.
 */
export const OrderCreated = object({
  order_id: text(64),
  user_id: text(128),
  // A JSON number on the wire, so that rules can filter on it numerically.
  amount: z.number({ error: unexpected }).check(
    z.gte(0, { error: RANGE, abort: true }),
    z.lt(AMOUNT_LIMIT, { error: RANGE, abort: true }),
    z.refine((amount) => CENTS.test(String(amount)), 'expected at most 2 decimal places'),
  ),
  created_at: timestamp,
});
export type OrderCreated = z.output<typeof OrderCreated>;
/** OrderCreated as it travels: JSON, the time as ISO 8601 text. */
export type OrderCreatedDetail = z.input<typeof OrderCreated>;

/** The order as the detail of its event; InvalidEventError for an order no consumer would take. */
export const orderCreatedDetail = (order: OrderCreated): OrderCreatedDetail => {
  const detail = {
    order_id: order.order_id,
    user_id: order.user_id,
    amount: order.amount,
    created_at: isoTimestamp(order.created_at),
  };
  parseEvent(OrderCreated, detail, 'detail');
  return detail;
};
