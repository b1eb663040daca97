/**
 * The service's data: one DynamoDB table that holds every entity (single-table design).
 *
 * The keys are generic (PK/SK, GSI1PK/GSI1SK, GSI2PK/GSI2SK) so that the access patterns, listed
 * in the data-access layer (service/dal/) and the README, decide what goes in them, not the entity
 * names. GSI2 holds the orders by the day they were created, for the daily report.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

import { EnvironmentVariables } from '../../service/settings';
import { acknowledge } from '../compliance';
import {
  GSI1,
  GSI1_PARTITION_KEY,
  GSI1_SORT_KEY,
  GSI2,
  GSI2_PARTITION_KEY,
  GSI2_SORT_KEY,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from '../contract';
import type { EnvironmentSettings } from '../settings';
import type { Monitoring } from './monitoring';

// What the service's code does with the table: the data-access layer's reads, writes and
// transactions (authorized item by item as PutItem and UpdateItem), and Powertools idempotency
// records (GetItem, PutItem, UpdateItem, DeleteItem). No Scan, no batch operations.
const DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];
// The operations the table's alarms watch: those the service calls.
const OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

function string(name: string): dynamodb.Attribute {
  return { name, type: dynamodb.AttributeType.STRING };
}

export interface DataProps {
  readonly settings: EnvironmentSettings;
  readonly monitoring: Monitoring;
}

export class Data extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, { settings, monitoring }: DataProps) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: string(PARTITION_KEY),
      sortKey: string(SORT_KEY),
      // Indexes inherit the table's billing, and with provisioned capacity its auto-scaling.
      globalSecondaryIndexes: [
        {
          indexName: GSI1,
          partitionKey: string(GSI1_PARTITION_KEY),
          sortKey: string(GSI1_SORT_KEY),
        },
        {
          indexName: GSI2,
          partitionKey: string(GSI2_PARTITION_KEY),
          sortKey: string(GSI2_SORT_KEY),
        },
      ],
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // Spiky or unknown traffic: pay per request, no capacity to manage.
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: {
        pointInTimeRecoveryEnabled: settings.pointInTimeRecovery,
      },
      deletionProtection: settings.deletionProtection,
      removalPolicy: settings.removalPolicy,
    });
    if (!settings.pointInTimeRecovery) {
      acknowledge(
        this.table,
        'AwsSolutions-DDB3',
        `Point-in-time recovery is off in ${settings.name} only: its table holds disposable ` +
          'test data, deleted with the stack. Environments with data worth restoring turn it ' +
          'on in infra/settings.ts.',
      );
    }
    this.alarmOnThrottlesAndSystemErrors(settings, monitoring);
  }

  /**
   * Lets the function read and write items (never Scan), and tells it the table's name.
   *
   * The grant is to the function's role, shared by every caller of the function, so it covers
   * the whole table. Per-user isolation with the dynamodb:LeadingKeys condition key applies when
   * callers get their own credentials (e.g. from a Cognito identity pool), not to this role.
   */
  grantReadWrite(fn: lambda.Function): void {
    // Named resources rather than the table grants' index/* wildcard: the API queries GSI1 only.
    iam.Grant.addToPrincipal({
      grantee: fn,
      actions: DATA_ACTIONS,
      resourceArns: [this.table.tableArn],
    });
    iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['dynamodb:Query'],
      resourceArns: [`${this.table.tableArn}/index/${GSI1}`],
    });
    fn.addEnvironment(EnvironmentVariables.TABLE_NAME, this.table.tableName);
  }

  private alarmOnThrottlesAndSystemErrors(
    settings: EnvironmentSettings,
    monitoring: Monitoring,
  ): void {
    const period = Duration.minutes(5);
    monitoring.notifyOn(
      new cloudwatch.Alarm(this, 'Throttles', {
        metric: this.table.metricThrottledRequestsForOperations({
          operations: OPERATIONS,
          period,
        }),
        alarmDescription: `${this.table.node.path} throttled requests`,
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'SystemErrors', {
        metric: this.table.metricSystemErrorsForOperations({ operations: OPERATIONS, period }),
        alarmDescription: `DynamoDB returned server errors to ${this.table.node.path}`,
        threshold: settings.alarmErrorThreshold,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
