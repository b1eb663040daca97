/** What EventBridge Scheduler passes to the daily report. */
import { object, timestamp } from './parsing';
import type { z } from './zod';

export const DailyReportRun = object({
  // The time the run was scheduled for (not when it started): retries report on the same day.
  scheduled_time: timestamp,
});
export type DailyReportRun = z.output<typeof DailyReportRun>;
