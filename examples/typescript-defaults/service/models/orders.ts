/** Orders and their items, as the service accepts and returns them. */
import { z } from './zod';

// Order ids are ULIDs: 26 characters of Crockford base32 that sort by creation time.
export const ORDER_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
// One transaction writes the order, each of its items and the user's order count; DynamoDB
// allows 100 writes in a transaction.
export const MAX_ITEMS = 50;

/**
 * One line of an order as the client sends it. Prices are integer cents.
 *
 * Numbers are strict: `true` or `"3"` is not a quantity, and `12.5` is not a price in cents.
 */
export const OrderLine = z.strictObject({
  sku: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  quantity: z.int().check(z.minimum(1), z.maximum(1000)),
  unit_price_cents: z.int().check(z.minimum(0), z.maximum(100_000_000)),
});
export type OrderLine = z.infer<typeof OrderLine>;

/** An order to place (POST /me/orders). */
export const NewOrder = z.strictObject({
  currency: z._default(z.string().check(z.regex(/^[A-Z]{3}$/)), 'USD'),
  items: z.array(OrderLine).check(z.minLength(1), z.maxLength(MAX_ITEMS)),
});
export type NewOrder = z.infer<typeof NewOrder>;

/** Placed by the API; confirmed once the service has processed its OrderCreated event. */
export type OrderStatus = 'placed' | 'confirmed';

/** A placed order, without its items. */
export interface Order {
  order_id: string;
  user_id: string;
  currency: string;
  total_cents: number;
  item_count: number;
  // ISO 8601, UTC.
  created_at: string;
  status: OrderStatus;
}

/**
 * The request an order was placed by: its correlation id (the API's request id), and its X-Ray
 * trace header when the request was traced. Stored with the order, so that what follows from it
 * (its event, the event's processing) can be followed back to the request.
 */
export interface Origin {
  correlationId: string;
  traceHeader?: string | undefined;
}

/** One stored line of an order; `line` numbers them from 1 in the order the client sent. */
export interface OrderItem extends OrderLine {
  line: number;
}

export interface OrderItems {
  items: OrderItem[];
}

/** A page of a user's orders, newest first. Pass `next_token` back for the next page. */
export interface OrderPage {
  orders: Order[];
  next_token: string | null;
}
