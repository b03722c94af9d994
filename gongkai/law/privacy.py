"""Personal data as it may be shown outside the case file (第十五条 个人隐私; the applicant's
identity is needed to handle the case, not to list it): one mask per kind of number and one
finder of ID and mobile numbers in free text. The letters, the back office and the
pre-publication scan all use these. The choices and their sources: docs/law/privacy.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# One character for one character, so that positions in the normalised text are positions in
# the original.
_NORMALISE = str.maketrans(
    {
        **{0xFF10 + i: chr(ord("0") + i) for i in range(10)},
        **{0xFF21 + i: chr(ord("A") + i) for i in range(26)},
        **{0xFF41 + i: chr(ord("a") + i) for i in range(26)},
        0xFF0B: "+",
        0xFF0D: "-",
        0xFF0E: ".",
        0x2010: "-",
        0x2011: "-",
        0x2012: "-",
        0x2013: "-",
        0x3000: " ",
        0x00A0: " ",
    }
)


def normalise(text: str) -> str:
    """Full-width digits, letters, ``＋`` ``－`` ``．`` and dashes as ASCII, the ideographic and
    the no-break space as a space: the same length as ``text``."""
    return text.translate(_NORMALISE)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_problem(value: str) -> str | None:
    """None for a valid 18-digit 居民身份证号码 (GB 11643-1999), else what is wrong."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return "居民身份证号码应为18位，前17位为数字，最后一位为数字或X。"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效。"
    check = _ID_CHECK[sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True)) % 11]
    if value[17] != check:
        return "居民身份证号码校验位不符，请核对。"
    return None


# --- masks ------------------------------------------------------------------------------------

# Characters kept visible of an ID number: the first two (the province) and the last three.
ID_KEEP_START = 2
ID_KEEP_END = 3
# A document number this short or shorter is hidden entirely.
_ID_HIDE_ALL = 5


def normalise_id(value: str) -> str:
    """The number as stored and compared: full-width forms as ASCII, spaces and hyphens
    removed, ``x`` upper case (``110105 19491231 002x`` → ``11010519491231002X``)."""
    return re.sub(r"[\s\-]", "", (value or "").translate(_NORMALISE)).upper()


def mask_id(value: str) -> str:
    """``35*************123``: a 居民身份证号码 (18 or 15 characters) keeps its first two and its
    last three characters. Any other document number (passport, permit) keeps only its last
    three; up to five characters nothing is kept."""
    value = normalise_id(value)
    if len(value) <= _ID_HIDE_ALL:
        return "*" * len(value)
    keep = ID_KEEP_START if len(value) >= 15 else 0
    return value[:keep] + "*" * (len(value) - keep - ID_KEEP_END) + value[-ID_KEEP_END:]


def mask_phone(value: str) -> str:
    """``138****1234`` for a mobile number (after ``+86`` or ``0086`` too); the last four
    digits only for anything else."""
    digits = re.sub(r"\D", "", normalise(value or ""))
    if len(digits) in (13, 15) and re.fullmatch(r"(?:00)?861\d{10}", digits):
        digits = digits[-11:]
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_email(value: str) -> str:
    local, _, domain = (value or "").partition("@")
    if not domain:
        return mask_phone(value)
    return f"{local[:1]}***@{domain}"


# What the masks produce, for the pages that explain the form (computed, never restated).
MASK_EXAMPLES = {
    "mobile": mask_phone("13800001234"),
    "resident_id": mask_id("35" + "0" * 13 + "123"),
}


# --- finding numbers in text ------------------------------------------------------------------

# A number is found only as a whole: it must not touch another digit or a Latin letter on
# either side (a longer digit run, ``P020230512345678.pdf``, a hash), nor continue as a decimal.
NUMBER_BEFORE = r"(?<![0-9A-Za-z])(?<![0-9]\.)"
NUMBER_AFTER = r"(?![0-9A-Za-z])(?!\.[0-9])"

_RESIDENT_ID = re.compile(
    NUMBER_BEFORE
    + r"(?:[0-9]{17}[0-9Xx]|[0-9]{15}|[0-9]{6}([ -])[0-9]{8}\1[0-9]{3}[0-9Xx])"
    + NUMBER_AFTER
)
_MOBILE = re.compile(
    NUMBER_BEFORE
    + r"(?P<prefix>(?:\+|00)?86[ -]?|[(（](?:\+|00)?86[)）] ?)?"
    + r"(?:1[3-9][0-9]{9}|1[3-9][0-9]([ -])[0-9]{4}\2[0-9]{4})"
    + NUMBER_AFTER
)
_SEPARATORS = re.compile(r"[^0-9X]")

