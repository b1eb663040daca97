"""Presigned URLs used over real HTTP, and multipart uploads, against S3 in the emulator."""

import io

import boto3
import pytest
import requests
from mypy_boto3_s3 import S3Client

from service.storage import S3_CONFIG, FileStorage
from service.storage.files import MIN_PART_SIZE


@pytest.fixture
def s3(bucket: str) -> S3Client:
    return boto3.client("s3", config=S3_CONFIG)


@pytest.fixture
def storage(s3: S3Client, bucket: str) -> FileStorage:
    return FileStorage(s3, bucket_name=bucket, max_upload_bytes=1024)


class FailingBody(io.BytesIO):
    """A body whose second read fails, as a dropped connection would."""

    reads = 0

    def read(self, size: int | None = -1, /) -> bytes:
        self.reads += 1
        if self.reads == 2:
            raise OSError("connection reset")
        return super().read(size)


def test_a_presigned_upload_can_be_downloaded_with_a_presigned_url(storage: FileStorage) -> None:
    upload = storage.presign_upload(
        user_id="alice", file_name="notes.txt", content_type="text/plain"
    )

    # A browser's form: the signed fields, then the file. (moto does not check the form's policy.)
    posted = requests.post(
        upload.url,
        data=upload.fields,
        files={"file": ("notes.txt", b"hello", "text/plain")},
        timeout=5,
    )
    assert posted.status_code == 204

    download = storage.presign_download(user_id="alice", key=upload.key)
    got = requests.get(download.url, timeout=5)
    assert got.status_code == 200
    assert got.content == b"hello"
    assert got.headers["Content-Type"] == "text/plain"


def test_a_multipart_upload_puts_every_part(storage: FileStorage, s3: S3Client) -> None:
    body = b"a" * MIN_PART_SIZE + b"b" * 10

    storage.upload_multipart(
        key="uploads/alice/big.csv",
        body=io.BytesIO(body),
        content_type="text/csv",
        part_size=MIN_PART_SIZE,
    )

    stored = s3.get_object(Bucket=storage.bucket_name, Key="uploads/alice/big.csv")
    assert stored["Body"].read() == body
    assert stored["ContentType"] == "text/csv"


def test_a_multipart_upload_failing_midway_is_aborted(storage: FileStorage, s3: S3Client) -> None:
    body = FailingBody(b"a" * MIN_PART_SIZE * 2)

    with pytest.raises(OSError, match="connection reset"):
        storage.upload_multipart(
            key="uploads/alice/broken.csv",
            body=body,
            content_type="text/csv",
            part_size=MIN_PART_SIZE,
        )

    assert s3.list_multipart_uploads(Bucket=storage.bucket_name).get("Uploads", []) == []
    listed = s3.list_objects_v2(Bucket=storage.bucket_name, Prefix="uploads/alice/broken")
    assert listed["KeyCount"] == 0
