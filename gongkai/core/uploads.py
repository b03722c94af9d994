"""Uploaded files kept under their SHA-256: the applicant's or clerk's file name is stored as
data, never used as a path.

Files are reached only through the storage API (``save``, ``open``, ``delete``), never by a
path on disk, so that the same code serves the data folder and an S3 bucket
(``config.file_storage``). A file is stored before the transaction that records it commits;
``atomic()`` deletes it again when that transaction does not commit.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import mimetypes

from django.core.files.base import ContentFile
from django.db import connection, transaction

log = logging.getLogger(__name__)

# (storage, name) of each file stored inside the innermost ``atomic()`` block of this thread.
_stored: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "gongkai_uploads_stored", default=None
)


@contextlib.contextmanager
def atomic():
    """``transaction.atomic()`` for work that stores files (usable as a decorator): when the
    block does not commit — an exception leaves it, or the commit itself fails — the files
    stored in it are deleted from the storage after the rollback, so a failed submission
    leaves no file in the data folder and no object in the bucket.

    Nested in another ``atomic()`` block, the outer one decides. A plain
    ``transaction.atomic()`` around it is not seen: if that outer block rolls back after this
    one succeeded, the files stay. So a caller that wraps a service in a transaction of its
    own uses ``uploads.atomic()`` for it, and ``store`` refuses to run in a transaction
    without one."""
    stored: list = []
    token = _stored.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _stored.reset(token)
        discard(stored)
        raise
    _stored.reset(token)
    outer = _stored.get()
    if outer is not None:
        outer.extend(stored)


def discard(stored) -> None:
    """Delete the files of a transaction that did not commit. A storage that fails now (the
    service went away) is logged with the names, never raised over the first error."""
    for storage, name in stored:
        try:
            storage.delete(name)
        except Exception:
            log.exception("could not delete %s, stored by a transaction that did not commit", name)


def store(attachment, upload):
    """Fill and save ``attachment`` (a model with ``file``, ``original_name``,
    ``content_type``, ``size`` and ``sha256``) from one uploaded file checked by its form.

    Inside a transaction the caller must hold an ``atomic()`` block (the services do), or a
    rollback would leave the file without its row."""
    tracker = _stored.get()
    if tracker is None and connection.in_atomic_block:
        raise RuntimeError("uploads.store() in a transaction needs an uploads.atomic() block")
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
    stored = (attachment.file.storage, attachment.file.name)
    try:
        attachment.save()
    except BaseException:
        discard([stored])
        raise
    if tracker is not None:
        tracker.append(stored)
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
    plain bytes. The bytes are streamed from the storage (the data folder or the bucket) by
    this response, after the caller's permission check: a stored file never has a public
    address. Raises Http404 when the file is missing from the storage."""
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
