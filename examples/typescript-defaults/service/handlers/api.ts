/**
 * Entry point of the HTTP API: Powertools routes each request to the router that owns its path.
 *
 * Bodies, path, query and headers are validated against each route's zod schemas: a request
 * that does not fit is answered with a 4xx saying what is wrong, before any route code runs.
 */
import { tracer as traceRoutes } from '@aws-lambda-powertools/event-handler/http/middleware/tracer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { en } from 'zod/locales';

import { ConflictError, NotFoundError as DomainNotFoundError } from '../logic/errors';
import { z } from '../models/zod';
import {
  HttpError,
  MethodNotAllowedError,
  NotFoundError,
  ParameterValidationError,
  RequestValidationError,
  Router,
} from './http';
import { instrumented } from './instrumented';
import { logger, tracer } from './observability';
import { readableEvent, UnreadableRequestError } from './request-body';
import { router as health } from './routes/health';
import { router as orders } from './routes/orders';
import { router as users } from './routes/users';

// zod/mini carries no messages of its own: English ones make every 422 say what is wrong.
z.config(en());

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** The router, which also knows which methods a path takes (for 405 answers). */
class ApiRouter extends Router {
  allowedMethods(path: `/${string}`): string[] {
    return METHODS.filter((method) => {
      try {
        return this.routeRegistry.resolve(method, path) !== null;
      } catch {
        // The path matches the method's route, whose parameters do not decode.
        return true;
      }
    });
  }
}

export const app = new ApiRouter({ logger });
app.use(traceRoutes(tracer));
app.includeRouter(health);
app.includeRouter(users);
app.includeRouter(orders);

// Every error the API answers has one shape: {"statusCode": ..., "message": ...}, plus "detail"
// (a list of problems, each with "loc" and "msg") when the request is invalid.

export interface ErrorBody {
  statusCode: number;
  message: string;
  detail?: { loc: (string | number)[]; msg: string }[];
}

function errorBody(status: number, message: string, detail?: ErrorBody['detail']): ErrorBody {
  return { statusCode: status, message, ...(detail && { detail }) };
}

/** The answer of an error handler: Powertools awaits what each returns. */
function errorResponse(
  status: number,
  message: string,
  options: { detail?: ErrorBody['detail']; headers?: Record<string, string> } = {},
): Promise<Response> {
  return Promise.resolve(
    Response.json(errorBody(status, message, options.detail), {
      status,
      ...(options.headers && { headers: options.headers }),
    }),
  );
}

// Powertools answers an unknown route with 404 whatever the method; a known path with another
// method is a 405 naming the methods it takes.
function noRoute(_error: Error, { req }: { req: Request }): Promise<Response> {
  const path = new URL(req.url).pathname.replace(/(.)\/+$/, '$1') as `/${string}`;
  const allowed = app.allowedMethods(path);
  if (allowed.length > 0 && !allowed.includes(req.method)) {
    return errorResponse(405, `${req.method} is not allowed here: use ${allowed.join(', ')}`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
  return errorResponse(404, 'not found');
}

app.errorHandler(NotFoundError, noRoute);
app.errorHandler(MethodNotAllowedError, noRoute);

app.errorHandler(RequestValidationError, (error) => {
  // Powertools' own answer lists the problems under details.issues; this one, under detail, as
  // every 422 of this API does.
  const issues = error.details?.['issues'];
  const detail = Array.isArray(issues) ? issues.map(problem) : [];
  return errorResponse(422, 'the request is invalid', { detail });
});

/** One problem of an invalid request: where (`loc`, from the part of the request in) and what. */
function problem(issue: unknown): { loc: (string | number)[]; msg: string } {
  const { path = [], message = '' } = issue as { path?: unknown[]; message?: string };
  const loc = path.map((step) => (typeof step === 'number' ? step : String(step)));
  // Powertools names the part `headers`; the API's answers say `header`, like `path` and `query`.
  if (loc[0] === 'headers') {
    loc[0] = 'header';
  }
  return { loc, msg: message };
}

app.errorHandler(ParameterValidationError, (error) =>
  errorResponse(422, 'the request is invalid', {
    detail: error.issues.map((msg) => ({ loc: ['path'], msg })),
  }),
);

// A path parameter whose percent-encoding does not decode.
app.errorHandler(URIError, (error) => errorResponse(400, error.message));

app.errorHandler(DomainNotFoundError, (error) => errorResponse(404, error.message));

app.errorHandler(ConflictError, (error) => errorResponse(409, error.message));

// Registered last: Powertools tries the handler of the error's own class first, then each in
// the order registered. HTTP errors the routes raise (401, 409, ...) keep their status.
app.errorHandler(Error, (error) => {
  if (error instanceof HttpError) {
    return errorResponse(error.statusCode, error.message);
  }
  logger.error('the request failed', error);
  return errorResponse(500, 'internal server error');
});

export const handler = instrumented(
  async (event: APIGatewayProxyEventV2, context): Promise<APIGatewayProxyStructuredResultV2> => {
    logger.setCorrelationId(event.requestContext.requestId);
    let request: APIGatewayProxyEventV2;
    try {
      request = readableEvent(event);
    } catch (error) {
      if (error instanceof UnreadableRequestError) {
        // Refused before routing: whatever the route, the API takes only what it can read.
        return {
          statusCode: 400,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(errorBody(400, error.message)),
          isBase64Encoded: false,
        };
      }
      throw error;
    }
    return app.resolve(request, context);
  },
);
