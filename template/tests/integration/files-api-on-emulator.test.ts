/**
 * A browser's round trip through the API and S3 in the emulator: ask, upload, ask, download.
 *
 * moto's S3 accepts a presigned POST form without checking its policy (key, content type and
 * size range alike), so the policy itself is checked in tests/unit/file-storage.test.ts.
 */
import { handler } from '../../service/handlers/api';
import type { DownloadUrl, UploadForm } from '../../service/models/files';
import { ApiClient } from '../api-client';

const api = new ApiClient(handler, 'alice');
const NOTES = { file_name: 'notes.txt', content_type: 'text/plain' };

/** Uploads the content with a form the API signed for the caller; returns its key. */
async function upload(caller: ApiClient, content: string): Promise<string> {
  const form = (await caller.post('/me/files/upload-form', NOTES)).body as UploadForm;
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) {
    body.append(name, value);
  }
  body.append('file', new Blob([content], { type: NOTES.content_type }), NOTES.file_name);
  const posted = await fetch(form.url, { method: 'POST', body });
  expect([posted.status, await posted.text()]).toEqual([204, '']);
  return form.key;
}

test('a file uploaded with the APIs form downloads with the APIs url', async () => {
  const key = await upload(api, 'hello');

  const download = (await api.get('/me/files/download-url', { key })).body as DownloadUrl;
  const got = await fetch(download.url);
  expect(got.status).toBe(200);
  expect(await got.text()).toBe('hello');
});

test('another users file is 404 as if missing', async () => {
  const key = await upload(api, "alice's");
  const missing = `${key.slice(0, key.lastIndexOf('/'))}/00000000-0000-0000-0000-000000000000-notes.txt`;

  for (const asked of [key, missing]) {
    const response = await api.asUser('bob').get('/me/files/download-url', { key: asked });
    expect([response.status, (response.body as { message: string }).message]).toEqual([
      404,
      'file not found',
    ]);
  }
});
