"""Uploaded files kept under their SHA-256: the applicant's or clerk's file name is stored as
data, never used as a path."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile


def store(attachment, upload):
    """Fill and save ``attachment`` (a model with ``file``, ``original_name``,
    ``content_type``, ``size`` and ``sha256``) from one uploaded file checked by its form."""
    content = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    digest = hashlib.sha256(content).hexdigest()
    attachment.original_name = upload.name[-200:]
    attachment.content_type = getattr(upload, "content_type", "") or "application/octet-stream"
    attachment.size = len(content)
    attachment.sha256 = digest
    attachment.file.save(digest, ContentFile(content), save=False)
    attachment.save()
    return attachment
