/**
 * The daily report: each run reports on the UTC day before the one it was scheduled in, with the
 * orders created that day, counted and totalled per currency, and listed as CSV.
 */

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

/** The UTC day of the time, as YYYY-MM-DD. */
export const utcDay = (time: Date): string => time.toISOString().slice(0, 10);

/** What the report reads of an order. */
export interface ReportedOrder {
  readonly order_id: string;
  readonly user_id: string;
  readonly created_at: string;
  readonly currency: string;
  readonly total_cents: number;
  readonly status: string;
}

export interface DailySummary {
  readonly order_count: number;
  // Amounts in different currencies do not add up: one total per currency.
  readonly total_cents_by_currency: Readonly<Record<string, number>>;
}

export const summarize = (orders: Iterable<ReportedOrder>): DailySummary => {
  let count = 0;
  const totals: Record<string, number> = {};
  for (const order of orders) {
    count += 1;
    totals[order.currency] = (totals[order.currency] ?? 0) + order.total_cents;
  }
  return { order_count: count, total_cents_by_currency: totals };
};

export const CSV_COLUMNS = [
  'order_id',
  'user_id',
  'created_at',
  'currency',
  'total_cents',
  'status',
] as const;
// A field holding a separator, a quote or a line break is quoted, its quotes doubled (RFC 4180).
const NEEDS_QUOTES = /[",\r\n]/;

const csvField = (value: string | number): string => {
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** One row per order under a header row, in the order given, each row ending in a line feed. */
export const csvReport = (orders: Iterable<ReportedOrder>): string => {
  const rows = [CSV_COLUMNS.join(',')];
  for (const order of orders) {
    rows.push(CSV_COLUMNS.map((column) => csvField(order[column])).join(','));
  }
  return rows.map((row) => `${row}\n`).join('');
};
