/** openapi.json, the API's published contract, is what the operations table describes today. */
import { existsSync, readFileSync } from 'node:fs';

import { BEARER, DOCUMENT, openApiDocument } from '../../scripts/openapi';
import { app } from '../../service/handlers/api';
import { type Operation, OPERATIONS, PUBLIC_OPERATIONS } from '../../service/handlers/operations';

interface Document {
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

/** Whether the API's router serves the operation (a path parameter given any value). */
function routed(operation: Pick<Operation, 'method' | 'path'>): boolean {
  const path = operation.path.replace(/\{[^}]+\}/g, 'x') as `/${string}`;
  return app.allowedMethods(path).includes(operation.method);
}

test('the committed document is up to date', () => {
  const committed = existsSync(DOCUMENT) ? readFileSync(DOCUMENT, 'utf8') : '';
  // When this fails: run `make openapi` and commit openapi.json.
  expect(committed).toBe(openApiDocument());
});

test.each(OPERATIONS.map((operation) => [`${operation.method} ${operation.path}`, operation]))(
  '%s is a route of the API',
  (_name, operation) => {
    expect(routed(operation)).toBe(true);
  },
);

test('an operation the router does not serve is told apart', () => {
  expect(routed({ method: 'POST', path: '/health' })).toBe(false);
  expect(routed({ method: 'GET', path: '/nowhere' })).toBe(false);
});

test('every operation but the public ones needs a token', () => {
  const document = JSON.parse(openApiDocument()) as Document;
  expect(document.security).toEqual([{ [BEARER]: [] }]);
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const isPublic = PUBLIC_OPERATIONS.has(`${method.toUpperCase()} ${path}`);
      // An operation without its own `security` takes the document's.
      expect([`${method} ${path}`, operation.security]).toEqual([
        `${method} ${path}`,
        isPublic ? [] : undefined,
      ]);
    }
  }
});
