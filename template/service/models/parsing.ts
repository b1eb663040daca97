/**
 * What EventBridge and its Scheduler deliver, checked by Powertools' parser against zod schemas:
 * every refusal names the field and what is wrong with it (`detail.user_id: missing`).
 *
 * The schemas are zod/mini's, as the API's are, and spell out every message themselves: mini
 * carries none of its own.
 */
import { parse } from '@aws-lambda-powertools/parser';
import type { InferOutput } from '@aws-lambda-powertools/parser/types';

import { z } from './zod';

/** An event does not have the shape its handler expects; the message says where. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

/** The message of a field of the wrong type: missing, or the type it holds instead. */
export const unexpected = (issue: { readonly input?: unknown }): string =>
  issue.input === undefined ? 'missing' : `unexpected ${kindOf(issue.input)}`;

/** An object of these fields; fields it does not name are dropped. */
export const object = <Shape extends z.core.$ZodLooseShape>(shape: Shape) =>
  z.object(shape, {
    error: (issue) => (issue.input === undefined ? 'missing' : 'expected an object'),
  });

/** Text of 1 to `maximum` characters. */
export const text = (maximum: number) => {
  const length = `expected 1 to ${String(maximum)} characters`;
  return z
    .string({ error: unexpected })
    .check(z.minLength(1, length), z.maxLength(maximum, length));
};

// ISO 8601 dates and times: with a time zone (`Z` or an offset), and with or without one.
const ZONED = z.iso.datetime({ offset: true });
const ISO_DATE_TIME = z.iso.datetime({ offset: true, local: true });

/** An ISO 8601 date and time with a time zone, read as a Date. */
export const timestamp = z.pipe(
  z.string({ error: unexpected }),
  z.transform((value: string, context) => {
    const time = new Date(value);
    if (z.safeParse(ZONED, value).success && !Number.isNaN(time.getTime())) {
      return time;
    }
    context.issues.push({
      code: 'custom',
      input: value,
      message: z.safeParse(ISO_DATE_TIME, value).success
        ? 'expected a time zone'
        : 'expected an ISO 8601 date and time',
    });
    return z.NEVER;
  }),
);

/** The time in UTC as ISO 8601 text, with milliseconds only when there are any. */
export const isoTimestamp = (time: Date): string => time.toISOString().replace('.000Z', 'Z');

/** `value` as the schema reads it; InvalidEventError naming each field it refuses otherwise. */
export const parseEvent = <Schema extends z.core.$ZodType>(
  schema: Schema,
  value: unknown,
  name = 'event',
): InferOutput<Schema> => {
  const parsed = parse(value, undefined, schema, true);
  if (parsed.success) {
    return parsed.data;
  }
  // Powertools' ParseError carries the schema's own issues as its cause.
  const issues = parsed.error.cause as readonly z.core.$ZodIssue[];
  const problems = issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : name}: ${issue.message}`,
  );
  throw new InvalidEventError(problems.join('; '));
};

const kindOf = (value: unknown): string => {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
};
