/** The caller is the subject of the verified token, and only a subject fit for a user id will do. */
import { UnauthorizedError } from '@aws-lambda-powertools/event-handler/http';

import { callerId } from '../../service/handlers/caller';

function event(authorizer: unknown): unknown {
  return { requestContext: { authorizer } };
}

test.each([
  ['cognito', '0f5e9c2a-8b1d-4c7e-9a3f-2d6b8e1c4a70'],
  ['auth0', 'auth0|65f1c0ffee'],
  ['okta', '00u1a2b3c4D5e6F7g8h9'],
])("the caller is the token's subject (%s)", (_issuer, subject) => {
  expect(callerId(event({ jwt: { claims: { sub: subject }, scopes: null } }))).toBe(subject);
});

test.each([
  ['no authorizer', null],
  ['empty authorizer', {}],
  ['no claims', { jwt: null }],
  ['no subject', { jwt: { claims: { email: 'alice@example.com' } } }],
  ['empty subject', { jwt: { claims: { sub: '' } } }],
  ['path', { jwt: { claims: { sub: 'alice/../bob' } } }],
  ['key separator', { jwt: { claims: { sub: 'alice#PROFILE' } } }],
  ['newline', { jwt: { claims: { sub: 'alice\n' } } }],
  ['too long', { jwt: { claims: { sub: 'a'.repeat(129) } } }],
  ['not a string', { jwt: { claims: { sub: ['alice'] } } }],
  ['inherited', { jwt: { claims: Object.create({ sub: 'alice' }) as object } }],
])('a request without a usable subject is unauthorized (%s)', (_case, authorizer) => {
  expect(() => callerId(event(authorizer))).toThrow(UnauthorizedError);
});
