/**
 * The signed-in caller: the subject (`sub` claim) of the token API Gateway verified.
 *
 * API Gateway's JWT authorizer refuses a request without a valid token before the function runs,
 * and passes the token's claims in the event (requestContext.authorizer.jwt.claims). Routes take
 * the caller's user id from here and nowhere else: never from the path or the body.
 */
import { UnauthorizedError } from './http';

// User ids become parts of table keys and of the bucket's key prefixes: a subject must be safe in
// both. Cognito's subjects are UUIDs; most OIDC issuers' fit too (Auth0's `auth0|...` included).
export const SUBJECT_PATTERN = /^[A-Za-z0-9_|-]{1,128}$/;

/** The caller's user id; UnauthorizedError (401) when the request has no usable subject. */
export function callerId(event: unknown): string {
  const subject = field(event, 'requestContext', 'authorizer', 'jwt', 'claims', 'sub');
  if (typeof subject !== 'string' || !SUBJECT_PATTERN.test(subject)) {
    throw new UnauthorizedError('sign in: the request carries no token with a usable subject');
  }
  return subject;
}

/** The value at `path` in a JSON-like value, or undefined where any step is not an object. */
function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
