/** Request bodies within the parser's limits are read; beyond them, refused with the reason. */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

import {
  MAX_DEPTH,
  MAX_INTEGER_DIGITS,
  parseJsonObject,
  readableEvent,
  textBody,
  UnreadableRequestError,
} from '../../service/handlers/request-body';

/** A JSON object `depth` levels deep: {"a": [[...]]}. */
function nested(depth: number): string {
  return '{"a": ' + '['.repeat(depth - 1) + ']'.repeat(depth - 1) + '}';
}

function event(fields: Partial<APIGatewayProxyEventV2>, method = 'POST'): APIGatewayProxyEventV2 {
  return {
    headers: {},
    requestContext: { http: { method } },
    isBase64Encoded: false,
    ...fields,
  } as APIGatewayProxyEventV2;
}

function base64(text: string | Buffer): string {
  return Buffer.from(text).toString('base64');
}

test('a body as deep as the limit is read', () => {
  expect(parseJsonObject(nested(MAX_DEPTH))).toEqual(JSON.parse(nested(MAX_DEPTH)));
});

test.each([MAX_DEPTH + 1, 5000])('a body %i levels deep is refused', (depth) => {
  expect(() => parseJsonObject(nested(depth))).toThrow('nested more than 32 levels deep');
});

test.each(['', '-'])('integers up to the digit limit are read (sign %j)', (sign) => {
  const digits = sign + '9'.repeat(MAX_INTEGER_DIGITS);
  expect(parseJsonObject(`{"n": ${digits}}`)).toEqual({ n: Number(digits) });
});

test.each([MAX_INTEGER_DIGITS + 1, 4301, 100_000])(
  'an integer of %i digits is refused before conversion',
  (digits) => {
    expect(() => parseJsonObject(`{"n": -${'1'.repeat(digits)}}`)).toThrow(
      'integer of more than 20 digits',
    );
  },
);

test('long numbers with a fraction or an exponent are not integers', () => {
  const fraction = `1.${'5'.repeat(40)}`;
  expect(parseJsonObject(`{"a": ${fraction}, "b": 1${'0'.repeat(5)}e-3}`)).toEqual({
    a: Number(fraction),
    b: 100,
  });
});

test('digits inside strings are text, not numbers', () => {
  const digits = '7'.repeat(100);
  expect(parseJsonObject(`{"n": "${digits}", "[": "{[{"}`)).toEqual({ n: digits, '[': '{[{' });
});

test.each(['NaN', 'Infinity', '-Infinity'])('%s, which JSON does not have, is refused', (name) => {
  expect(() => parseJsonObject(`{"n": ${name}}`)).toThrow(`has ${name}`);
});

test.each(['[]', '[{}]', '"text"', '1', 'null', 'true'])(
  'anything but an object is refused: %s',
  (body) => {
    expect(() => parseJsonObject(body)).toThrow('is not a JSON object');
  },
);

test.each(['', '{', '{"a": 1,}', "{'a': 1}"])('malformed JSON is refused: %j', (body) => {
  expect(() => parseJsonObject(body)).toThrow('is not valid JSON');
});

test('a plain body is left as it is', () => {
  const plain = event({ body: '{}' });
  expect(textBody(plain)).toBe(plain);
});

test('a base64 body becomes text', () => {
  const encoded = event({ body: base64('{"name": "Zoë"}'), isBase64Encoded: true });
  expect(textBody(encoded)).toMatchObject({ body: '{"name": "Zoë"}', isBase64Encoded: false });
});

test.each([
  ['not base64!', 'not valid base64'],
  ['abc', 'not valid base64'],
  [base64(Buffer.from([0xc3, 0x28])), 'not UTF-8 text'],
])('a base64 body that is not text is refused: %j', (body, reason) => {
  expect(() => textBody(event({ body, isBase64Encoded: true }))).toThrow(UnreadableRequestError);
  expect(() => textBody(event({ body, isBase64Encoded: true }))).toThrow(reason);
});

test('a GET or HEAD loses its body, which a web request cannot carry', () => {
  for (const method of ['GET', 'HEAD']) {
    expect(readableEvent(event({ body: '{' }, method))).not.toHaveProperty('body');
  }
});

test.each(['bad name', 'name:', 'ключ', ''])(
  'a header name HTTP does not allow is refused: %j',
  (name) => {
    expect(() => readableEvent(event({ headers: { [name]: 'value' } }))).toThrow(
      'the request has a header name HTTP does not allow',
    );
  },
);

test.each(['key\u00001', 'key\n1', 'key\r1', 'key\u202e1'])(
  'a header value HTTP cannot carry is refused, naming the header: %j',
  (value) => {
    expect(() => readableEvent(event({ headers: { 'idempotency-key': value } }))).toThrow(
      'the request header idempotency-key holds characters HTTP does not allow',
    );
  },
);
