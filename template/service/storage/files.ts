/**
 * Users' files in the service's bucket.
 *
 * Browsers upload and download straight to and from S3, with the signer's permissions, for a few
 * minutes: uploads with a presigned POST form whose policy admits one key, one content type and a
 * size range, and nothing else; downloads with a presigned GET URL of one key. Large bodies the
 * service itself writes go up as multipart uploads (multipart.ts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { checkContentType, checkOwnKey, uploadKey } from './keys';

export const URL_EXPIRY_SECONDS = 300;

/**
 * A form to POST to `url`: every field of `fields`, then the file (as the field `file`). Named as
 * the API returns it (UploadForm), as is PresignedDownload (DownloadUrl).
 */
export interface PresignedUpload {
  readonly key: string;
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly max_bytes: number;
  readonly expires_in: number;
}

export interface PresignedDownload {
  readonly key: string;
  readonly url: string;
  readonly expires_in: number;
}

export interface FileStorageOptions {
  readonly bucketName: string;
  readonly maxUploadBytes: number;
  /** SDK v3 signs with Signature Version 4 and addresses the bucket's regional endpoint. */
  readonly client?: S3Client;
  readonly expiresIn?: number;
  /** Where a multipart upload's failed abort is reported; a function passes its own logger. */
  readonly logger?: Logger;
}

/**
 * Presigned URLs for one bucket, and the client and logger its multipart uploads use.
 *
 * Create it once per execution environment, at module scope, with the bucket and size limit the
 * stack sets (BUCKET_NAME, MAX_UPLOAD_BYTES):
 *
 *     const files = new FileStorage({
 *       bucketName: settings.bucketName,
 *       maxUploadBytes: settings.maxUploadBytes,
 *     });
 */
export class FileStorage {
  readonly bucketName: string;
  readonly maxUploadBytes: number;
  readonly client: S3Client;
  readonly logger: Logger | undefined;
  readonly #expiresIn: number;

  constructor(options: FileStorageOptions) {
    this.bucketName = options.bucketName;
    this.maxUploadBytes = options.maxUploadBytes;
    this.client = options.client ?? new S3Client();
    this.logger = options.logger;
    this.#expiresIn = options.expiresIn ?? URL_EXPIRY_SECONDS;
  }

  /**
   * A form to POST one new file of this content type, up to the size limit, to a new key.
   *
   * The SDK adds the bucket, the exact key and the signature's own fields to the policy; S3
   * refuses a form with any field the policy does not name, a file of another content type, or a
   * size outside the range.
   */
  async presignUpload(request: {
    userId: string;
    fileName: string;
    contentType: string;
  }): Promise<PresignedUpload> {
    const key = uploadKey(request.userId, request.fileName);
    const contentType = checkContentType(request.contentType);
    const form = await createPresignedPost(this.client, {
      Bucket: this.bucketName,
      Key: key,
      Fields: { 'Content-Type': contentType },
      Conditions: [
        { 'Content-Type': contentType },
        ['content-length-range', 1, this.maxUploadBytes],
      ],
      Expires: this.#expiresIn,
    });
    return {
      key,
      url: form.url,
      fields: form.fields,
      max_bytes: this.maxUploadBytes,
      expires_in: this.#expiresIn,
    };
  }

  /** A URL to GET one of the user's files; ForbiddenKeyError for anyone else's. */
  async presignDownload(request: { userId: string; key: string }): Promise<PresignedDownload> {
    const command = new GetObjectCommand({
      Bucket: this.bucketName,
      Key: checkOwnKey(request.userId, request.key),
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: this.#expiresIn });
    return { key: request.key, url, expires_in: this.#expiresIn };
  }
}