# First two digits of a 居民身份证号码: the province-level 行政区划代码 (GB/T 2260), 71 台湾,
# 81 香港, 82 澳门, 83 for the residence permits of Taiwan residents; 9 starts the permanent
# residence ID card of foreigners.
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_EARLIEST_BIRTH = dt.date(1900, 1, 1)


def digits_of(number: str) -> str:
    """Digits (and the check character ``X``) of a number as matched in normalised text."""
    return _SEPARATORS.sub("", number.upper())


def is_resident_id(digits: str, today: dt.date | None = None) -> bool:
    """Whether 18 or 15 characters (no separators) can be a 居民身份证号码: a province-level
    region code (or 9), a date of birth that exists and lies between 1900-01-01 and ``today``
    (15 digits: 19YY), and for 18 characters the GB 11643-1999 check character."""
    if len(digits) not in (15, 18):
        return False
    if digits[:2] not in _PROVINCES and digits[0] != "9":
        return False
    if len(digits) == 18:
        if resident_id_problem(digits) is not None:
            return False
        year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    else:
        if not digits.isdigit():
            return False
        year, month, day = 1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return _EARLIEST_BIRTH <= born <= (today or dt.date.today())


@dataclass(frozen=True)
class Number:
    """A personal number found in a text: ``text[start:end]`` as written (with separators and,
    for a mobile, the country code), ``digits`` without them, ``masked`` its mask."""

    kind: str  # "resident_id" or "mobile"
    start: int
    end: int
    digits: str
    masked: str


def find_resident_ids(text: str, today: dt.date | None = None) -> Iterator[Number]:
    """Every 居民身份证号码 in ``text``: 18 characters (``x`` read as ``X``), plain or grouped
    6-8-4 with one kind of separator (space or hyphen), or 15 digits of the pre-1999 form;
    each must pass :func:`is_resident_id`."""
    today = today or dt.date.today()
    for match in _RESIDENT_ID.finditer(normalise(text or "")):
        digits = digits_of(match.group())
        if is_resident_id(digits, today):
            yield Number("resident_id", match.start(), match.end(), digits, mask_id(digits))


def find_mobiles(text: str) -> Iterator[Number]:
    """Every mobile number in ``text``: 11 digits ``1[3-9]…``, plain or grouped 3-4-4 with one
    kind of separator, optionally after ``+86``, ``0086``, ``86`` or ``(+86)``."""
    normal = normalise(text or "")
    for match in _MOBILE.finditer(normal):
        start, end = match.span()
        national = digits_of(normal[match.end("prefix") if match.group("prefix") else start : end])
        yield Number("mobile", start, end, national, mask_phone(national))


def find_numbers(text: str, today: dt.date | None = None) -> list[Number]:
    """ID and mobile numbers in ``text``, by position; where they overlap the ID wins."""
    ids = list(find_resident_ids(text, today))
    starts = [n.start for n in ids]
    found = list(ids)
    for mobile in find_mobiles(text):
        i = bisect.bisect_left(starts, mobile.end)  # the IDs that start before the mobile ends
        if i == 0 or ids[i - 1].end <= mobile.start:
            found.append(mobile)
    return sorted(found, key=lambda n: n.start)


_MIN_KNOWN = 6


def mask_in_text(text: str, *, known: Iterable[str] = ()) -> str:
    """``text`` with every ID number and mobile number it contains replaced by its mask (an
    applicant often writes them into the request), before the text leaves the case file.

    ``known``: document numbers masked with :func:`mask_id` wherever they stand as a whole
    (ignoring case), whatever their type: the applicant's own passport number is no resident
    ID, and the finder would not see it. Values shorter than six characters are ignored."""
    text = text or ""
    for value in known:
        value = normalise_id(value)
        if len(value) >= _MIN_KNOWN:
            pattern = re.compile(NUMBER_BEFORE + re.escape(value) + NUMBER_AFTER, re.IGNORECASE)
            for match in reversed(list(pattern.finditer(normalise(text)))):
                text = text[: match.start()] + mask_id(value) + text[match.end() :]
    for number in reversed(find_numbers(text)):
        text = text[: number.start] + number.masked + text[number.end :]
    return text
