/** Users, orders and order items in the service's table (layout: see index.ts). */
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';

import {
  ConcurrentUpdateError,
  type DomainError,
  OrderAlreadyExistsError,
  OrderNotFoundError,
  UserAlreadyExistsError,
  UserNotFoundError,
} from '../logic/errors';
import type { Order, OrderItem, OrderPage, Origin } from '../models/orders';
import type { User } from '../models/users';

const GSI1 = 'GSI1';
const GSI2 = 'GSI2';
const PROFILE = 'PROFILE';
const USER = 'USER#';
const ORDER = 'ORDER#';
const ITEM = 'ITEM#';
const DAY = 'DAY#';

type Item = Record<string, unknown>;

/** Each field of an entity, with the attribute that holds it in the entity's items. */
type Attributes<Entity> = { readonly [Field in keyof Entity]-?: string };

const USER_ATTRIBUTES: Attributes<User> = {
  email: 'email',
  name: 'name',
  user_id: 'userId',
  created_at: 'createdAt',
  order_count: 'orderCount',
};
const ORDER_ATTRIBUTES: Attributes<Order> = {
  order_id: 'orderId',
  user_id: 'userId',
  currency: 'currency',
  total_cents: 'totalCents',
  item_count: 'itemCount',
  created_at: 'createdAt',
  status: 'status',
};
const ORDER_ITEM_ATTRIBUTES: Attributes<OrderItem> = {
  line: 'line',
  sku: 'sku',
  quantity: 'quantity',
  unit_price_cents: 'unitPriceCents',
};

/** The entity's fields as the attributes of its item. */
function toAttributes<Entity>(entity: Entity, attributes: Attributes<Entity>): Item {
  return Object.fromEntries(
    Object.entries<string>(attributes).map(([field, name]) => [
      name,
      entity[field as keyof Entity],
    ]),
  );
}

/** The entity an item holds, read attribute by attribute. */
function fromAttributes<Entity>(item: Item, attributes: Attributes<Entity>): Entity {
  return Object.fromEntries(
    Object.entries<string>(attributes).map(([field, name]) => [field, item[name]]),
  ) as Entity;
}

function userKey(userId: string): Item {
  return { PK: USER + userId, SK: PROFILE };
}

// Every new item is written only if its key is free.
const IF_NEW = 'attribute_not_exists(PK)';

/** Reads and writes the service's entities; throws the domain's errors, not DynamoDB's. */
export class Repository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  // -- users -----------------------------------------------------------------------------------

  /** Store a new profile; UserAlreadyExistsError if the user id is taken. */
  async createUser(user: User): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...userKey(user.user_id), type: 'User', ...toAttributes(user, USER_ATTRIBUTES) },
          ConditionExpression: IF_NEW,
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new UserAlreadyExistsError(user.user_id);
      }
      throw error;
    }
  }

  async getUser(userId: string): Promise<User> {
    const { Item: item } = await this.client.send(
      new GetCommand({ TableName: this.table, Key: userKey(userId) }),
    );
    if (item === undefined) {
      throw new UserNotFoundError(userId);
    }
    return fromAttributes(item, USER_ATTRIBUTES);
  }

  // -- orders ----------------------------------------------------------------------------------

  /**
   * Store the order and its items and count it on the user's profile, all or nothing.
   *
   * UserNotFoundError if the user has no profile, OrderAlreadyExistsError if the order id is
   * taken, ConcurrentUpdateError if another transaction touched the same items meanwhile.
   */
  async createOrder(order: Order, items: readonly OrderItem[], origin: Origin): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: userKey(order.user_id),
                UpdateExpression: 'ADD orderCount :one',
                ConditionExpression: 'attribute_exists(PK)',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            ...[
              orderItem(order, origin),
              ...items.map((item) => orderLineItem(order.order_id, item)),
            ].map((item) => ({
              Put: { TableName: this.table, Item: item, ConditionExpression: IF_NEW },
            })),
          ],
        }),
      );
    } catch (error) {
      const domainError = cancellationError(error, order);
      throw domainError ?? error;
    }
  }

  /** A page of the user's orders, newest first, starting after the order id `after`. */
  async listOrders(
    userId: string,
    { limit, after }: { limit: number; after?: string | undefined },
  ): Promise<OrderPage> {
    const response = await this.client.send(
      new QueryCommand({
        ...this.#children(USER + userId, ORDER),
        ScanIndexForward: false,
        Limit: limit,
        ...(after && { ExclusiveStartKey: { PK: USER + userId, SK: ORDER + after } }),
      }),
    );
    const last = response.LastEvaluatedKey?.['SK'] as string | undefined;
    return {
      orders: (response.Items ?? []).map(toOrder),
      next_token: last === undefined ? null : last.slice(ORDER.length),
    };
  }

  async getOrder(orderId: string): Promise<Order> {
    // GSI1 is eventually consistent: an order placed a moment ago may not be found yet.
    const { Items: items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': ORDER + orderId },
        Limit: 1,
      }),
    );
    const [item] = items;
    if (item === undefined) {
      throw new OrderNotFoundError(orderId);
    }
    return toOrder(item);
  }

  async listOrderItems(orderId: string): Promise<OrderItem[]> {
    const query = this.#children(ORDER + orderId, ITEM);
    const items: OrderItem[] = [];
    do {
      const response = await this.client.send(new QueryCommand(query));
      items.push(...(response.Items ?? []).map(toOrderLine));
      query.ExclusiveStartKey = response.LastEvaluatedKey;
    } while (query.ExclusiveStartKey !== undefined);
    if (items.length === 0) {
      throw new OrderNotFoundError(orderId);
    }
    return items;
  }

  /**
   * Move the order from `placed` to `confirmed`: true if this call did, false if it was already
   * confirmed (nothing changes then). OrderNotFoundError if the user has no such order.
   */
  async confirmOrder(userId: string, orderId: string, now: Date = new Date()): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { PK: USER + userId, SK: ORDER + orderId },
          UpdateExpression: 'SET #status = :confirmed, confirmedAt = :now',
          ConditionExpression: '#status = :placed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':placed': 'placed',
            ':confirmed': 'confirmed',
            ':now': now.toISOString(),
          },
          // The item as it was when the condition failed: absent if there is no such order.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        if (error.Item === undefined) {
          throw new OrderNotFoundError(orderId);
        }
        return false;
      }
      throw error;
    }
  }

  /**
   * The orders created on the UTC day `day` (YYYY-MM-DD), oldest first, a page of at most
   * `pageSize` at a time (none for a day without orders). Like GSI1, GSI2 is eventually
   * consistent: an order placed a moment ago may be missing.
   */
  async *ordersCreatedOn(day: string, pageSize = 100): AsyncGenerator<Order[]> {
    let startKey: Item | undefined;
    do {
      const response = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: GSI2,
          KeyConditionExpression: 'GSI2PK = :day',
          ExpressionAttributeValues: { ':day': DAY + day },
          Limit: pageSize,
          ExclusiveStartKey: startKey,
        }),
      );
      const items = response.Items ?? [];
      if (items.length > 0) {
        yield items.map(toOrder);
      }
      startKey = response.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  /** A query of the items under the partition key `pk` whose sort keys start with `prefix`. */
  #children(pk: string, prefix: string): QueryCommandInput {
    return {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
    };
  }
}

