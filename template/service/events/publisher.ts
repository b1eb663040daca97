/**
 * Publishes the service's events to its own EventBridge bus.
 *
 * PutEvents can succeed as a call yet fail for some of its entries: the response's FailedEntryCount
 * says so. Entries that failed for a transient reason are sent again, a bounded number of times
 * with exponential backoff; an entry that still fails throws EventPublishError.
 */
import { setTimeout } from 'node:timers/promises';

import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';

import { logger } from '../handlers/observability';

// Entry errors worth another attempt. Any other (a malformed entry, a missing permission) would
// fail the same way again.
const RETRYABLE_ERRORS: ReadonlySet<string> = new Set(['InternalFailure', 'ThrottlingException']);

/** EventBridge did not take the event. */
export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';

  constructor(
    readonly detailType: string,
    readonly errorCode: string,
    readonly errorMessage: string,
  ) {
    super(`${detailType} event was not published: ${errorCode}: ${errorMessage}`);
  }
}

export interface EventPublisherOptions {
  readonly eventBusName: string;
  readonly source: string;
  readonly maxAttempts?: number;
  readonly backoffMs?: number;
  /** Waits between attempts; tests pass one that records the delays instead. */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Puts events on the service's bus, as the service's source.
 *
 * The stack tells every function it grants publishing to the bus and source (EVENT_BUS_NAME and
 * EVENT_SOURCE); a handler passes them on from its settings. Create the client and the publisher
 * once per execution environment, at module scope:
 *
 *     const publisher = new EventPublisher(new EventBridgeClient(), {
 *       eventBusName: settings.eventBusName,
 *       source: settings.eventSource,
 *     });
 *
 * A failed call (the bus unreachable, say) throws the SDK's error once the client's own retries
 * are spent.
 */
export class EventPublisher {
  readonly eventBusName: string;
  readonly source: string;
  readonly #client: EventBridgeClient;
  readonly #maxAttempts: number;
  readonly #backoffMs: number;
  readonly #sleep: (ms: number) => Promise<unknown>;

  constructor(client: EventBridgeClient, options: EventPublisherOptions) {
    const { maxAttempts = 3, backoffMs = 100, sleep = setTimeout } = options;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError('maxAttempts must be a whole number, at least 1');
    }
    this.#client = client;
    this.eventBusName = options.eventBusName;
    this.source = options.source;
    this.#maxAttempts = maxAttempts;
    this.#backoffMs = backoffMs;
    this.#sleep = sleep;
  }

  /**
   * Publish one event and return its id. `detail` must be serializable by JSON.stringify.
   *
   * `traceHeader` is the X-Ray trace header of the work the event comes from: X-Ray then links
   * the event's consumers to that trace.
   */
  async publish(
    detailType: string,
    detail: object,
    { traceHeader }: { traceHeader?: string | undefined } = {},
  ): Promise<string> {
    const entry: PutEventsRequestEntry = {
      EventBusName: this.eventBusName,
      Source: this.source,
      DetailType: detailType,
      Detail: JSON.stringify(detail),
      ...(traceHeader && { TraceHeader: traceHeader }),
    };
    for (let attempt = 1; ; attempt++) {
      const response = await this.#client.send(new PutEventsCommand({ Entries: [entry] }));
      const result = response.Entries?.[0];
      if (response.FailedEntryCount === 0 && result?.EventId !== undefined) {
        return result.EventId;
      }
      const errorCode = result?.ErrorCode ?? 'Unknown';
      const errorMessage = result?.ErrorMessage ?? '';
      if (!RETRYABLE_ERRORS.has(errorCode) || attempt === this.#maxAttempts) {
        throw new EventPublishError(detailType, errorCode, errorMessage);
      }
      logger.warn('EventBridge did not take the event; retrying', {
        detail_type: detailType,
        error_code: errorCode,
        attempt,
      });
      await this.#sleep(this.#backoffMs * 2 ** (attempt - 1));
    }
  }
}
