"""Form pieces every part of the site uses: the date input, and attachments with the one set
of upload rules (type checked by the first bytes, size, number) for applications, the case
file and the catalog."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What an applicant may attach (an ID card scan, a letter, a document): checked by the
# file's first bytes, not by its name.
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
}


def date_field(label: str, **kwargs) -> forms.DateField:
    """A date picked with the browser's own date input (ISO value, as the input requires)."""
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(f"最多上传 {MAX_ATTACHMENTS} 个附件。")
        for upload in files:
            check_attachment(upload)
        return files


def check_attachment(upload) -> None:
    name = upload.name or ""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError(f"附件“{name}”的类型不受理：只接受 PDF、JPG、PNG 和 DOCX 文件。")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"附件“{name}”超过 10 MB。")
    if upload.size == 0:
        raise ValidationError(f"附件“{name}”是空文件。")
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ATTACHMENT_TYPES[suffix]):
        raise ValidationError(f"附件“{name}”的内容与扩展名不符，可能已损坏。")
