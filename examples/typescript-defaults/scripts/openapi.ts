/**
 * Write openapi.json, the API's OpenAPI document, from the table of its operations and the zod
 * schemas its routes validate with (service/handlers/operations.ts).
 *
 *     make openapi
 *
 * The document is generated, never edited: tests/unit/openapi.test.ts fails when the committed
 * file is not what this writes. Generating it needs no AWS account: the routes' modules are
 * imported with placeholder settings, and no request runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import * as z from 'zod/mini';

// First: the routes' modules, which the operations import, read their settings at import.
import './placeholder-settings';
import { NAMED_SCHEMAS, OPERATIONS, PUBLIC_OPERATIONS } from '../service/handlers/operations';

type Schema = z.ZodMiniType;
type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

const ROOT = join(__dirname, '..');
export const DOCUMENT = join(ROOT, 'openapi.json');
export const BEARER = 'bearerAuth';
const COMPONENTS = '#/components/schemas/';

/** The document as openapi.json holds it: sorted keys, two-space indents, a final newline. */
export function openApiDocument(): string {
  const project = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };

  /** A schema as JSON Schema: a reference to its component when it has a name. */
  function jsonSchema(schema: Schema, io: 'input' | 'output'): JsonSchema {
    const name = NAMED_SCHEMAS.get(schema);
    if (name !== undefined) {
      return { $ref: COMPONENTS + name };
    }
    return withoutDialect(z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema);
  }

  /** One parameter per property of a route's path, query or header schema. */
  function parameters(
    location: 'path' | 'query' | 'header',
    schema: Schema,
  ): Record<string, unknown>[] {
    // What the client sends decides what is required; what the route reads, the schema (a
    // query's number arrives as text, and is documented as the number it must spell).
    const sent = jsonSchema(schema, 'input');
    const read = jsonSchema(schema, 'output');
    return Object.entries(read.properties ?? {}).map(([name, property]) => ({
      name,
      in: location,
      required: location === 'path' || (sent.required ?? []).includes(name),
      schema: property,
    }));
  }

  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) {
    const method = operation.method.toLowerCase();
    const responses: Record<string, unknown> = {
      [operation.status]: {
        description: 'Successful Response',
        content: { 'application/json': { schema: jsonSchema(operation.response, 'output') } },
      },
    };
    // Every route validates its request (api.ts answers what does not fit with a 422).
    responses['422'] = {
      description: 'Validation Error',
      content: { 'application/json': { schema: { $ref: `${COMPONENTS}HTTPValidationError` } } },
    };
    const { path, query, header } = operation.parameters ?? {};
    const described = [
      ...(path ? parameters('path', path) : []),
      ...(query ? parameters('query', query) : []),
      ...(header ? parameters('header', header) : []),
    ];
    const pathItem = (paths[operation.path] ??= {});
    pathItem[method] = {
      operationId: `${method}${operation.path.replace(/\W+/g, '_')}`,
      summary: `${operation.method} ${operation.path}`,
      ...(described.length > 0 && { parameters: described }),
      ...(operation.body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(operation.body, 'input') } },
        },
      }),
      responses,
      // The document's security applies to every operation; the public ones opt out.
      ...(PUBLIC_OPERATIONS.has(`${operation.method} ${operation.path}`) && { security: [] }),
    };
  }

  // Request bodies as the client sends them (defaults may be left out); answers as the API
  // writes them.
  const bodies = new Set(OPERATIONS.map((operation) => operation.body));
  const sent = componentSchemas(NAMED_SCHEMAS, 'input');
  const written = componentSchemas(NAMED_SCHEMAS, 'output');
  const schemas = Object.fromEntries(
    [...NAMED_SCHEMAS].map(([schema, name]) => [
      name,
      withoutDialect((bodies.has(schema) ? sent : written)[name] as JsonSchema),
    ]),
  );

  return `${JSON.stringify(
    sortedKeys({
      openapi: '3.1.0',
      info: { title: project.name, version: project.version },
      servers: [{ url: '/' }],
      paths,
      components: {
        schemas,
        securitySchemes: {
          [BEARER]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              "An access token from the API's identity provider, which API Gateway verifies " +
              "before the function runs; its subject is the caller's user id.",
          },
        },
      },
      security: [{ [BEARER]: [] }],
    }),
    null,
    2,
  )}\n`;
}

/** The named schemas, each referring to the others it contains. */
function componentSchemas(
  named: ReadonlyMap<Schema, string>,
  io: 'input' | 'output',
): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of named) {
    registry.add(schema, { id });
  }
  return z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => COMPONENTS + id })
    .schemas;
}

/** A schema without the `$schema` and `$id` keywords zod adds: the document states its own. */
function withoutDialect(schema: JsonSchema): JsonSchema {
  const rest = { ...schema };
  delete rest['$schema'];
  delete rest['$id'];
  return rest;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortedKeys);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, item]) => [key, sortedKeys(item)]),
    );
  }
  return value;
}

function main(): void {
  writeFileSync(DOCUMENT, openApiDocument());
  console.log('wrote openapi.json');
}

if (require.main === module) {
  main();
}
