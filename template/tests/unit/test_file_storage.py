"""Keys, file names and content types of uploads, and the URLs signed for them (no network)."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest

from service.storage import (
    S3_CONFIG,
    FileStorage,
    ForbiddenKeyError,
    InvalidUploadError,
)
from service.storage.keys import check_own_key, safe_file_name, upload_key

MAX_BYTES = 10 * 1024 * 1024


@pytest.fixture
def storage() -> FileStorage:
    return FileStorage(
        boto3.client("s3", config=S3_CONFIG), bucket_name="files", max_upload_bytes=MAX_BYTES
    )


def policy_of(fields: dict[str, str]) -> dict[str, Any]:
    """The upload form's policy document, as S3 reads it from the form."""
    return json.loads(base64.b64decode(fields["policy"]))  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("file_name", "kept"),
    [
        ("report.pdf", "report.pdf"),
        ("Relevé 2024 (1).pdf", "Releve-2024-1-.pdf"),
        ("..hidden.csv", "hidden.csv"),
        ("x" * 200 + ".png", "x" * 96 + ".png"),
    ],
)
def test_file_names_are_kept_in_safe_characters(file_name: str, kept: str) -> None:
    assert safe_file_name(file_name) == kept


@pytest.mark.parametrize(
    "file_name",
    ["", "a" * 256, "../../etc/passwd", "dir\\file.txt", "line\nbreak.txt", "???"],
    ids=["empty", "too long", "path", "windows path", "control character", "no letters"],
)
def test_unusable_file_names_are_refused(file_name: str) -> None:
    with pytest.raises(InvalidUploadError):
        safe_file_name(file_name)


def test_upload_keys_are_unique_and_under_the_users_prefix() -> None:
    first, second = upload_key("alice", "a.pdf"), upload_key("alice", "a.pdf")

    assert first != second
    assert first.startswith("uploads/alice/")
    assert first.endswith("-a.pdf")


@pytest.mark.parametrize("user_id", ["", "../bob", "a.b", "a" * 129, "alice/bob", "alice\n"])
def test_user_ids_that_could_escape_their_prefix_are_refused(user_id: str) -> None:
    with pytest.raises(InvalidUploadError):
        upload_key(user_id, "a.pdf")


def test_a_user_may_read_back_their_own_uploads_only() -> None:
    key = upload_key("alice", "a.pdf")

    assert check_own_key("alice", key) == key
    for user, other in [
        ("bob", key),
        ("alice", "uploads/alice/"),
        ("alice", "uploads/alice/../bob/x.pdf"),
        ("alice", "other/alice/a.pdf"),
    ]:
        with pytest.raises(ForbiddenKeyError):
            check_own_key(user, other)


def test_an_upload_form_admits_one_key_one_content_type_and_a_size_range_only(
    storage: FileStorage,
) -> None:
    upload = storage.presign_upload(
        user_id="alice", file_name="a.pdf", content_type="application/pdf"
    )

    policy = policy_of(upload.fields)
    conditions = policy["conditions"]
    # Exact values only: no `starts-with` condition that would admit other keys or types.
    assert {"bucket": "files"} in conditions
    assert {"key": upload.key} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1, MAX_BYTES] in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]
    # Every other condition is the signature's own, and the form carries exactly what is signed.
    signed = {name for c in conditions if isinstance(c, dict) for name in c}
    assert signed - {"bucket", "key", "Content-Type"} <= {
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-security-token",
    }
    assert set(upload.fields) == signed - {"bucket"} | {"policy", "x-amz-signature"}
    assert upload.key.startswith("uploads/alice/")
    assert upload.max_bytes == MAX_BYTES


def test_an_upload_form_expires_within_minutes(storage: FileStorage) -> None:
    upload = storage.presign_upload(
        user_id="alice", file_name="a.pdf", content_type="application/pdf"
    )

    expiration = datetime.fromisoformat(policy_of(upload.fields)["expiration"])
    assert upload.expires_in == 300
    assert expiration - datetime.now(UTC) <= timedelta(seconds=300)


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/pdf; x=1"])
def test_content_types_off_the_allow_list_are_refused(
    storage: FileStorage, content_type: str
) -> None:
    with pytest.raises(InvalidUploadError, match="content type must be one of"):
        storage.presign_upload(user_id="alice", file_name="a.pdf", content_type=content_type)


def test_download_urls_are_signed_for_the_users_own_files_only(storage: FileStorage) -> None:
    key = upload_key("alice", "a.pdf")

    assert storage.presign_download(user_id="alice", key=key).expires_in == 300
    with pytest.raises(ForbiddenKeyError):
        storage.presign_download(user_id="bob", key=key)


def test_urls_and_forms_are_signed_with_signature_version_4_by_default() -> None:
    storage = FileStorage(bucket_name="files", max_upload_bytes=MAX_BYTES)
    upload = storage.presign_upload(
        user_id="alice", file_name="a.pdf", content_type="application/pdf"
    )
    download = storage.presign_download(user_id="alice", key=upload.key)

    assert upload.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    assert parse_qs(urlsplit(download.url).query)["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
