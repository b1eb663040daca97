"""The API's /me/files routes: presigned forms and URLs for good requests, 4xx answers to bad ones."""

import base64
import json
from typing import Any

import pytest

from service.storage.keys import upload_key
from tests.api_client import ApiClient

UPLOAD = {"file_name": "invoice.pdf", "content_type": "application/pdf"}


def test_an_upload_form_is_a_post_of_one_key_under_the_callers_prefix(api: ApiClient) -> None:
    response = api.post("/me/files/upload-form", UPLOAD)

    assert response.status == 200
    form = response.body
    assert form["key"].startswith("uploads/alice/")
    assert form["fields"]["key"] == form["key"]
    assert form["fields"]["Content-Type"] == "application/pdf"
    assert form["max_bytes"] == 1024
    assert form["expires_in"] == 300
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    assert ["content-length-range", 1, 1024] in policy["conditions"]


def test_each_caller_uploads_under_their_own_prefix(api: ApiClient) -> None:
    response = api.as_user("bob").post("/me/files/upload-form", UPLOAD)
    assert response.body["key"].startswith("uploads/bob/")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({**UPLOAD, "content_type": "text/html"}, 400),
        ({**UPLOAD, "file_name": "../../etc/passwd"}, 400),
        ({"file_name": "invoice.pdf"}, 422),
        ({**UPLOAD, "key": "uploads/bob/x.pdf"}, 422),
        ("not json", 400),
    ],
    ids=[
        "content type off the list",
        "path as file name",
        "missing field",
        "a key of ones own choosing",
        "not json",
    ],
)
def test_a_bad_upload_request_is_refused(api: ApiClient, body: Any, status: int) -> None:
    assert api.post("/me/files/upload-form", body).status == status


def test_a_download_url_is_signed_for_the_callers_own_file(api: ApiClient) -> None:
    key = upload_key("alice", "invoice.pdf")

    response = api.get("/me/files/download-url", query={"key": key})

    assert response.status == 200
    assert response.body["key"] == key


@pytest.mark.parametrize(
    "key",
    [upload_key("bob", "invoice.pdf"), "uploads/alice/../bob/x.pdf", "other/alice/a.pdf"],
    ids=["another user's", "path", "outside the uploads"],
)
def test_a_download_url_for_a_key_that_is_not_the_callers_is_404(api: ApiClient, key: str) -> None:
    response = api.get("/me/files/download-url", query={"key": key})
    assert (response.status, response.body["message"]) == (404, "file not found")


def test_a_download_url_without_a_key_is_refused(api: ApiClient) -> None:
    assert api.get("/me/files/download-url").status == 422
