/**
 * The caller's files: a form to upload one, and a URL to download one of their own.
 *
 * The API never carries the files themselves: browsers send and fetch them straight to and from
 * the bucket, within minutes of asking. A key that is not the caller's is answered as one that
 * does not exist: 404, so that no caller learns about another's files.
 */

import { type DownloadUrl, type UploadForm, UploadRequest } from '../../models/files';
import { z } from '../../models/zod';
import { ForbiddenKeyError, InvalidUploadError } from '../../storage/keys';
import { callerId } from '../caller';
import { BadRequestError, HttpStatusCodes, HttpStatusError, Router } from '../http';
import { jsonBody } from '../request-body';
import { files } from './dependencies';

export const router = new Router();

export const DownloadQuery = z.object({
  key: z.string().check(z.minLength(1), z.maxLength(1024)),
});

router.post(
  '/upload-form',
  [jsonBody],
  async ({ event, valid }) => {
    const userId = callerId(event);
    const request = valid.req.body;
    try {
      const form: UploadForm = await files.presignUpload({
        userId,
        fileName: request.file_name,
        contentType: request.content_type,
      });
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
      const url: DownloadUrl = await files.presignDownload({ userId, key: valid.req.query.key });
      return Response.json(url);
    } catch (error) {
      if (error instanceof ForbiddenKeyError) {
        // Not Powertools' NotFoundError: the API answers that one as an unknown route.
        throw new HttpStatusError(HttpStatusCodes.NOT_FOUND, 'file not found');
      }
      throw error;
    }
  },
  { validation: { req: { query: DownloadQuery } } },
);
