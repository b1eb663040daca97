/**
 * The API on requests drawn from its own schemas, and on mangled ones: never a 5xx.
 *
 * Each parameter and body is drawn either to fit the route's zod schema (so that requests reach
 * the routes' code and the emulator's table) or as arbitrary JSON, text and headers (so that
 * they exercise every refusal); the method is sometimes one the path does not take. Whatever
 * comes in, the answer is below 500 and, when it is an error, has the common shape. The runs are
 * seeded and bounded: the same requests on every run, in a few seconds.
 */
import fc from 'fast-check';
import * as z from 'zod/mini';

import { handler } from '../../service/handlers/api';
import { type Operation, OPERATIONS } from '../../service/handlers/operations';
import { ApiClient, type ApiResponse, type RequestOptions } from '../api-client';

type Schema = z.ZodMiniType;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const EXAMPLES_PER_OPERATION = 25;
const SEED = 20261127;

/** The JSON Schema keywords zod writes for the schemas of the API's input. */
interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
}

function jsonSchema(schema: Schema): JsonSchema {
  // What the client sends (the input side of transforms and defaults).
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

// Any JSON value.
const ANY_JSON = fc.jsonValue({ maxDepth: 3 });

/** Values that fit a schema of the API's. */
function fitting(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf !== undefined) {
    return fc.oneof(...schema.anyOf.map(fitting));
  }
  switch (schema.type) {
    case 'object': {
      const properties = Object.entries(schema.properties ?? {});
      return fc.record(
        Object.fromEntries(properties.map(([name, property]) => [name, fitting(property)])),
        { requiredKeys: schema.required ?? [] },
      );
    }
    case 'array':
      return fc.array(fitting(schema.items ?? {}), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'string':
      return schema.pattern === undefined
        ? fc.string({
            minLength: schema.minLength ?? 0,
            maxLength: Math.min(schema.maxLength ?? 40, 40),
          })
        : fc.stringMatching(new RegExp(schema.pattern));
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? Number.MIN_SAFE_INTEGER,
        max: schema.maximum ?? Number.MAX_SAFE_INTEGER,
      });
    case 'null':
      return fc.constant(null);
    default:
      return ANY_JSON;
  }
}

/** Each parameter's value as the text a request carries: fitting, arbitrary, or absent. */
function parameterValues(schema: Schema | undefined): fc.Arbitrary<Record<string, string>> {
  const properties = Object.entries(schema ? (jsonSchema(schema).properties ?? {}) : {});
  const values = properties.map(([name, property]) =>
    fc.option(
      fc
        .oneof(fitting(property), ANY_JSON, fc.string({ maxLength: 40 }))
        .map((value) => [name, typeof value === 'string' ? value : JSON.stringify(value)] as const),
      { nil: undefined },
    ),
  );
  return fc
    .tuple(...values)
    .map((entries) => Object.fromEntries(entries.filter((entry) => entry !== undefined)));
}

function requests(operation: Operation): fc.Arbitrary<[string, string, RequestOptions]> {
  const body = operation.body ? fitting(jsonSchema(operation.body)) : ANY_JSON;
  return fc
    .record({
      method: fc.oneof(fc.constant(operation.method), fc.constantFrom(...METHODS)),
      path: parameterValues(operation.parameters?.path),
      query: parameterValues(operation.parameters?.query),
      header: parameterValues(operation.parameters?.header),
      body: fc.option(
        fc.oneof(
          fc.oneof(body, ANY_JSON).map((value) => JSON.stringify(value)),
          fc.string({ maxLength: 100 }),
        ),
        { nil: null },
      ),
      contentType: fc.constantFrom(
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
      ),
    })
    .map(({ method, path, query, header, body, contentType }) => [
      method,
      Object.entries(path).reduce<string>(
        (template, [name, value]) => template.replace(`{${name}}`, value),
        operation.path,
      ),
      {
        body,
        headers: { 'content-type': contentType, ...header },
        query: Object.keys(query).length > 0 ? query : null,
      },
    ]);
}

function expectAnswered(response: ApiResponse): void {
  expect(response.status).toBeLessThan(500);
  if (response.status >= 400) {
    const body = response.body as Record<string, unknown>;
    expect(body['statusCode']).toBe(response.status);
    expect(typeof body['message']).toBe('string');
    for (const key of Object.keys(body)) {
      expect(['statusCode', 'message', 'detail']).toContain(key);
    }
  }
}

const api = new ApiClient(handler, 'alice');

test.each(OPERATIONS.map((operation) => [`${operation.method} ${operation.path}`, operation]))(
  'no request to %s gets a server error',
  async (_name, operation) => {
    await fc.assert(
      fc.asyncProperty(requests(operation), async ([method, path, options]) => {
        expectAnswered(await api.request(method, path, options));
      }),
      { numRuns: EXAMPLES_PER_OPERATION, seed: SEED },
    );
  },
);
