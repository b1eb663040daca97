/**
 * The daily report, started by EventBridge Scheduler at 06:00 UTC.
 *
 * Each run reports on the UTC day before the one it was scheduled in. The schedule passes the time
 * the run was scheduled for, so a retried or late run reports on the same day as the run it stands
 * in for. Runs that still fail go to the function's on-failure queue.
 */

import { previousUtcDay } from '../logic/reports';
import { isoTimestamp, parseEvent } from '../models/parsing';
import { DailyReportRun } from '../models/reports';
import { instrumented } from './instrumented';
import { logger, metrics, MetricUnit } from './observability';

export interface DailyReport {
  readonly period_start: string;
  readonly period_end: string;
}

export const handler = instrumented((event: unknown): DailyReport => {
  const period = previousUtcDay(parseEvent(DailyReportRun, event).scheduled_time);
  const report = { period_start: isoTimestamp(period.start), period_end: isoTimestamp(period.end) };
  logger.info('Daily report', { ...report });
  metrics.addMetric('DailyReports', MetricUnit.Count, 1);
  return report;
});
