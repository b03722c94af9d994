"""Uploaded files kept under their SHA-256: the applicant's or clerk's file name is stored as
data, never used as a path."""

from __future__ import annotations

import hashlib
import mimetypes

from django.core.files.base import ContentFile


def store(attachment, upload):
    """Fill and save ``attachment`` (a model with ``file``, ``original_name``,
    ``content_type``, ``size`` and ``sha256``) from one uploaded file checked by its form."""
    content = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    digest = hashlib.sha256(content).hexdigest()
    attachment.original_name = upload.name[-200:]
    # The type follows the file name the form checked (its content matches its suffix), never
    # the text the browser sent, which can be anything and any length.
    guessed, _ = mimetypes.guess_type(attachment.original_name, strict=True)
    attachment.content_type = (guessed or "application/octet-stream")[:100]
    attachment.size = len(content)
    attachment.sha256 = digest
    attachment.file.save(digest, ContentFile(content), save=False)
    attachment.save()
    return attachment


# Types a browser would run or render as a page: never served as themselves.
ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "text/javascript",
}


def download(attachment):
    """The stored file as a download under its original name. The content type is the one
    recorded at upload (from the checked file name), except that an active type is served as
    plain bytes. Raises Http404 when the file is missing on disk."""
    from django.http import FileResponse, Http404

    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404("附件文件不存在。") from None
    content_type = attachment.content_type or "application/octet-stream"
    if content_type.split(";")[0].strip().lower() in ACTIVE_TYPES:
        content_type = "application/octet-stream"
    return FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=content_type
    )
