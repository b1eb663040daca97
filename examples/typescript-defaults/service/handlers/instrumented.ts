/**
 * A handler with Powertools around each invocation, as its Middy middlewares or class decorators
 * would put it: the Lambda context on every log line, the cold-start metric, a traced
 * `## <handler>` subsegment annotated with the cold start and the service, and the invocation's
 * metrics flushed when it ends, whether it returns or throws.
 *
 * Every handler of the service is wrapped in it: Powertools' decorators need TypeScript's legacy
 * `experimentalDecorators`, and its middlewares need Middy, which each function would then bundle.
 */
import type { Context } from 'aws-lambda';

import { logger, metrics, tracer } from './observability';

export const instrumented =
  <Event, Result>(handle: (event: Event, context: Context) => Result | Promise<Result>) =>
  async (event: Event, context: Context): Promise<Result> => {
    // Lambda names the handler it runs (`<file>.<export>`); Powertools names its subsegment after it.
    const name = process.env['_HANDLER'] ?? 'handler';
    logger.refreshSampleRateCalculation();
    logger.addContext(context);
    metrics.captureColdStartMetric(context.functionName);
    const lambdaSegment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const handlerSegment = lambdaSegment?.addNewSubsegment(`## ${name}`);
    if (handlerSegment) {
      tracer.setSegment(handlerSegment);
      tracer.annotateColdStart();
      tracer.addServiceNameAnnotation();
    }
    try {
      const result = await handle(event, context);
      tracer.addResponseAsMetadata(result, name);
      return result;
    } catch (error) {
      if (error instanceof Error) {
        tracer.addErrorAsMetadata(error);
      }
      throw error;
    } finally {
      handlerSegment?.close();
      if (lambdaSegment) {
        tracer.setSegment(lambdaSegment);
      }
      // Only when the handler counted something: an empty flush warns on every invocation.
      if (metrics.hasStoredMetrics()) {
        metrics.publishStoredMetrics();
      }
      // Keys appended during the invocation (an order id, say) must not stick to the next one.
      logger.resetKeys();
    }
  };
