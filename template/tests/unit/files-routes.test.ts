/** The API's /me/files routes: presigned forms and URLs for good requests, 4xx answers to bad ones. */
import { handler } from '../../service/handlers/api';
import type { DownloadUrl, UploadForm } from '../../service/models/files';
import { uploadKey } from '../../service/storage/keys';
import { ApiClient } from '../api-client';

const api = new ApiClient(handler, 'alice');
const UPLOAD = { file_name: 'invoice.pdf', content_type: 'application/pdf' };

test('an upload form is a post of one key under the callers prefix', async () => {
  const response = await api.post('/me/files/upload-form', UPLOAD);

  expect(response.status).toBe(200);
  const form = response.body as UploadForm;
  expect(form.key).toMatch(/^uploads\/alice\//);
  expect(form.fields['key']).toBe(form.key);
  expect(form.fields['Content-Type']).toBe('application/pdf');
  expect(form.max_bytes).toBe(1024);
  expect(form.expires_in).toBe(300);
  const policy = JSON.parse(Buffer.from(form.fields['Policy'] ?? '', 'base64').toString()) as {
    conditions: unknown[];
  };
  expect(policy.conditions).toContainEqual(['content-length-range', 1, 1024]);
});

test('each caller uploads under their own prefix', async () => {
  const response = await api.asUser('bob').post('/me/files/upload-form', UPLOAD);

  expect((response.body as UploadForm).key).toMatch(/^uploads\/bob\//);
});

test.each([
  ['content type off the list', { ...UPLOAD, content_type: 'text/html' }, 400],
  ['path as file name', { ...UPLOAD, file_name: '../../etc/passwd' }, 400],
  ['missing field', { file_name: 'invoice.pdf' }, 422],
  ['a key of ones own choosing', { ...UPLOAD, key: 'uploads/bob/x.pdf' }, 422],
  ['not json', 'not json', 400],
])('a bad upload request is refused: %s', async (_case, body, status) => {
  expect((await api.post('/me/files/upload-form', body)).status).toBe(status);
});

test('a download url is signed for the callers own file', async () => {
  const key = uploadKey('alice', 'invoice.pdf');

  const response = await api.get('/me/files/download-url', { key });

  expect(response.status).toBe(200);
  expect((response.body as DownloadUrl).key).toBe(key);
});

test.each([
  ["another user's", uploadKey('bob', 'invoice.pdf')],
  ['path', 'uploads/alice/../bob/x.pdf'],
  ['outside the uploads', 'other/alice/a.pdf'],
])('a download url for a key that is not the callers is 404: %s', async (_case, key) => {
  const response = await api.get('/me/files/download-url', { key });

  expect([response.status, (response.body as { message: string }).message]).toEqual([
    404,
    'file not found',
  ]);
});

test('a download url without a key is refused', async () => {
  expect((await api.get('/me/files/download-url')).status).toBe(422);
});
