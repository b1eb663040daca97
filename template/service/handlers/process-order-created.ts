/**
 * Processes the OrderCreated events of the service's bus.
 *
 * EventBridge delivers an event at least once, and the archive can replay it: processing it again
 * must change nothing more than processing it once. Key any effect added here by the order id
 * (a conditional write, or Powertools' idempotency utility), never by the delivery. A handler that
 * throws is retried twice, then the event goes to the function's on-failure queue. (A rule invokes
 * the function with one event at a time: there is no batch to split.)
 */

import { OrderCreated } from '../models/events';
import { object, parseEvent, text, timestamp } from '../models/parsing';
import { z } from '../models/zod';
import { instrumented } from './instrumented';
import { logger, metrics, MetricUnit } from './observability';

/**
 * OrderCreated as EventBridge delivers it to a rule's target: the fields the service reads. Here
 * rather than in models/events.ts, which the API imports to publish, so that the API's bundle
 * does not carry it.
 */
const OrderCreatedEvent = object({
  id: text(256),
  time: timestamp,
  // Set on the events the bus's archive replays, and only on those.
  'replay-name': z.optional(text(256)),
  detail: OrderCreated,
});

export const handler = instrumented((event: unknown): void => {
  // A malformed event throws here, so that it is retried and then kept on the failure queue.
  const delivered = parseEvent(OrderCreatedEvent, event);
  const order = delivered.detail;
  logger.appendKeys({ order_id: order.order_id, event_id: delivered.id });
  logger.info('Order created', {
    user_id: order.user_id,
    amount: order.amount,
    replay: delivered['replay-name'],
  });
  if (delivered['replay-name'] !== undefined) {
    // A replay from the archive is not a new order: count it apart.
    metrics.addMetric('OrdersReplayed', MetricUnit.Count, 1);
    return;
  }
  metrics.addMetric('OrdersCreated', MetricUnit.Count, 1);
  metrics.addMetric(
    'OrderCreatedDeliveryLag',
    MetricUnit.Milliseconds,
    Date.now() - delivered.time.getTime(),
  );
});
