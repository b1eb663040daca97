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
import { DynamoDBStreamRecord } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

import { orderFromItem } from '../dal/repository';
import { EventPublisher } from '../events/publisher';
import { ORDER_CREATED, OrderCreated, orderCreatedDetail } from '../models/events';
import { parseEvent } from '../models/parsing';
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
    const { eventID: eventId, dynamodb: change } = parseEvent(DynamoDBStreamRecord, record);
    const { order, origin } = orderFromItem(change.NewImage ?? {});
    logger.setCorrelationId(origin.correlationId);
    logger.appendKeys({ order_id: order.order_id, event_id: eventId });
    const event = parseEvent(
      OrderCreated,
      {
        metadata: { event_id: eventId, correlation_id: origin.correlationId },
        order_id: order.order_id,
        user_id: order.user_id,
        currency: order.currency,
        total_cents: order.total_cents,
        item_count: order.item_count,
        created_at: order.created_at,
      },
      'NewImage',
    );
    await publisher.publish(ORDER_CREATED, orderCreatedDetail(event), {
      traceHeader: origin.traceHeader,
    });
  } catch (error) {
    logger.error('OrderCreated was not published; the record will be delivered again', {
      error,
    });
    metrics.addMetric('OrderCreatedNotPublished', MetricUnit.Count, 1);
    throw error;
  }
  logger.info('OrderCreated published');
  metrics.addMetric('OrderCreatedPublished', MetricUnit.Count, 1);
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
