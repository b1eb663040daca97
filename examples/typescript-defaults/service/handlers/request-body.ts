/**
 * Request bodies as the API accepts them: UTF-8 text holding one JSON object, within limits.
 *
 * `JSON.parse` alone would take what no route can use: integers beyond what a number holds
 * exactly, nesting thousands of levels deep. And a web Request, which the router builds from the
 * event, cannot carry a body on a GET, nor a header value HTTP forbids. Every body and header
 * goes through here first; each refusal is an error whose message says what is wrong.
 */
import {
  BadRequestError,
  HttpError,
  HttpStatusCodes,
} from '@aws-lambda-powertools/event-handler/http';
import type { Middleware } from '@aws-lambda-powertools/event-handler/types';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

// Deeper than any body the routes take (an order's lines are three levels down).
export const MAX_DEPTH = 32;
// Money is integer cents and quantities are small: 20 digits is more than any field allows.
export const MAX_INTEGER_DIGITS = 20;

/** A request that cannot be read at all: a 400, whatever the route. */
export class UnreadableRequestError extends Error {
  override name = 'UnreadableRequestError';
}

/** A body that is not one JSON object within the limits; the message says why. */
export class InvalidJsonBodyError extends Error {
  override name = 'InvalidJsonBodyError';
}

// What HTTP allows as a header name (a token), and cannot carry in a header value: NUL, CR, LF,
// and characters beyond Latin-1.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const UNCARRIABLE_HEADER_VALUE = /[\0\r\n\u0100-\uffff]/;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The event as the router can read it: its body as text (API Gateway sends non-text payloads
 * base64-encoded), no body on GET or HEAD, and only header values HTTP can carry.
 */
export function readableEvent(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  for (const [name, value] of Object.entries(event.headers)) {
    if (!HEADER_NAME.test(name)) {
      throw new UnreadableRequestError('the request has a header name HTTP does not allow');
    }
    if (value !== undefined && UNCARRIABLE_HEADER_VALUE.test(value)) {
      throw new UnreadableRequestError(
        `the request header ${name} holds characters HTTP does not allow`,
      );
    }
  }
  const method = event.requestContext.http.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    const withoutBody = { ...event, isBase64Encoded: false };
    delete withoutBody.body;
    return withoutBody;
  }
  return textBody(event);
}

/** The event with its body as text; UnreadableRequestError if it does not decode to UTF-8. */
export function textBody(event: APIGatewayProxyEventV2): APIGatewayProxyEventV2 {
  if (!event.isBase64Encoded || !event.body) {
    return event;
  }
  if (!BASE64.test(event.body)) {
    throw new UnreadableRequestError('the request body is not valid base64');
  }
  let text: string;
  try {
    text = utf8.decode(Buffer.from(event.body, 'base64'));
  } catch {
    throw new UnreadableRequestError('the request body is not UTF-8 text');
  }
  return { ...event, body: text, isBase64Encoded: false };
}

/** The body's JSON object, or InvalidJsonBodyError saying why the body is refused. */
export function parseJsonObject(text: string): Record<string, unknown> {
  checkLimits(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw refused('is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refused('is not a JSON object');
  }
  return value as Record<string, unknown>;
}

function refused(reason: string): InvalidJsonBodyError {
  return new InvalidJsonBodyError(`the request body ${reason}`);
}

/**
 * Refuses, in one pass before parsing, nesting beyond MAX_DEPTH, integers of more than
 * MAX_INTEGER_DIGITS digits, and the constants JSON does not have (NaN, Infinity).
 */
function checkLimits(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const character = text[i];
    if (character === '"') {
      i = endOfString(text, i);
    } else if (character === '[' || character === '{') {
      depth += 1;
      if (depth > MAX_DEPTH) {
        throw refused(`is nested more than ${String(MAX_DEPTH)} levels deep`);
      }
    } else if (character === ']' || character === '}') {
      depth -= 1;
    } else if (character === 'N' || character === 'I') {
      const constant = /^(?:NaN|Infinity)/.exec(text.slice(i, i + 8))?.[0];
      if (constant !== undefined) {
        const name = text[i - 1] === '-' ? `-${constant}` : constant;
        throw refused(`has ${name}, which JSON does not allow`);
      }
    } else if (isDigit(character)) {
      // The whole number token: an integer only if it has no fraction and no exponent.
      let end = i + 1;
      while (end < text.length && /[\d.eE+-]/.test(text.charAt(end))) {
        end += 1;
      }
      const token = text.slice(i, end);
      if (token.length > MAX_INTEGER_DIGITS && /^\d+$/.test(token)) {
        throw refused(`has an integer of more than ${String(MAX_INTEGER_DIGITS)} digits`);
      }
      i = end - 1;
    }
  }
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

/** The index of the quote that closes the string opening at `start` (or the text's end). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i += 1;
    } else if (text[i] === '"') {
      return i;
    }
  }
  return text.length;
}

/** A body in another format than JSON: 415. */
export class UnsupportedMediaTypeError extends HttpError {
  readonly statusCode = HttpStatusCodes.UNSUPPORTED_MEDIA_TYPE;
  readonly errorType = 'UnsupportedMediaTypeError';

  // Public: HttpError's own constructor is protected.
  public constructor(message: string) {
    super(message);
  }
}

/**
 * Middleware of the routes that take a body: a JSON object within the limits, or a 4xx.
 *
 * It runs before the route's validation, which parses the body again (bodies are small) and
 * checks it against the route's schema.
 */
export const jsonBody: Middleware = async ({ reqCtx, next }) => {
  // The test Powertools' validation uses to read a body as JSON.
  if (!reqCtx.req.headers.get('content-type')?.includes('application/json')) {
    throw new UnsupportedMediaTypeError('the request body must be JSON (application/json)');
  }
  try {
    parseJsonObject(await reqCtx.req.clone().text());
  } catch (error) {
    if (error instanceof InvalidJsonBodyError) {
      throw new BadRequestError(error.message);
    }
    throw error;
  }
  await next();
};
