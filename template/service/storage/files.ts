/**
 * Users' files in the service's bucket.
 *
 * Browsers upload and download straight to and from S3, with the signer's permissions, for a few
 * minutes: uploads with a presigned POST form whose policy admits one key, one content type and a
 * size range, and nothing else; downloads with a presigned GET URL of one key. Large bodies the
 * service itself writes go up as multipart uploads that leave no parts behind when they fail.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { checkContentType, checkOwnKey, uploadKey } from './keys';

export const URL_EXPIRY_SECONDS = 300;
/** S3's minimum, for every part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** A form to POST to `url`: every field of `fields`, then the file (as the field `file`). */
export interface PresignedUpload {
  readonly key: string;
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly expiresIn: number;
}

export interface PresignedDownload {
  readonly key: string;
  readonly url: string;
  readonly expiresIn: number;
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
  readonly logger: Logger;
  readonly #expiresIn: number;

  constructor(options: FileStorageOptions) {
    this.bucketName = options.bucketName;
    this.maxUploadBytes = options.maxUploadBytes;
    this.client = options.client ?? new S3Client();
    this.logger = options.logger ?? new Logger();
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
      maxBytes: this.maxUploadBytes,
      expiresIn: this.#expiresIn,
    };
  }

  /** A URL to GET one of the user's files; ForbiddenKeyError for anyone else's. */
  async presignDownload(request: { userId: string; key: string }): Promise<PresignedDownload> {
    const command = new GetObjectCommand({
      Bucket: this.bucketName,
      Key: checkOwnKey(request.userId, request.key),
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: this.#expiresIn });
    return { key: request.key, url, expiresIn: this.#expiresIn };
  }
}

/**
 * Upload the body to the storage's bucket in parts and return the object's ETag.
 *
 * If anything fails, reading the body included, the upload is aborted, so that S3 keeps (and
 * bills) no orphaned parts, and the error is thrown again. A function rather than a method, so
 * that the bundles of functions that only presign (the API's) leave it out.
 */
export async function uploadMultipart(
  storage: FileStorage,
  request: {
    key: string;
    body: AsyncIterable<Uint8Array>;
    contentType: string;
    partSize?: number;
  },
): Promise<string> {
  const { key, body, contentType, partSize = DEFAULT_PART_SIZE } = request;
  if (partSize < MIN_PART_SIZE) {
    throw new RangeError(`partSize must be at least ${String(MIN_PART_SIZE)} bytes`);
  }
  const { client } = storage;
  const target = { Bucket: storage.bucketName, Key: key };
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ ...target, ContentType: contentType }),
  );
  try {
    const parts: CompletedPart[] = [];
    for await (const chunk of chunks(body, partSize)) {
      const PartNumber = parts.length + 1;
      const { ETag } = await client.send(
        new UploadPartCommand({ ...target, UploadId, PartNumber, Body: chunk }),
      );
      parts.push({ ETag, PartNumber });
    }
    const { ETag } = await client.send(
      new CompleteMultipartUploadCommand({
        ...target,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    if (ETag === undefined) {
      throw new Error(`S3 completed the upload of ${key} without an ETag`);
    }
    return ETag;
  } catch (error) {
    try {
      await client.send(new AbortMultipartUploadCommand({ ...target, UploadId }));
    } catch (abortError) {
      // The caller needs the original error; the bucket's lifecycle rule removes the parts.
      storage.logger.error('Could not abort a multipart upload', {
        key,
        upload_id: UploadId,
        error: abortError,
      });
    }
    throw error;
  }
}

/** The body in chunks of `size` bytes; an empty body is one empty chunk (S3 needs a part). */
async function* chunks(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let yielded = false;
  for await (const piece of body) {
    for (let offset = 0; offset < piece.length;) {
      const taken = piece.subarray(offset, offset + size - pendingBytes);
      pending.push(taken);
      pendingBytes += taken.length;
      offset += taken.length;
      if (pendingBytes === size) {
        yield Buffer.concat(pending);
        [pending, pendingBytes, yielded] = [[], 0, true];
      }
    }
  }
  if (pendingBytes > 0 || !yielded) {
    yield Buffer.concat(pending);
  }
}
