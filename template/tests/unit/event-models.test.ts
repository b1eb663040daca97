/** The OrderCreated detail: its wire format, the details it refuses, and its schema in the registry. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { EVENT_SOURCE } from '../../infra/settings';
import {
  ORDER_CREATED,
  OrderCreated,
  type OrderCreatedDetail,
  orderCreatedDetail,
} from '../../service/models/events';
import { InvalidEventError, parseEvent } from '../../service/models/parsing';

const SCHEMA = path.join(__dirname, '..', '..', 'schemas', 'OrderCreated.json');

function detail(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_id: 'o-1',
    user_id: 'u-1',
    amount: 19.99,
    created_at: '2026-11-27T05:00:00Z',
    ...changes,
  };
}

const fromDetail = (value: unknown): OrderCreated => parseEvent(OrderCreated, value, 'detail');

/** Expects `parse` to throw an InvalidEventError with exactly this message. */
function expectRefusal(parse: () => unknown, message: string): void {
  expect(parse).toThrow(InvalidEventError);
  expect(parse).toThrow(new Error(message));
}

test('detail is JSON with a numeric amount and an ISO timestamp', () => {
  const order = fromDetail(detail());

  expect(order.amount).toBe(19.99);
  expect(order.created_at).toEqual(new Date(Date.UTC(2026, 10, 27, 5)));
  expect(orderCreatedDetail(order)).toEqual(detail());
});

test('detail round trips exactly through JSON', () => {
  const order: OrderCreated = {
    order_id: 'o-1',
    user_id: 'u-1',
    amount: 0.1,
    created_at: new Date(Date.UTC(2026, 10, 27)),
  };

  const wire = JSON.parse(JSON.stringify(orderCreatedDetail(order))) as OrderCreatedDetail;

  expect(fromDetail(wire)).toEqual(order);
});

test.each([
  ['negative amount', { amount: -1 }, 'amount: expected at least 0 and less than 10000000000'],
  [
    'amount of the limit',
    { amount: 1e10 },
    'amount: expected at least 0 and less than 10000000000',
  ],
  ['fraction of a cent', { amount: 1.001 }, 'amount: expected at most 2 decimal places'],
  ['amount as text', { amount: '19.99' }, 'amount: unexpected string'],
  ['amount as a boolean', { amount: true }, 'amount: unexpected boolean'],
  ['empty order id', { order_id: '' }, 'order_id: expected 1 to 64 characters'],
  ['null user id', { user_id: null }, 'user_id: unexpected null'],
  ['naive timestamp', { created_at: '2026-11-27T05:00:00' }, 'created_at: expected a time zone'],
  [
    'not a timestamp',
    { created_at: 'yesterday' },
    'created_at: expected an ISO 8601 date and time',
  ],
])('detail refuses invalid orders naming the field: %s', (_case, changes, message) => {
  expectRefusal(() => fromDetail(detail(changes)), message);
});

test('a detail missing a field is refused', () => {
  const incomplete = detail();
  delete incomplete['created_at'];

  expectRefusal(() => fromDetail(incomplete), 'created_at: missing');
});

test('a detail that is not an object is refused', () => {
  expectRefusal(() => fromDetail(['o-1']), 'detail: expected an object');
});

test('an order no consumer would take is not turned into a detail', () => {
  const order = { ...fromDetail(detail()), amount: 0.001 };

  expectRefusal(() => orderCreatedDetail(order), 'amount: expected at most 2 decimal places');
});

test('registered schema describes the detail', () => {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as {
    properties: Record<string, { enum: string[] }>;
    definitions: {
      OrderCreated: {
        properties: Record<string, { maxLength?: number }>;
        required: string[];
      };
    };
  };
  const registered = schema.definitions.OrderCreated;

  expect(schema.properties['source']?.enum).toEqual([EVENT_SOURCE]);
  expect(schema.properties['detail-type']?.enum).toEqual([ORDER_CREATED]);
  expect(Object.keys(registered.properties).sort()).toEqual(
    Object.keys(OrderCreated.def.shape).sort(),
  );
  expect([...registered.required].sort()).toEqual(Object.keys(detail()).sort());
  expect(registered.properties['order_id']?.maxLength).toBe(64);
  expect(registered.properties['user_id']?.maxLength).toBe(128);
});
