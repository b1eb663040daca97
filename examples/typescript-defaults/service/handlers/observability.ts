/**
 * The function's Powertools logger, tracer and metrics: one of each per execution environment.
 *
 * Powertools for TypeScript keeps state per instance (the metrics waiting to be flushed, the
 * keys added to every log line), so the handler and the code it calls share these instances
 * rather than create their own. Each reads its settings from POWERTOOLS_* variables.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export const logger = new Logger();
export const tracer = new Tracer();
export const metrics = new Metrics();
