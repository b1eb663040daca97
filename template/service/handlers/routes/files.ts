/**
 * The caller's files: a form to upload one, and a URL to download one of their own.
 *
 * The API never carries the files themselves: browsers send and fetch them straight to and from
 * the bucket, within minutes of asking. A key that is not the caller's is answered as one that
 * does not exist: 404, so that no caller learns about another's files.
 */
import {
  BadRequestError,
  HttpError,
  HttpStatusCodes,
  Router,
} from '@aws-lambda-powertools/event-handler/http';
import * as z from 'zod/mini';

import { type DownloadUrl, type UploadForm, UploadRequest } from '../../models/files';
import { ForbiddenKeyError, InvalidUploadError } from '../../storage/keys';
import { callerId } from '../caller';
import { jsonBody } from '../request-body';
import { files } from './dependencies';

export const router = new Router();

export const DownloadQuery = z.object({
  key: z.string().check(z.minLength(1), z.maxLength(1024)),
});

/** Not Powertools' NotFoundError: the API answers that one as an unknown route. */
class FileNotFoundError extends HttpError {
  readonly statusCode = HttpStatusCodes.NOT_FOUND;
  readonly errorType = 'FileNotFoundError';

  constructor() {
    super('file not found');
  }
}

router.post(
  '/upload-form',
  [jsonBody],
  async ({ event, valid }) => {
    const userId = callerId(event);
    const request = valid.req.body;
    try {
      const upload = await files.presignUpload({
        userId,
        fileName: request.file_name,
        contentType: request.content_type,
      });
      const form: UploadForm = {
        key: upload.key,
        url: upload.url,
        fields: upload.fields,
        max_bytes: upload.maxBytes,
        expires_in: upload.expiresIn,
      };
      return Response.json(form);
    } catch (error) {
      if (error instanceof InvalidUploadError) {
        throw new BadRequestError(error.message);
      }
      throw error;
    }
  },
  { validation: { req: { body: UploadRequest } } },
);

router.get(
  '/download-url',
  async ({ event, valid }) => {
    const userId = callerId(event);
    try {
      const download = await files.presignDownload({ userId, key: valid.req.query.key });
      const url: DownloadUrl = {
        key: download.key,
        url: download.url,
        expires_in: download.expiresIn,
      };
      return Response.json(url);
    } catch (error) {
      if (error instanceof ForbiddenKeyError) {
        throw new FileNotFoundError();
      }
      throw error;
    }
  },
  { validation: { req: { query: DownloadQuery } } },
);
