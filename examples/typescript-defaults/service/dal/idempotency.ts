/**
 * Powertools idempotency records, kept in the service's table.
 *
 * Each record is an item with PK = IDEMPOTENCY and SK = <function>#<hash of the idempotency key>,
 * whose `ttl` is its expiry: DynamoDB deletes it once it has expired. All records share one
 * partition, good for about 500 idempotent requests a second (each writes twice); a service that
 * needs more gives them a table of their own.
 */
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export function idempotencyStore(
  client: DynamoDBClient,
  tableName: string,
): DynamoDBPersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName,
    keyAttr: 'PK',
    sortKeyAttr: 'SK',
    staticPkValue: 'IDEMPOTENCY',
    expiryAttr: 'ttl',
    awsSdkV3Client: client,
  });
}
