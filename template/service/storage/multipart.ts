/**
 * Multipart uploads of large bodies the service itself writes, which leave no parts behind when
 * they fail.
 *
 * A module of its own rather than methods of FileStorage: the functions that only presign (the
 * API's) do not import it, so their bundles carry none of it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';

import type { FileStorage } from './files';

/** S3's minimum, for every part but the last. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/**
 * Upload the body to the storage's bucket in parts and return the object's ETag.
 *
 * If anything fails, reading the body included, the upload is aborted, so that S3 keeps (and
 * bills) no orphaned parts, and the error is thrown again.
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
      (storage.logger ?? new Logger()).error('Could not abort a multipart upload', {
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
