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
import type { Order, OrderItem, OrderPage } from '../models/orders';
import type { User } from '../models/users';

const GSI1 = 'GSI1';
const PROFILE = 'PROFILE';
const USER = 'USER#';
const ORDER = 'ORDER#';
const ITEM = 'ITEM#';

type Item = Record<string, unknown>;

function userKey(userId: string): Item {
  return { PK: USER + userId, SK: PROFILE };
}

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
          Item: {
            ...userKey(user.user_id),
            type: 'User',
            userId: user.user_id,
            email: user.email,
            name: user.name,
            createdAt: user.created_at,
            orderCount: user.order_count,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
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
    return {
      email: item['email'] as string,
      name: item['name'] as string,
      user_id: item['userId'] as string,
      created_at: item['createdAt'] as string,
      order_count: item['orderCount'] as number,
    };
  }

  // -- orders ----------------------------------------------------------------------------------

  /**
   * Store the order and its items and count it on the user's profile, all or nothing.
   *
   * UserNotFoundError if the user has no profile, OrderAlreadyExistsError if the order id is
   * taken, ConcurrentUpdateError if another transaction touched the same items meanwhile.
   */
  async createOrder(order: Order, items: readonly OrderItem[]): Promise<void> {
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
            {
              Put: {
                TableName: this.table,
                Item: orderItem(order),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            ...items.map((item) => ({
              Put: {
                TableName: this.table,
                Item: orderLineItem(order.order_id, item),
                ConditionExpression: 'attribute_not_exists(PK)',
              },
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
        TableName: this.table,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': USER + userId, ':prefix': ORDER },
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
    const query: QueryCommandInput = {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': ORDER + orderId, ':prefix': ITEM },
    };
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
}

function orderItem(order: Order): Item {
  return {
    PK: USER + order.user_id,
    SK: ORDER + order.order_id,
    GSI1PK: ORDER + order.order_id,
    GSI1SK: ORDER + order.order_id,
    type: 'Order',
    orderId: order.order_id,
    userId: order.user_id,
    currency: order.currency,
    totalCents: order.total_cents,
    itemCount: order.item_count,
    createdAt: order.created_at,
  };
}

function toOrder(item: Item): Order {
  return {
    order_id: item['orderId'] as string,
    user_id: item['userId'] as string,
    currency: item['currency'] as string,
    total_cents: item['totalCents'] as number,
    item_count: item['itemCount'] as number,
    created_at: item['createdAt'] as string,
  };
}

function orderLineItem(orderId: string, item: OrderItem): Item {
  return {
    PK: ORDER + orderId,
    SK: ITEM + String(item.line).padStart(3, '0'),
    type: 'OrderItem',
    line: item.line,
    sku: item.sku,
    quantity: item.quantity,
    unitPriceCents: item.unit_price_cents,
  };
}

function toOrderLine(item: Item): OrderItem {
  return {
    line: item['line'] as number,
    sku: item['sku'] as string,
    quantity: item['quantity'] as number,
    unit_price_cents: item['unitPriceCents'] as number,
  };
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
