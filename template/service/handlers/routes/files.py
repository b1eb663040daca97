"""The caller's files: a form to upload one, and a URL to download one of their own.

The API never carries the files themselves: browsers send and fetch them straight to and from
the bucket, within minutes of asking. A key that is not the caller's is answered as one that
does not exist: 404, so that no caller learns about another's files.
"""

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, ServiceError
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from service.handlers.caller import caller_id
from service.handlers.routes.dependencies import files
from service.models.files import DownloadUrl, UploadForm, UploadRequest
from service.storage import ForbiddenKeyError, InvalidUploadError

router = Router()  # type: ignore[no-untyped-call]


@router.post("/upload-form")
def create_upload_form(upload: Annotated[UploadRequest, Body()]) -> UploadForm:
    try:
        presigned = files.presign_upload(
            user_id=caller_id(router.current_event),
            file_name=upload.file_name,
            content_type=upload.content_type,
        )
    except InvalidUploadError as error:
        raise BadRequestError(str(error)) from None
    return UploadForm.model_validate(presigned, from_attributes=True)


@router.get("/download-url")
def create_download_url(key: Annotated[str, Query(min_length=1, max_length=1024)]) -> DownloadUrl:
    try:
        presigned = files.presign_download(user_id=caller_id(router.current_event), key=key)
    except ForbiddenKeyError:
        # Not Powertools' NotFoundError: the app answers that one as an unknown route.
        raise ServiceError(HTTPStatus.NOT_FOUND, "file not found") from None
    return DownloadUrl.model_validate(presigned, from_attributes=True)
