/** Reporting periods: each daily run reports on the UTC day before the one it was scheduled in. */

export interface ReportPeriod {
  readonly start: Date;
  /** Exclusive. */
  readonly end: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const previousUtcDay = (scheduledTime: Date): ReportPeriod => {
  const end = Date.UTC(
    scheduledTime.getUTCFullYear(),
    scheduledTime.getUTCMonth(),
    scheduledTime.getUTCDate(),
  );
  // UTC days are all 24 hours long: no daylight saving time to step over.
  return { start: new Date(end - DAY_MS), end: new Date(end) };
};
