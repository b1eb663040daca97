/** Presigned URLs used over real HTTP, and multipart uploads, against S3 in the emulator. */
import {
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';

import { FileStorage } from '../../service/storage/files';
import { MIN_PART_SIZE, uploadMultipart } from '../../service/storage/multipart';
import { EnvironmentVariables } from '../../service/settings';

const s3 = new S3Client({});
const storage = new FileStorage({
  client: s3,
  bucketName: process.env[EnvironmentVariables.BUCKET_NAME] ?? '',
  maxUploadBytes: 1024,
});

/** The bytes of a body, as a stream of them would arrive. */
async function* streamOf(...pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    yield await Promise.resolve(piece);
  }
}

/** A body whose second read fails, as a dropped connection would. */
async function* failingBody(): AsyncGenerator<Uint8Array> {
  yield await Promise.resolve(Buffer.alloc(MIN_PART_SIZE, 'a'));
  throw new Error('connection reset');
}

test('a presigned upload can be downloaded with a presigned url', async () => {
  const upload = await storage.presignUpload({
    userId: 'alice',
    fileName: 'notes.txt',
    contentType: 'text/plain',
  });

  // A browser's form: the signed fields, then the file. (moto does not check the form's policy.)
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) {
    form.append(name, value);
  }
  form.append('file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt');
  const posted = await fetch(upload.url, { method: 'POST', body: form });
  expect(posted.status).toBe(204);

  const download = await storage.presignDownload({ userId: 'alice', key: upload.key });
  const got = await fetch(download.url);
  expect(got.status).toBe(200);
  expect(await got.text()).toBe('hello');
  expect(got.headers.get('content-type')).toBe('text/plain');
});

test('a multipart upload puts every part', async () => {
  const body = Buffer.concat([Buffer.alloc(MIN_PART_SIZE, 'a'), Buffer.alloc(10, 'b')]);

  await uploadMultipart(storage, {
    key: 'uploads/alice/big.csv',
    // In pieces that are not the parts: the upload cuts its own.
    body: streamOf(body.subarray(0, 1000), body.subarray(1000)),
    contentType: 'text/csv',
    partSize: MIN_PART_SIZE,
  });

  const stored = await s3.send(
    new GetObjectCommand({ Bucket: storage.bucketName, Key: 'uploads/alice/big.csv' }),
  );
  const content = Buffer.from((await stored.Body?.transformToByteArray()) ?? []);
  // Compared as bytes: jest's toEqual walks a 5 MB buffer element by element, for seconds.
  expect(content.length).toBe(body.length);
  expect(content.equals(body)).toBe(true);
  expect(stored.ContentType).toBe('text/csv');
});

test('a multipart upload failing midway is aborted', async () => {
  await expect(
    uploadMultipart(storage, {
      key: 'uploads/alice/broken.csv',
      body: failingBody(),
      contentType: 'text/csv',
      partSize: MIN_PART_SIZE,
    }),
  ).rejects.toThrow('connection reset');

  const uploads = await s3.send(
    new ListMultipartUploadsCommand({ Bucket: storage.bucketName, Prefix: 'uploads/alice/broken' }),
  );
  expect(uploads.Uploads ?? []).toEqual([]);
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: storage.bucketName, Prefix: 'uploads/alice/broken' }),
  );
  expect(listed.KeyCount).toBe(0);
});
