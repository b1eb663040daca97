/**
 * What the service's code and its infrastructure agree on.
 *
 * The stacks are built with these values, and the service's tests and the scripts read them too:
 * this module imports nothing from the CDK, so that they can without loading it.
 */

// The region the stacks are deployed to, and the scripts call.
export const REGION = 'us-east-1';

// The table's keys and its indexes' (infra/constructs/data.ts); the emulator's table has the same.
export const PARTITION_KEY = 'PK';
export const SORT_KEY = 'SK';
export const GSI1 = 'GSI1';
export const GSI1_PARTITION_KEY = 'GSI1PK';
export const GSI1_SORT_KEY = 'GSI1SK';
export const GSI2 = 'GSI2';
export const GSI2_PARTITION_KEY = 'GSI2PK';
export const GSI2_SORT_KEY = 'GSI2SK';
// Items with this attribute (epoch seconds) are deleted by DynamoDB some time after it passes.
export const TTL_ATTRIBUTE = 'ttl';
