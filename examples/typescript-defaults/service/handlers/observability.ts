/**
 * The function's Powertools logger, tracer and metrics: one of each per execution environment,
 * and the units metrics are counted in.
 *
 * Powertools for TypeScript keeps state per instance (the metrics waiting to be flushed, the
 * keys added to every log line), so the handler and the code it calls share these instances
 * rather than create their own. Each reads its settings from POWERTOOLS_* variables.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();
export { MetricUnit };
