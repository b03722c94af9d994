"""Telephone numbers as Chinese applicants write them: a mobile number, or a landline with its
area code (and an extension), in any of the usual spellings. One reading for the application
forms (第二十九条: 联系方式), the fax of a fax delivery and the SMS of the outbox."""

from __future__ import annotations

import re
import unicodedata

# What people put between the digits: spaces, hyphens, dots, brackets around the area code.
_SEPARATORS = re.compile(r"[\s\-.·()（）]")
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
# 0 + area code (010, 02x, 0xxx) + a local number of 7 or 8 digits; or the international form
# without the 0; an extension after 转, ext or a second hyphen.
_LANDLINE = re.compile(r"(?:(?:\+?86|0086)0?|0)([1-9]\d{1,2})(\d{7,8})")
_EXTENSION = re.compile(
    r"^(?P<number>.*\d)\s*(?:转|ext\.?|x|#|-)\s*(?P<ext>\d{1,6})$", re.IGNORECASE
)
_SERVICE = re.compile(r"([48]00\d{7})")  # 400 and 800 numbers of organisations

PROBLEM = (
    "请填写手机号码（11位，如 13800138000）或带区号的固定电话（如 0571-88888888，分机写在“转”后）。"
)
FAX_PROBLEM = "请填写带区号的传真号码，如 0571-88888888。"


def _digits(value: str) -> tuple[str, str]:
    """(the number's digits, with a country prefix as typed, and the extension)."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    found = _EXTENSION.match(text)
    # An extension follows a whole landline number (area code and local number: 10+ digits).
    if found and len(_SEPARATORS.sub("", found.group("number"))) >= 10:
        return _SEPARATORS.sub("", found.group("number")), found.group("ext")
    return _SEPARATORS.sub("", text), ""


def mobile(value: str) -> str:
    """The 11-digit mobile number ``value`` is, or "" when it is none."""
    digits, extension = _digits(value)
    found = _MOBILE.fullmatch(digits)
    return found.group(1) if found and not extension else ""


def is_landline(value: str) -> bool:
    digits, _ = _digits(value)
    if _MOBILE.fullmatch(digits):
        return False
    return bool(_LANDLINE.fullmatch(digits) or _SERVICE.fullmatch(digits))


def problem(value: str) -> str:
    """Why ``value`` is not a telephone number one can call, or "" when it is."""
    if mobile(value) or is_landline(value):
        return ""
    return PROBLEM
