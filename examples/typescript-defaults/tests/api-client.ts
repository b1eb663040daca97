/**
 * Drives the API's Lambda handler with the events API Gateway sends it, as a test client.
 *
 * In AWS, the HTTP API's JWT authorizer verifies the caller's token and puts its claims in the
 * event; the client plays that part: signed in as a user, it sends their claims, and signed out
 * (`asUser(null)`), none.
 */
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';

import { lambdaContext } from './lambda-context';

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body; null when there is none. */
  body: unknown;
}

export interface RequestOptions {
  body?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string> | null;
  base64Encoded?: boolean;
  /** API Gateway's id of the request, which the API logs as its correlation id. */
  requestId?: string;
}

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

// Where the test tokens come from, as the authorizer passes it on.
export const ISSUER = 'https://issuer.example.com';

/** Calls the API's handler with the events API Gateway sends it (HTTP API, payload 2.0). */
export class ApiClient {
  constructor(
    private readonly handler: ApiHandler,
    readonly userId: string | null = null,
  ) {}

  /** The same API, called by another user (their token's `sub`), or by nobody (null). */
  asUser(userId: string | null): ApiClient {
    return new ApiClient(this.handler, userId);
  }

  get(path: string, query?: Record<string, string>): Promise<ApiResponse> {
    return this.request('GET', path, query ? { query } : {});
  }

  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse> {
    const raw = typeof body === 'string' || body === undefined ? body : JSON.stringify(body);
    return this.request('POST', path, { body: raw ?? null, ...(headers && { headers }) });
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const event = httpApiEvent(method, path, options, this.userId);
    const result = await this.handler(event, lambdaContext('orders-service-api'));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {})) {
      headers[name.toLowerCase()] = String(value);
    }
    const raw = result.body ?? '';
    return {
      status: result.statusCode ?? 200,
      headers,
      body: raw === '' ? null : (JSON.parse(raw) as unknown),
    };
  }
}

function httpApiEvent(
  method: string,
  path: string,
  options: RequestOptions,
  userId: string | null,
): APIGatewayProxyEventV2 {
  // API Gateway lower-cases header names in payload 2.0 events.
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries({
    'content-type': 'application/json',
    ...options.headers,
  })) {
    headers[name.toLowerCase()] = value;
  }
  const query = options.query ?? null;
  const requestContext = {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'api.execute-api.us-east-1.amazonaws.com',
    domainPrefix: 'api',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
    requestId: options.requestId ?? 'request-id',
    routeKey: '$default',
    stage: '$default',
    time: '27/Nov/2026:12:00:00 +0000',
    timeEpoch: 1795780800000,
    ...(userId !== null && { authorizer: { jwt: claims(userId) } }),
  };
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query ?? {}).toString(),
    headers,
    ...(query && { queryStringParameters: query }),
    requestContext,
    ...(options.body != null && { body: options.body }),
    isBase64Encoded: options.base64Encoded ?? false,
  };
}

/** What the JWT authorizer passes on from a verified access token: its claims and scopes. */
function claims(userId: string): { claims: Record<string, string>; scopes: null } {
  return {
    claims: {
      sub: userId,
      iss: ISSUER,
      client_id: 'test-client',
      token_use: 'access',
      iat: '1795780000',
      exp: '1795783600',
    },
    scopes: null,
  };
}
