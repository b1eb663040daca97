"""Users' files in the service's bucket: presigned upload and download URLs, multipart uploads."""

from service.storage.files import S3_CONFIG, FileStorage, PresignedDownload, PresignedUpload
from service.storage.keys import (
    ALLOWED_CONTENT_TYPES,
    ForbiddenKeyError,
    InvalidUploadError,
)

__all__ = [
    "ALLOWED_CONTENT_TYPES",
    "S3_CONFIG",
    "FileStorage",
    "ForbiddenKeyError",
    "InvalidUploadError",
    "PresignedDownload",
    "PresignedUpload",
]
