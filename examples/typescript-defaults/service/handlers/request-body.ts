/**
 * Request bodies as the API accepts them: UTF-8 text holding one JSON object, within limits.
 *
 * `JSON.parse` alone would take what no route can use: integers beyond what a number holds
 * exactly, nesting thousands of levels deep. And a web Request, which the router builds from the
 * event, cannot carry a body on a GET, nor a header value HTTP forbids. Every body and header
 * goes through here first; each refusal is an error whose message says what is wrong.
 */
import type { Middleware } from '@aws-lambda-powertools/event-handler/types';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

import { BadRequestError, HttpStatusCodes, HttpStatusError } from './http';

// Deeper than any body the routes take (an order's lines are three levels down).
export const MAX_DEPTH = 32;
// Money is integer cents and quantities are small: 20 digits is more than any field allows.
export const MAX_INTEGER_DIGITS = 20;

/** A request that cannot be read at all: a 400, whatever the route. */
export class UnreadableRequestError extends Error {
  override name = 'UnreadableRequestError';
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

/** The body's JSON object, or BadRequestError (400) saying why the body is refused. */
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

function refused(reason: string): BadRequestError {
  return new BadRequestError(`the request body ${reason}`);
}

// What the limits concern, in the order the text has them: brackets, the constants JSON does not
// have, and number tokens. A string is one token, so nothing inside it counts (an unterminated
// one runs to the end of the text).
const TOKENS = /"(?:[^"\\]|\\[^])*"?|[[{}\]]|-?(?:NaN|Infinity)|\d[\d.eE+-]*/g;
const NOT_JSON_CONSTANT = /^-?(?:NaN|Infinity)$/;

/**
 * Refuses, in one pass before parsing, nesting beyond MAX_DEPTH, integers of more than
 * MAX_INTEGER_DIGITS digits, and the constants JSON does not have (NaN, Infinity).
 */
function checkLimits(text: string): void {
  let depth = 0;
  for (const [token] of text.matchAll(TOKENS)) {
    if (token === '[' || token === '{') {
      depth += 1;
      if (depth > MAX_DEPTH) {
        throw refused(`is nested more than ${String(MAX_DEPTH)} levels deep`);
      }
    } else if (token === ']' || token === '}') {
      depth -= 1;
    } else if (NOT_JSON_CONSTANT.test(token)) {
      throw refused(`has ${token}, which JSON does not allow`);
    } else if (token.length > MAX_INTEGER_DIGITS && /^\d+$/.test(token)) {
      // A number token is an integer only if it has no fraction and no exponent.
      throw refused(`has an integer of more than ${String(MAX_INTEGER_DIGITS)} digits`);
    }
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
    throw new HttpStatusError(
      HttpStatusCodes.UNSUPPORTED_MEDIA_TYPE,
      'the request body must be JSON (application/json)',
    );
  }
  parseJsonObject(await reqCtx.req.clone().text());
  await next();
};
