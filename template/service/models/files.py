"""Presigned uploads and downloads of the caller's files, as the API accepts and returns them."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from service.models.text import Text
from service.storage.keys import MAX_FILE_NAME_LENGTH


class UploadRequest(BaseModel):
    """A file the caller is about to upload (POST /me/files/upload-form)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    file_name: Annotated[Text, Field(min_length=1, max_length=MAX_FILE_NAME_LENGTH)]
    content_type: Annotated[Text, Field(min_length=1, max_length=100)]


class UploadForm(BaseModel):
    """POST a multipart/form-data form to `url`: every field of `fields`, then the file as `file`.

    The form's signed policy admits this key, this content type and at most `max_bytes` bytes.
    """

    model_config = ConfigDict(defer_build=True)

    key: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_in: int


class DownloadUrl(BaseModel):
    """GET `url` within `expires_in` seconds."""

    model_config = ConfigDict(defer_build=True)

    key: str
    url: str
    expires_in: int
