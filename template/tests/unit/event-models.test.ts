/** The OrderCreated detail: its wire format, the details it refuses, and its schema in the registry. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import { EVENT_SOURCE } from '../../infra/contract';
import {
  Metadata,
  ORDER_CREATED,
  OrderCreated,
  type OrderCreatedDetail,
  orderCreatedDetail,
} from '../../service/models/events';
import { InvalidEventError, parseEvent } from '../../service/models/parsing';

const SCHEMA = path.join(__dirname, '..', '..', 'schemas', 'OrderCreated.json');

function detail(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { event_id: 'e-1', correlation_id: 'request-1' },
    order_id: 'o-1',
    user_id: 'u-1',
    currency: 'USD',
    total_cents: 1999,
    item_count: 2,
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

test('detail is JSON with whole-number amounts, its metadata and an ISO timestamp', () => {
  const event = fromDetail(detail());

  expect(event.metadata).toEqual({
    event_id: 'e-1',
    correlation_id: 'request-1',
  });
  expect([event.total_cents, event.item_count]).toEqual([1999, 2]);
  expect(event.created_at).toEqual(new Date(Date.UTC(2026, 10, 27, 5)));
  expect(orderCreatedDetail(event)).toEqual(detail());
});

test('detail round trips exactly through JSON', () => {
  const event: OrderCreated = {
    metadata: { event_id: 'e-1', correlation_id: 'request-1' },
    order_id: 'o-1',
    user_id: 'u-1',
    currency: 'EUR',
    total_cents: 0,
    item_count: 1,
    created_at: new Date(Date.UTC(2026, 10, 27, 5, 0, 0, 123)),
  };

  const wire = JSON.parse(JSON.stringify(orderCreatedDetail(event))) as OrderCreatedDetail;

  expect(fromDetail(wire)).toEqual(event);
});

test.each([
  ['negative total', { total_cents: -1 }, 'total_cents: expected at least 0'],
  ['fraction of a cent', { total_cents: 19.99 }, 'total_cents: expected a whole number'],
  ['total as text', { total_cents: '1999' }, 'total_cents: unexpected string'],
  ['no items', { item_count: 0 }, 'item_count: expected at least 1'],
  ['item count as a boolean', { item_count: true }, 'item_count: unexpected boolean'],
  [
    'lower-case currency',
    { currency: 'usd' },
    'currency: expected an ISO 4217 code: 3 capital letters',
  ],
  ['empty order id', { order_id: '' }, 'order_id: expected 1 to 64 characters'],
  ['null user id', { user_id: null }, 'user_id: unexpected null'],
  ['no metadata', { metadata: undefined }, 'metadata: missing'],
  [
    'empty event id',
    { metadata: { event_id: '', correlation_id: 'request-1' } },
    'metadata.event_id: expected 1 to 128 characters',
  ],
  ['no correlation id', { metadata: { event_id: 'e-1' } }, 'metadata.correlation_id: missing'],
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

test('an event no consumer would take is not turned into a detail', () => {
  const event = { ...fromDetail(detail()), total_cents: 0.5 };

  expectRefusal(() => orderCreatedDetail(event), 'total_cents: expected a whole number');
});

test('registered schema describes the detail', () => {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as {
    properties: Record<string, { enum: string[] }>;
    definitions: {
      OrderCreated: {
        properties: Record<string, { maxLength?: number }>;
        required: string[];
      };
      Metadata: { properties: Record<string, unknown>; required: string[] };
    };
  };
  const registered = schema.definitions.OrderCreated;

  expect(schema.properties['source']?.enum).toEqual([EVENT_SOURCE]);
  expect(schema.properties['detail-type']?.enum).toEqual([ORDER_CREATED]);
  expect(Object.keys(registered.properties).sort()).toEqual(
    Object.keys(OrderCreated.def.shape).sort(),
  );
  expect([...registered.required].sort()).toEqual(Object.keys(detail()).sort());
  expect(Object.keys(schema.definitions.Metadata.properties).sort()).toEqual(
    Object.keys(Metadata.def.shape).sort(),
  );
  expect([...schema.definitions.Metadata.required].sort()).toEqual(['correlation_id', 'event_id']);
  expect(registered.properties['order_id']?.maxLength).toBe(64);
  expect(registered.properties['user_id']?.maxLength).toBe(128);
});
