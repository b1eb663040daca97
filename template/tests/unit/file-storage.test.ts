/** Keys, file names and content types of uploads, and the URLs signed for them (no network). */
import { S3Client } from '@aws-sdk/client-s3';

import { FileStorage } from '../../service/storage/files';
import {
  ForbiddenKeyError,
  InvalidUploadError,
  checkOwnKey,
  safeFileName,
  uploadKey,
} from '../../service/storage/keys';

const MAX_BYTES = 10 * 1024 * 1024;

let storage: FileStorage;

beforeEach(() => {
  storage = new FileStorage({
    client: new S3Client({}),
    bucketName: 'files',
    maxUploadBytes: MAX_BYTES,
  });
});

type Condition = Record<string, string> | [string, ...unknown[]];

/** The upload form's policy document, as S3 reads it from the form. */
function policyOf(fields: Readonly<Record<string, string>>): {
  expiration: string;
  conditions: Condition[];
} {
  return JSON.parse(Buffer.from(fields['Policy'] ?? '', 'base64').toString()) as {
    expiration: string;
    conditions: Condition[];
  };
}

test.each([
  ['report.pdf', 'report.pdf'],
  ['Relevé 2024 (1).pdf', 'Releve-2024-1-.pdf'],
  ['..hidden.csv', 'hidden.csv'],
  [`${'x'.repeat(200)}.png`, `${'x'.repeat(96)}.png`],
])('file names are kept in safe characters: %s', (fileName, kept) => {
  expect(safeFileName(fileName)).toBe(kept);
});

test.each([
  ['empty', ''],
  ['too long', 'a'.repeat(256)],
  ['path', '../../etc/passwd'],
  ['windows path', 'dir\\file.txt'],
  ['control character', 'line\nbreak.txt'],
  ['no letters', '???'],
])('unusable file names are refused: %s', (_case, fileName) => {
  expect(() => safeFileName(fileName)).toThrow(InvalidUploadError);
});

test('upload keys are unique and under the users prefix', () => {
  const [first, second] = [uploadKey('alice', 'a.pdf'), uploadKey('alice', 'a.pdf')];

  expect(first).not.toBe(second);
  expect(first).toMatch(/^uploads\/alice\//);
  expect(first).toMatch(/-a\.pdf$/);
});

test.each(['', '../bob', 'a.b', 'a'.repeat(129), 'alice/bob', 'alice\n'])(
  'user ids that could escape their prefix are refused: %j',
  (userId) => {
    expect(() => uploadKey(userId, 'a.pdf')).toThrow(InvalidUploadError);
  },
);

test('a user may read back their own uploads only', () => {
  const key = uploadKey('alice', 'a.pdf');

  expect(checkOwnKey('alice', key)).toBe(key);
  for (const [user, other] of [
    ['bob', key],
    ['alice', 'uploads/alice/'],
    ['alice', 'uploads/alice/../bob/x.pdf'],
    ['alice', 'other/alice/a.pdf'],
  ] as const) {
    expect(() => checkOwnKey(user, other)).toThrow(ForbiddenKeyError);
  }
});

test('an upload form admits one key one content type and a size range only', async () => {
  const upload = await storage.presignUpload({
    userId: 'alice',
    fileName: 'a.pdf',
    contentType: 'application/pdf',
  });

  const { conditions } = policyOf(upload.fields);
  // Exact values only: no `starts-with` condition that would admit other keys or types.
  expect(conditions).toContainEqual({ bucket: 'files' });
  expect(conditions).toContainEqual({ key: upload.key });
  expect(conditions).toContainEqual({ 'Content-Type': 'application/pdf' });
  expect(conditions).toContainEqual(['content-length-range', 1, MAX_BYTES]);
  expect(conditions.filter((c) => Array.isArray(c) && c[0] === 'starts-with')).toEqual([]);
  // Every other condition is the signature's own, and the form carries exactly what is signed.
  const signed = conditions.flatMap((c) => (Array.isArray(c) ? [] : Object.keys(c)));
  const own = signed.filter((name) => !['bucket', 'key', 'Content-Type'].includes(name));
  for (const name of own) {
    expect(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Security-Token']).toContain(
      name,
    );
  }
  expect(Object.keys(upload.fields).sort()).toEqual(
    [...signed, 'Policy', 'X-Amz-Signature'].sort(),
  );
  expect(upload.key).toMatch(/^uploads\/alice\//);
  expect(upload.max_bytes).toBe(MAX_BYTES);
});

test('an upload form expires within minutes', async () => {
  const upload = await storage.presignUpload({
    userId: 'alice',
    fileName: 'a.pdf',
    contentType: 'application/pdf',
  });

  const expiration = Date.parse(policyOf(upload.fields).expiration);
  expect(upload.expires_in).toBe(300);
  expect(expiration - Date.now()).toBeLessThanOrEqual(300_000);
});

test.each(['text/html', 'image/svg+xml', 'application/pdf; x=1'])(
  'content types off the allow list are refused: %s',
  async (contentType) => {
    await expect(
      storage.presignUpload({ userId: 'alice', fileName: 'a.pdf', contentType }),
    ).rejects.toMatchObject({
      name: 'InvalidUploadError',
      message: expect.stringContaining('content type must be one of') as unknown,
    });
  },
);

test('download urls are signed for the users own files only', async () => {
  const key = uploadKey('alice', 'a.pdf');

  await expect(storage.presignDownload({ userId: 'alice', key })).resolves.toMatchObject({
    key,
    expires_in: 300,
  });
  await expect(storage.presignDownload({ userId: 'bob', key })).rejects.toThrow(ForbiddenKeyError);
});

test('urls and forms are signed with signature version 4 by default', async () => {
  const defaults = new FileStorage({ bucketName: 'files', maxUploadBytes: MAX_BYTES });

  const upload = await defaults.presignUpload({
    userId: 'alice',
    fileName: 'a.pdf',
    contentType: 'application/pdf',
  });
  const download = await defaults.presignDownload({ userId: 'alice', key: upload.key });

  expect(upload.fields['X-Amz-Algorithm']).toBe('AWS4-HMAC-SHA256');
  expect(new URL(download.url).searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
});
