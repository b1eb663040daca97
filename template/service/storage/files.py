"""Users' files in the service's bucket.

Browsers upload and download straight to and from S3, with the signer's permissions, for a few
minutes: uploads with a presigned POST form whose policy admits one key, one content type and a
size range, and nothing else; downloads with a presigned GET URL of one key. Large bodies the
service itself writes go up as multipart uploads that leave no parts behind when they fail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

import boto3
from botocore.config import Config

from service.storage.keys import check_content_type, check_own_key, upload_key

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

# Create the S3 client with this: presigned URLs need Signature Version 4, and the regional
# virtual-hosted endpoint spares browsers the redirect (which CORS refuses) of the global one.
S3_CONFIG = Config(signature_version="s3v4", s3={"addressing_style": "virtual"})
URL_EXPIRY_SECONDS = 300
MIN_PART_SIZE = 5 * 1024 * 1024  # S3's minimum, for every part but the last
DEFAULT_PART_SIZE = 8 * 1024 * 1024

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PresignedUpload:
    """A form to POST to `url`: every field of `fields`, then the file (as the field `file`)."""

    key: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_in: int


@dataclass(frozen=True)
class PresignedDownload:
    key: str
    url: str
    expires_in: int


class FileStorage:
    """Presigned URLs and multipart uploads for one bucket.

    Create it once per process, at module scope, with the bucket and size limit the stack sets
    (BUCKET_NAME, MAX_UPLOAD_BYTES): `files = FileStorage(bucket_name=settings.bucket_name,
    max_upload_bytes=settings.max_upload_bytes)`. A client passed in must be created with
    `config=S3_CONFIG`; boto3's default presigns with Signature Version 2.
    """

    def __init__(
        self,
        client: S3Client | None = None,
        *,
        bucket_name: str,
        max_upload_bytes: int,
        expires_in: int = URL_EXPIRY_SECONDS,
    ) -> None:
        self._client = client or boto3.client("s3", config=S3_CONFIG)
        self.bucket_name = bucket_name
        self.max_upload_bytes = max_upload_bytes
        self._expires_in = expires_in

    def presign_upload(self, *, user_id: str, file_name: str, content_type: str) -> PresignedUpload:
        """A form to POST one new file of this content type, up to the size limit, to a new key.

        boto3 adds the bucket, the exact key and the signature's own fields to the policy; S3
        refuses a form with any field the policy does not name, a file of another content type,
        or a size outside the range.
        """
        key = upload_key(user_id, file_name)
        content_type = check_content_type(content_type)
        form = self._client.generate_presigned_post(
            Bucket=self.bucket_name,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, self.max_upload_bytes],
            ],
            ExpiresIn=self._expires_in,
        )
        return PresignedUpload(
            key=key,
            url=form["url"],
            fields=form["fields"],
            max_bytes=self.max_upload_bytes,
            expires_in=self._expires_in,
        )

    def presign_download(self, *, user_id: str, key: str) -> PresignedDownload:
        """A URL to GET one of the user's files; ForbiddenKeyError for anyone else's."""
        url = self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket_name, "Key": check_own_key(user_id, key)},
            ExpiresIn=self._expires_in,
            HttpMethod="GET",
        )
        return PresignedDownload(key=key, url=url, expires_in=self._expires_in)

    def upload_multipart(
        self,
        *,
        key: str,
        body: BinaryIO,
        content_type: str,
        part_size: int = DEFAULT_PART_SIZE,
    ) -> str:
        """Upload the body in parts and return the object's ETag.

        If anything fails, the upload is aborted, so that S3 keeps (and bills) no orphaned
        parts, and the error is raised again.
        """
        if part_size < MIN_PART_SIZE:
            raise ValueError(f"part_size must be at least {MIN_PART_SIZE} bytes")
        upload_id = self._client.create_multipart_upload(
            Bucket=self.bucket_name, Key=key, ContentType=content_type
        )["UploadId"]
        try:
            parts: list[CompletedPartTypeDef] = []
            for number, chunk in enumerate(_chunks(body, part_size), start=1):
                response = self._client.upload_part(
                    Bucket=self.bucket_name,
                    Key=key,
                    UploadId=upload_id,
                    PartNumber=number,
                    Body=chunk,
                )
                parts.append({"ETag": response["ETag"], "PartNumber": number})
            completed = self._client.complete_multipart_upload(
                Bucket=self.bucket_name,
                Key=key,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException:
            self._abort(key, upload_id)
            raise
        return completed["ETag"]

    def _abort(self, key: str, upload_id: str) -> None:
        try:
            self._client.abort_multipart_upload(
                Bucket=self.bucket_name, Key=key, UploadId=upload_id
            )
        except Exception:
            # The caller needs the original error; the bucket's lifecycle rule removes the parts.
            logger.exception("Could not abort multipart upload %s of %s", upload_id, key)


def _chunks(body: BinaryIO, size: int) -> Iterator[bytes]:
    """The body in chunks of `size` bytes; an empty body is one empty chunk (S3 needs a part)."""
    chunk = body.read(size)
    yield chunk
    while chunk := body.read(size):
        yield chunk
