/**
 * The routes' settings, AWS clients and data access, created once per execution environment:
 * at import, outside the handler, so that every request of a warm function reuses them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { Repository } from '../../dal/repository';
import { apiSettings } from '../../settings';
import { tracer } from '../observability';

export const settings = apiSettings();

// A request has a few seconds in all: short timeouts, and three attempts at most per call.
const AWS_CONFIG = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 3_000 },
};

export const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient(AWS_CONFIG));
export const repository = new Repository(DynamoDBDocumentClient.from(dynamodb), settings.tableName);