function orderItem(order: Order, origin: Origin): Item {
  return {
    PK: USER + order.user_id,
    SK: ORDER + order.order_id,
    GSI1PK: ORDER + order.order_id,
    GSI1SK: ORDER + order.order_id,
    // The UTC day of created_at (ISO 8601 text, in UTC); order ids sort by creation time.
    GSI2PK: DAY + order.created_at.slice(0, 10),
    GSI2SK: ORDER + order.order_id,
    type: 'Order',
    ...toAttributes(order, ORDER_ATTRIBUTES),
    correlationId: origin.correlationId,
    ...(origin.traceHeader && { traceHeader: origin.traceHeader }),
  };
}

/**
 * The order an order item holds and the request that placed it: how the table's stream, say,
 * delivers a new order (its NewImage, unmarshalled).
 */
export function orderFromItem(item: Item): { order: Order; origin: Origin } {
  const { correlationId, traceHeader } = item as { correlationId: string; traceHeader?: string };
  return { order: toOrder(item), origin: { correlationId, traceHeader } };
}

function toOrder(item: Item): Order {
  return fromAttributes(item, ORDER_ATTRIBUTES);
}

function orderLineItem(orderId: string, item: OrderItem): Item {
  return {
    PK: ORDER + orderId,
    SK: ITEM + String(item.line).padStart(3, '0'),
    type: 'OrderItem',
    ...toAttributes(item, ORDER_ITEM_ATTRIBUTES),
  };
}

function toOrderLine(item: Item): OrderItem {
  return fromAttributes(item, ORDER_ITEM_ATTRIBUTES);
}

/**
 * The domain's reading of a cancelled order transaction, or undefined if it is not the caller's
 * doing.
 *
 * DynamoDB gives one reason per write, in the order of the writes: the user's update first, then
 * the order, then its items.
 */
function cancellationError(error: unknown, order: Order): DomainError | undefined {
  if (!(error instanceof TransactionCanceledException)) {
    return undefined;
  }
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  if (codes[0] === 'ConditionalCheckFailed') {
    return new UserNotFoundError(order.user_id);
  }
  if (codes.slice(1).includes('ConditionalCheckFailed')) {
    return new OrderAlreadyExistsError(order.order_id);
  }
  if (codes.includes('TransactionConflict')) {
    return new ConcurrentUpdateError();
  }
  return undefined;
}
