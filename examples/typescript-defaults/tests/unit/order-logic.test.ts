/** Order and user rules, with an in-memory store: ids, totals, numbering, timestamps. */
import { MonotonicUlids } from '../../service/logic/ids';
import { placeOrder, type OrderStore } from '../../service/logic/orders';
import { registerUser, type UserStore } from '../../service/logic/users';
import type { NewOrder, Order, OrderItem, Origin } from '../../service/models/orders';
import type { User } from '../../service/models/users';

const NOW = new Date('2026-11-27T12:00:00Z');
const ORIGIN: Origin = {
  correlationId: 'request-1',
  traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793',
};
const CROCKFORD = /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]+$/;

class MemoryStore implements OrderStore, UserStore {
  readonly users: User[] = [];
  readonly orders: [Order, OrderItem[], Origin][] = [];

  createUser(user: User): Promise<void> {
    this.users.push(user);
    return Promise.resolve();
  }

  createOrder(order: Order, items: readonly OrderItem[], origin: Origin): Promise<void> {
    this.orders.push([order, [...items], origin]);
    return Promise.resolve();
  }
}

test('ids are 26 Crockford characters', () => {
  const orderId = new MonotonicUlids().next(NOW);
  expect(orderId).toHaveLength(26);
  expect(orderId).toMatch(CROCKFORD);
});

test('ids sort by creation time', () => {
  const ulids = new MonotonicUlids();
  const earlier = ulids.next(NOW);
  const later = ulids.next(new Date(NOW.getTime() + 1));
  expect(earlier < later).toBe(true);
  // The first 10 characters encode the time.
  expect(earlier.slice(0, 10) < later.slice(0, 10)).toBe(true);
});

test('ids created within one millisecond still increase', () => {
  const ulids = new MonotonicUlids();
  const ids = Array.from({ length: 100 }, () => ulids.next(NOW));
  expect(ids).toEqual([...new Set(ids)].sort());
});

test('the order total is the sum of its lines', async () => {
  const newOrder: NewOrder = {
    currency: 'USD',
    items: [
      { sku: 'BOOK-1', quantity: 2, unit_price_cents: 1250 },
      { sku: 'PEN-7', quantity: 3, unit_price_cents: 199 },
    ],
  };
  const order = await placeOrder(new MemoryStore(), 'alice', newOrder, ORIGIN, NOW);
  expect([order.total_cents, order.item_count, order.currency]).toEqual([3097, 2, 'USD']);
});

test('order items are numbered in the order sent and stored with the order', async () => {
  const store = new MemoryStore();
  const newOrder: NewOrder = {
    currency: 'USD',
    items: [
      { sku: 'BOOK-1', quantity: 1, unit_price_cents: 1250 },
      { sku: 'PEN-7', quantity: 1, unit_price_cents: 199 },
    ],
  };
  const order = await placeOrder(store, 'alice', newOrder, ORIGIN, NOW);
  expect(store.orders).toHaveLength(1);
  const [[stored, items, origin] = []] = store.orders;
  expect(stored).toEqual(order);
  expect(origin).toEqual(ORIGIN);
  expect(items?.map((item) => [item.line, item.sku])).toEqual([
    [1, 'BOOK-1'],
    [2, 'PEN-7'],
  ]);
});

test('a new order is placed, at the time given', async () => {
  const newOrder: NewOrder = {
    currency: 'EUR',
    items: [{ sku: 'BOOK-1', quantity: 1, unit_price_cents: 1250 }],
  };
  const order = await placeOrder(new MemoryStore(), 'alice', newOrder, ORIGIN, NOW);
  expect([order.status, order.created_at, order.user_id]).toEqual([
    'placed',
    NOW.toISOString(),
    'alice',
  ]);
});

test('a new user starts with no orders and its creation time', async () => {
  const store = new MemoryStore();
  const user = await registerUser(
    store,
    'alice',
    { email: 'alice@example.com', name: 'Alice' },
    NOW,
  );
  expect([user.order_count, user.created_at]).toEqual([0, NOW.toISOString()]);
  expect(store.users).toEqual([user]);
});
