"""The upload form of the checker's page in the back office (``office:checker``).

The form reads the uploads into memory, opens zip archives (``batch.uploads``) and enforces
the limits of one request; it keeps nothing. ``cleaned_data["items"]`` and
``cleaned_data["previous_items"]`` are the reports to check, as ``batch.Input``.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import PurePosixPath

from django import forms
from django.conf import settings

from gongkai.checker import batch

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 50 * MB  # all the files of one request together, as uploaded
MAX_EXPANDED_BYTES = 100 * MB  # the same after opening the zip archives
MAX_REPORTS = 200  # reports of one request, zip members and last year's reports included
ACCEPT = ".txt,.md,.html,.htm,.shtml,.xhtml,.docx,.pdf,.zip"


def megabytes(size: int) -> str:
    return f"{size / MB:.1f}"


def max_files() -> int:
    """How many files one request may carry: Django refuses more than
    ``DATA_UPLOAD_MAX_NUMBER_FILES`` before any view runs."""
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    return MAX_REPORTS if limit is None else min(limit, MAX_REPORTS)


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files under one name; cleans to a list of uploaded files."""

    widget = _MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return files


def _expanded_size(data: bytes) -> int:
    """An upper bound of what ``batch.uploads`` holds in memory for this upload: the declared
    size of every report in it if it is a zip archive (zipfile never gives more than the
    declared size), else the upload itself. Counted from the archive's directory, before
    anything is decompressed."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return len(data)  # not an archive: read as one report (UNREADABLE says why if need be)
    if any(info.filename == "word/document.xml" for info in members):
        return len(data)  # a Word file: one report, which reading.py reads within its limits
    return sum(
        info.file_size
        for info in members
        if not info.is_dir() and PurePosixPath(info.filename).suffix.lower() in batch.SUFFIXES
    )


def _open(files: Iterable[tuple[str, bytes]]) -> list[batch.Input]:
    """``batch.uploads`` one upload at a time, so that a damaged archive is named."""
    items: list[batch.Input] = []
    for name, data in files:
        try:
            items.extend(batch.uploads([(name, data)]))
        except batch.InputError as exc:
            raise forms.ValidationError(str(exc), code="archive") from None
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            RuntimeError,  # encrypted member
            NotImplementedError,  # a compression method zipfile does not know
            ValueError,
        ):
            raise forms.ValidationError(
                f"无法解压“{name}”：压缩包已损坏、设置了密码，或使用了不支持的压缩方式。"
                "请重新打包（zip 格式，不加密码）后再上传。",
                code="archive",
            ) from None
    return items


class CheckForm(forms.Form):
    reports = MultipleFileField(
        label="要检查的报告",
        allow_empty_file=True,  # an empty file is reported as unreadable, like the CLI does
        error_messages={"required": "请选择要检查的报告文件。"},
        widget=_MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    previous = MultipleFileField(
        label="上一年度报告（可选）",
        required=False,
        allow_empty_file=True,
        help_text=(
            "用于核对表三“上年结转”是否等于上一年度报告的“结转下年度”。"
            "可选多份或一个 zip；按机关名称和年度自动对应。"
        ),
        widget=_MultipleFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, refused: str | None = None, **kwargs):
        """``refused``: why the request was not read at all (too large, too many files); the
        form then shows that message at the file input."""
        super().__init__(*args, **kwargs)
        self.refused = refused
        self.fields["reports"].help_text = (
            "可一次选择多个文件，或 zip 压缩包。支持 .txt、.md、.html/.htm、.docx、.pdf；"
            f"一次最多 {max_files()} 个文件、合计 {MAX_UPLOAD_BYTES // MB} MB，"
            f"更多的报告请打包成 zip（一次最多检查 {MAX_REPORTS} 份）。"
        )
        if refused:
            self.fields["reports"].required = False

    def clean(self):
        cleaned = super().clean()
        if self.refused:
            self.add_error("reports", self.refused)
            return cleaned
        reports = cleaned.get("reports") or []
        previous = cleaned.get("previous") or []
        if "reports" in self.errors or "previous" in self.errors:
            return cleaned
        size = sum(f.size for f in [*reports, *previous])
        if size > MAX_UPLOAD_BYTES:
            self.add_error(
                "reports",
                f"所选文件合计 {megabytes(size)} MB，超过一次 {MAX_UPLOAD_BYTES // MB} MB 的上限。"
                "请分批检查。",
            )
            return cleaned
        uploads = [(f.name, f.read()) for f in reports]
        last_year = [(f.name, f.read()) for f in previous]
        expanded = sum(_expanded_size(data) for _name, data in [*uploads, *last_year])
        if expanded > MAX_EXPANDED_BYTES:
            self.add_error(
                "reports",
                f"压缩包解压后的报告合计 {megabytes(expanded)} MB，超过一次 "
                f"{MAX_EXPANDED_BYTES // MB} MB 的上限，未解压。请分批检查。",
            )
            return cleaned
        try:
            items = _open(uploads)
        except forms.ValidationError as exc:
            self.add_error("reports", exc)
            return cleaned
        try:
            previous_items = _open(last_year)
        except forms.ValidationError as exc:
            self.add_error("previous", exc)
            return cleaned
        if not items:
            self.add_error(
                "reports",
                "所选文件中没有可检查的报告：压缩包中只读取 .txt、.md、.html、.docx、.pdf 文件。",
            )
            return cleaned
        count = len(items) + len(previous_items)
        if count > MAX_REPORTS:
            self.add_error(
                "reports",
                f"共 {count} 份报告（含压缩包中的文件和上一年度报告），"
                f"超过一次 {MAX_REPORTS} 份的上限。请分批检查。",
            )
            return cleaned
        cleaned["items"] = items
        cleaned["previous_items"] = previous_items
        return cleaned
