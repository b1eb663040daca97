/**
 * Every operation of the API: its route, the zod schemas the route validates its request with,
 * and what it answers. scripts/openapi.ts writes openapi.json from this table, and the
 * property tests draw requests from it; tests/unit/openapi.test.ts checks that each operation is
 * a route of the API's router. A new route joins this table.
 *
 * The API's function never imports this module: its bundle carries only what routing needs.
 */
import * as z from 'zod/mini';

import type {
  Order as OrderType,
  OrderItems as OrderItemsType,
  OrderPage as OrderPageType,
} from '../models/orders';
import { NewOrder, OrderLine } from '../models/orders';
import type { User as UserType } from '../models/users';
import { NewUser } from '../models/users';
import { IdempotencyKeyHeader, OrderIdPath, PageQuery } from './routes/orders';

type Schema = z.ZodMiniType;

export interface Operation {
  method: 'GET' | 'POST';
  /** The path as OpenAPI writes it: `{name}` for a path parameter. */
  path: `/${string}`;
  parameters?: { path?: Schema; query?: Schema; header?: Schema };
  body?: Schema;
  /** The status of a successful answer, and the schema of its body. */
  status: number;
  response: Schema;
}

// The bodies the API answers with. `satisfies` makes tsc check each against the type its route
// returns: a field the type has and the schema lacks does not compile.
const Health = z.record(z.string(), z.string()) satisfies z.ZodMiniType<Record<string, string>>;
const Order = z.strictObject({
  order_id: z.string(),
  user_id: z.string(),
  currency: z.string(),
  total_cents: z.int(),
  item_count: z.int(),
  created_at: z.string(),
  status: z.enum(['placed', 'confirmed']),
}) satisfies z.ZodMiniType<OrderType>;
const OrderItem = z.strictObject({ ...OrderLine.shape, line: z.int() });
const OrderItems = z.strictObject({
  items: z.array(OrderItem),
}) satisfies z.ZodMiniType<OrderItemsType>;
const OrderPage = z.strictObject({
  orders: z.array(Order),
  next_token: z.nullable(z.string()),
}) satisfies z.ZodMiniType<OrderPageType>;
const User = z.strictObject({
  ...NewUser.shape,
  user_id: z.string(),
  created_at: z.string(),
  order_count: z.int(),
}) satisfies z.ZodMiniType<UserType>;
/** One problem of an invalid request: where (`loc`, from the part of the request in) and what. */
const ValidationError = z.strictObject({
  loc: z.array(z.union([z.string(), z.int()])),
  msg: z.string(),
});
/** The body of a 422: the API's error shape, with the problems of the request (api.ts). */
const HTTPValidationError = z.strictObject({
  statusCode: z.int(),
  message: z.string(),
  detail: z.array(ValidationError),
});
/** The schemas openapi.json names under components.schemas (others are written in place). */
export const NAMED_SCHEMAS = new Map<Schema, string>([
  [NewOrder, 'NewOrder'],
  [OrderLine, 'OrderLine'],
  [Order, 'Order'],
  [OrderItem, 'OrderItem'],
  [OrderItems, 'OrderItems'],
  [OrderPage, 'OrderPage'],
  [NewUser, 'NewUser'],
  [User, 'User'],
  [HTTPValidationError, 'HTTPValidationError'],
  [ValidationError, 'ValidationError'],
]);

export const OPERATIONS: Operation[] = [
  { method: 'GET', path: '/health', status: 200, response: Health },
  { method: 'POST', path: '/me', body: NewUser, status: 201, response: User },
  { method: 'GET', path: '/me', status: 200, response: User },
  {
    method: 'POST',
    path: '/me/orders',
    parameters: { header: IdempotencyKeyHeader },
    body: NewOrder,
    status: 201,
    response: Order,
  },
  {
    method: 'GET',
    path: '/me/orders',
    parameters: { query: PageQuery },
    status: 200,
    response: OrderPage,
  },
  {
    method: 'GET',
    path: '/me/orders/{order_id}',
    parameters: { path: OrderIdPath },
    status: 200,
    response: Order,
  },
  {
    method: 'GET',
    path: '/me/orders/{order_id}/items',
    parameters: { path: OrderIdPath },
    status: 200,
    response: OrderItems,
  },
];

/** The operations API Gateway serves without a token (infra/constructs/api.ts). */
export const PUBLIC_OPERATIONS = new Set(['GET /health']);
