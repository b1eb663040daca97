/** The context Lambda passes to a handler, as the tests pass it. */
import type { Context } from 'aws-lambda';

export function lambdaContext(functionName = 'orders-service-handler'): Context {
  // Without the deprecated callbacks (done, fail, succeed): handlers return promises.
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/27/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 6_000,
  } as Context;
}
