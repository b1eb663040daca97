/** Presigned uploads and downloads of the caller's files, as the API accepts and returns them. */

import { MAX_FILE_NAME_LENGTH } from '../storage/keys';
import { text } from './text';
import { z } from './zod';

/** A file the caller is about to upload (POST /me/files/upload-form). */
export const UploadRequest = z.strictObject({
  file_name: text().check(z.minLength(1), z.maxLength(MAX_FILE_NAME_LENGTH)),
  content_type: text().check(z.minLength(1), z.maxLength(100)),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

/**
 * POST a multipart/form-data form to `url`: every field of `fields`, then the file as `file`.
 *
 * The form's signed policy admits this key, this content type and at most `max_bytes` bytes.
 */
export interface UploadForm {
  key: string;
  url: string;
  fields: Readonly<Record<string, string>>;
  max_bytes: number;
  expires_in: number;
}

/** GET `url` within `expires_in` seconds. */
export interface DownloadUrl {
  key: string;
  url: string;
  expires_in: number;
}
