/**
 * The caller's orders: place one, idempotently; list them, newest first; read one and its items.
 *
 * An order that is not the caller's is answered as one that does not exist: 404, whether it
 * exists or not, so that no caller learns about another's orders.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { APIGatewayEventRequestContextV2 } from 'aws-lambda';

import { idempotencyStore } from '../../dal/idempotency';
import { OrderNotFoundError } from '../../logic/errors';
import { placeOrder } from '../../logic/orders';
import {
  NewOrder,
  ORDER_ID_PATTERN,
  type Order,
  type OrderItems,
  type Origin,
} from '../../models/orders';
import { text } from '../../models/text';
import { z } from '../../models/zod';
import { callerId } from '../caller';
import { HttpStatusCodes, HttpStatusError, Router } from '../http';
import { metrics, MetricUnit } from '../observability';
import { jsonBody } from '../request-body';
import { dynamodb, repository, settings } from './dependencies';

export const router = new Router();

// The parts of each request the routes read, besides bodies (models/orders.ts).
export const OrderIdPath = z.object({ order_id: z.string().check(z.regex(ORDER_ID_PATTERN)) });
export const IdempotencyKeyHeader = z.object({
  'idempotency-key': text().check(z.minLength(1), z.maxLength(128)),
});
export const PageQuery = z.object({
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,4}$/)),
      z.pipe(z.transform(Number), z.int().check(z.minimum(1), z.maximum(100))),
    ),
    20,
  ),
  next_token: z.optional(z.string().check(z.regex(ORDER_ID_PATTERN))),
});

// A retried request (same user, same Idempotency-Key) gets the first one's answer for a day; the
// same key with a different order is refused.
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[user_id, idempotency_key]',
  payloadValidationJmesPath: 'order',
  expiresAfterSeconds: 24 * 60 * 60,
});

/**
 * An order request as idempotency sees it: keyed on user and key, checked on the order. The
 * origin is the first request's: a retry gets the order that request placed.
 */
interface PlaceOrder {
  user_id: string;
  idempotency_key: string;
  order: NewOrder;
  origin: Origin;
}

const placeOrderOnce = makeIdempotent(
  async (request: PlaceOrder): Promise<Order> => {
    const order = await placeOrder(repository, request.user_id, request.order, request.origin);
    metrics.addMetric('OrderCreated', MetricUnit.Count, 1);
    return order;
  },
  { persistenceStore: idempotencyStore(dynamodb, settings.tableName), config: idempotency },
);

router.post(
  '/me/orders',
  [jsonBody],
  async ({ event, context, valid }) => {
    const userId = callerId(event);
    // An HTTP API's request (api.ts): its id is every log line's correlation id.
    const { requestId } = event.requestContext as APIGatewayEventRequestContextV2;
    idempotency.registerLambdaContext(context);
    try {
      const placed = await placeOrderOnce({
        user_id: userId,
        idempotency_key: valid.req.headers['idempotency-key'],
        order: valid.req.body,
        // Stored with the order, the request's correlation id and X-Ray trace header lead from
        // what the order sets off back to this request.
        origin: {
          correlationId: requestId,
          traceHeader: process.env['_X_AMZN_TRACE_ID'],
        },
      });
      return Response.json(placed, { status: HttpStatusCodes.CREATED });
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new HttpStatusError(
          HttpStatusCodes.CONFLICT,
          'a request with this Idempotency-Key is still in progress',
        );
      }
      if (error instanceof IdempotencyValidationError) {
        throw new HttpStatusError(
          HttpStatusCodes.UNPROCESSABLE_ENTITY,
          'this Idempotency-Key was already used for a different order',
        );
      }
      throw error;
    }
  },
  { validation: { req: { body: NewOrder, headers: IdempotencyKeyHeader } } },
);

router.get(
  '/me/orders',
  async ({ event, valid }) => {
    const { limit, next_token: after } = valid.req.query;
    return Response.json(await repository.listOrders(callerId(event), { limit, after }));
  },
  { validation: { req: { query: PageQuery } } },
);

router.get(
  '/me/orders/:order_id',
  async ({ event, valid }) =>
    Response.json(await ownOrder(callerId(event), valid.req.path.order_id)),
  { validation: { req: { path: OrderIdPath } } },
);

router.get(
  '/me/orders/:order_id/items',
  async ({ event, valid }) => {
    const orderId = valid.req.path.order_id;
    await ownOrder(callerId(event), orderId);
    const items: OrderItems = { items: await repository.listOrderItems(orderId) };
    return Response.json(items);
  },
  { validation: { req: { path: OrderIdPath } } },
);

/** The caller's order; OrderNotFoundError for another user's, as for one that does not exist. */
async function ownOrder(userId: string, orderId: string): Promise<Order> {
  const order = await repository.getOrder(orderId);
  if (order.user_id !== userId) {
    throw new OrderNotFoundError(orderId);
  }
  return order;
}
