"""Reading the cells of a spreadsheet a user uploads: the helpers the Excel ledger
(``gongkai.ledger.workbook``) and the catalog importer (``gongkai.catalog.importer``) share.

Plain Python, no Django and no openpyxl: what kind of file the first bytes say it is, how far a
zip archive (an .xlsx is one) would unpack before anything unpacks it, a cell as the user sees
it, and a cell read as a date. The messages the user reads are the caller's: these functions
return what they found, and each caller says it in its own words.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import IO, Any

# --- what the file is -------------------------------------------------------------------

EMPTY = "empty"
XLS = "xls"  # an Excel 97-2003 workbook (an OLE compound file)
ZIP = "zip"  # a zip archive, as an .xlsx workbook is
OTHER = "other"  # anything else: text, CSV, a picture …

XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"
ZIP_SIGNATURE = b"PK"


def signature(head: bytes) -> str:
    """What the first bytes of a file say it is: EMPTY, XLS, ZIP or OTHER."""
    if not head:
        return EMPTY
    if head.startswith(XLS_SIGNATURE):
        return XLS
    if head.startswith(ZIP_SIGNATURE):
        return ZIP
    return OTHER


# --- a zip bomb ---------------------------------------------------------------------------


def zip_sizes(handle: IO[bytes]) -> tuple[int, int] | None:
    """(unpacked, packed) bytes of the members of the zip archive in ``handle``, read from its
    directory without unpacking anything; None when it is not a zip archive. The position of
    ``handle`` is left where it was."""
    import zipfile

    position = handle.tell()
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        handle.seek(position)
        return None
    handle.seek(position)
    return sum(m.file_size for m in members), sum(m.compress_size for m in members)


def too_expanded(unpacked: int, packed: int, *, max_bytes: int, max_ratio: int) -> bool:
    """Whether an archive of these sizes (``zip_sizes``) unpacks to more than ``max_bytes`` or
    more than ``max_ratio`` times its packed size (a "zip bomb")."""
    return unpacked > max_bytes or unpacked / (packed or 1) > max_ratio


# --- a cell as text -----------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as the user sees it, for messages and text columns: "" for an empty cell, a date
    (or a datetime at midnight) as 2024-01-05, 3.0 as 3, text without surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- a cell as a date ---------------------------------------------------------------------

# Why a cell is not a date (the second value ``parse_date`` returns).
NOT_A_DATE = "not a date"
NO_SUCH_DAY = "no such day"  # it is written as a date, but the month or the day is wrong
SERIAL_NUMBER = "serial number"  # a number that looks like an Excel date serial (45296)

_DAY = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
# What may follow the day in a text cell: a time of day, which is ignored. ISO_TIME: after one
# space or a T, seconds may have a fraction. SPACED_TIME: after any spaces or none, whole seconds.
ISO_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
SPACED_TIME = r"(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_PATTERNS: dict[str, re.Pattern] = {}
LAST_SERIAL = 2958465  # 9999-12-31 as an Excel date serial


def _pattern(time: str) -> re.Pattern:
    if time not in _PATTERNS:
        _PATTERNS[time] = re.compile(_DAY + time)
    return _PATTERNS[time]


def parse_date(
    value: Any, *, time: str = ISO_TIME, nfkc: bool = False
) -> tuple[dt.date | None, str]:
    """A cell → (the date, "") or (None, NOT_A_DATE, NO_SUCH_DAY or SERIAL_NUMBER).

    Accepts Excel dates and datetimes, whole numbers such as 20240105, and text such as
    2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日 and 20240105, optionally followed by a time of
    day as ``time`` (ISO_TIME or SPACED_TIME) allows. ``nfkc``: full-width digits and marks
    (２０２４－０１－０５) are read as the ordinary ones. The year is not checked: each caller has
    its own bounds."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, bool):
        return None, NOT_A_DATE
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return None, NOT_A_DATE
        match = _DATE_DIGITS.fullmatch(str(int(value)))
        if match is None:
            if 1 <= value <= LAST_SERIAL:
                return None, SERIAL_NUMBER
            return None, NOT_A_DATE
    elif isinstance(value, str):
        text = value.strip()
        if nfkc:
            text = unicodedata.normalize("NFKC", text)
        match = _pattern(time).fullmatch(text) or _DATE_DIGITS.fullmatch(text)
        if match is None:
            return None, NOT_A_DATE
    else:
        return None, NOT_A_DATE
    year, month, day = (int(part) for part in match.groups()[:3])
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        return None, NO_SUCH_DAY
