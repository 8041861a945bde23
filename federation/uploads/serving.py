"""A download of a stored file, for a record the view has already found through federation.scoping.

The file is read through its storage (`FieldFile.open`, i.e. default_storage) and streamed, so S3
(django-storages) serves as well as the disk. Behind nginx, with the file system storage,
settings.UPLOADS_X_ACCEL_REDIRECT names an `internal` location that maps to MEDIA_ROOT: the view still
decides who may download, then hands the sending to nginx with an `X-Accel-Redirect` header (README
"Uploaded files"). From S3 the view streams the file itself: nginx has no MEDIA_ROOT to send from.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from federation.uploads.content import CONTENT_TYPES, kind_of
from federation.uploads.storage import is_file_system

OCTET_STREAM = "application/octet-stream"


def file_response(
    file: FieldFile,
    *,
    filename: str,
    as_attachment: bool = True,
    content_type: str | None = None,
    sniff: bool = False,
) -> HttpResponse:
    """The stored file as a response named `filename` (its original name; Django writes the RFC 5987
    `filename*` for Chinese names). With `sniff`, the type is read from the content (a scan or photo):
    a PDF, JPEG or PNG may be shown inline, anything else (a legacy upload never checked) is only
    ever an octet-stream attachment. A record without its file is a 404."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    if sniff:
        kind = kind_of(handle)
        content_type = CONTENT_TYPES.get(kind) if kind else None
        if content_type is None:
            content_type, as_attachment = OCTET_STREAM, True
    content_type = content_type or mimetypes.guess_type(filename)[0] or OCTET_STREAM
    prefix = getattr(settings, "UPLOADS_X_ACCEL_REDIRECT", "")
    if prefix and is_file_system(file.storage):
        handle.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    else:
        response = FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
