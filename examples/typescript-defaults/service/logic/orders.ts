/** Orders: numbered by time, totalled from their lines, stored with their items in one go. */
import type { NewOrder, Order, OrderItem, Origin } from '../models/orders';
import { newId } from './ids';

export interface OrderStore {
  createOrder(order: Order, items: readonly OrderItem[], origin: Origin): Promise<void>;
}

/**
 * Store the order and its items, counting it on the user's profile; the order is `placed` until
 * its processing confirms it.
 *
 * Rejects with UserNotFoundError when the user has no profile: no order is stored then.
 */
export async function placeOrder(
  store: OrderStore,
  userId: string,
  newOrder: NewOrder,
  origin: Origin,
  now: Date = new Date(),
): Promise<Order> {
  const order: Order = {
    order_id: newId(now),
    user_id: userId,
    currency: newOrder.currency,
    total_cents: newOrder.items.reduce(
      (total, line) => total + line.quantity * line.unit_price_cents,
      0,
    ),
    item_count: newOrder.items.length,
    created_at: now.toISOString(),
    status: 'placed',
  };
  const items = newOrder.items.map((line, index) => ({ ...line, line: index + 1 }));
  await store.createOrder(order, items, origin);
  return order;
}
