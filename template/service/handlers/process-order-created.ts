/**
 * Processes the OrderCreated events of the service's bus.
 *
 * EventBridge delivers an event at least once, and the archive can replay it: processing it again
 * must change nothing more than processing it once. Key any effect added here by the order id
 * (a conditional write, or Powertools' idempotency utility), never by the delivery. A handler that
 * throws is retried twice, then the event goes to the function's on-failure queue. (A rule invokes
 * the function with one event at a time: there is no batch to split.)
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';

import { OrderCreatedEvent } from '../models/events';
import { parseEvent } from '../models/parsing';
import { instrumented } from './instrumented';
import { logger, metrics } from './observability';

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
