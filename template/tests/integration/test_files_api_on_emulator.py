"""A browser's round trip through the API and S3 in the emulator: ask, upload, ask, download.

moto's S3 accepts a presigned POST form without checking its policy (key, content type and
size range alike), so the policy itself is checked in tests/unit/test_file_storage.py.
"""

import requests

from tests.api_client import ApiClient

NOTES = {"file_name": "notes.txt", "content_type": "text/plain"}


def _upload(caller: ApiClient, content: bytes) -> str:
    form = caller.post("/me/files/upload-form", NOTES).body
    posted = requests.post(
        form["url"],
        data=form["fields"],
        files={"file": ("notes.txt", content, NOTES["content_type"])},
        timeout=5,
    )
    assert posted.status_code == 204, posted.text
    return str(form["key"])


def test_a_file_uploaded_with_the_apis_form_downloads_with_the_apis_url(
    api: ApiClient, bucket: str
) -> None:
    key = _upload(api, b"hello")

    download = api.get("/me/files/download-url", query={"key": key}).body
    got = requests.get(download["url"], timeout=5)
    assert got.status_code == 200
    assert got.content == b"hello"


def test_another_users_file_is_404_as_if_missing(api: ApiClient, bucket: str) -> None:
    key = _upload(api, b"alice's")
    missing = key.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000-notes.txt"

    for asked in (key, missing):
        response = api.as_user("bob").get("/me/files/download-url", query={"key": asked})
        assert (response.status, response.body["message"]) == (404, "file not found")
