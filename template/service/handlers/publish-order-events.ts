/**
 * Puts each new order's OrderCreated event on the bus: the relay of the table's outbox.
 *
 * The order's transaction writes the order item, and with it the event, durably: the item is the
 * outbox record. The table's stream delivers each new order item here, at least once and in the
 * order written (its event source keeps only the inserts of orders). Each record becomes one
 * event, whose id is the stream record's id, the same in every delivery: consumers do each effect
 * once per event id. A record whose event the bus did not take is reported as failed, and Lambda
 * delivers it again; one that still fails after its retries, or a day on, waits in the
 * OrderEventsUnpublished queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

import { newOrderEvent } from '../dal/outbox';
import { EventPublisher } from '../events/publisher';
import { ORDER_CREATED, orderCreatedDetail } from '../models/events';
import { publisherSettings } from '../settings';
import { instrumented } from './instrumented';
import { logger, metrics, MetricUnit, tracer } from './observability';

const settings = publisherSettings();
export const publisher = new EventPublisher(tracer.captureAWSv3Client(new EventBridgeClient()), {
  eventBusName: settings.eventBusName,
  source: settings.eventSource,
});
const processor = new BatchProcessor(EventType.DynamoDBStreams);

async function publishOrderCreated(record: DynamoDBRecord): Promise<void> {
  // The keys of the record before must not stick to this one's log lines.
  logger.resetKeys();
  try {
    const pending = newOrderEvent(record);
    if (pending === undefined) {
      // The event source passes new orders only; anything else is not for the bus.
      logger.warn('Not a new order; skipped', { event_id: record.eventID });
      return;
    }
    const { event, traceHeader } = pending;
    // Logged under the correlation id of the request that placed the order.
    logger.setCorrelationId(event.metadata.correlation_id);
    logger.appendKeys({ order_id: event.order_id, event_id: event.metadata.event_id });
    await publisher.publish(ORDER_CREATED, orderCreatedDetail(event), { traceHeader });
  } catch (error) {
    logger.error('OrderCreated was not published; the record will be delivered again', {
      error,
    });
    metrics.addMetric('OrderEventsNotPublished', MetricUnit.Count, 1);
    throw error;
  }
  logger.info('OrderCreated published');
  metrics.addMetric('OrderEventsPublished', MetricUnit.Count, 1);
}

export const handler = instrumented((event: DynamoDBStreamEvent, context) =>
  processPartialResponse(event, publishOrderCreated, processor, {
    context,
    // In the stream's order, one record at a time: each logs under its own correlation id.
    processInParallel: false,
    // A batch that failed whole is reported record by record too, as any other.
    throwOnFullBatchFailure: false,
  }),
);
