"""Telephone numbers as applicants write them: a mobile number, a landline with its area code
(and an extension), a 400/800 number, or a number abroad or in Hong Kong, Macao or Taiwan in
its international form (+852 …), in any of the usual spellings. One reading for the
application forms (第二十九条: 联系方式), the fax of a fax delivery and the SMS of the outbox."""

from __future__ import annotations

import re
import unicodedata

# What people put between the digits: spaces, hyphens and dashes of every width, dots,
# brackets around the area code.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.·()（）]")
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
# 0 + area code (010, 02x, or three digits from 03 to 09) + a local number of 7 or 8 digits;
# or the international form of the same without the 0.
_LANDLINE = re.compile(r"(?:(?:\+|00)86 ?0?|0)(10|2\d|[3-9]\d\d)(\d{7,8})")
_EXTENSION = re.compile(
    r"^(?P<number>.*\d)\s*(?:转|分机|ext\.?|x|#|-|—)\s*(?P<ext>\d{1,6})$", re.IGNORECASE
)
_SERVICE = re.compile(r"([48]00\d{7})")  # 400 and 800 numbers of organisations
# Elsewhere (Hong Kong +852, Macao +853, Taiwan +886, abroad): the international form.
_ABROAD = re.compile(r"(?:\+|00)(?!86)([1-9]\d{0,2})(\d{6,12})")

PROBLEM = (
    "请填写手机号码（11位，如 13800138000）或带区号的固定电话（如 0571-88888888，"
    "分机写在“转”后）；境外号码请带国家或地区代码，如 +852 91234567。"
)
FAX_PROBLEM = "请填写带区号的传真号码，如 0571-88888888。"


def _digits(value: str) -> tuple[str, str]:
    """(the number's digits, with a + of the international form kept, and the extension)."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    found = _EXTENSION.match(text)
    # An extension follows a whole landline number (area code and local number: 10+ digits).
    if found and len(re.sub(r"\D", "", found.group("number"))) >= 10:
        return _SEPARATORS.sub("", found.group("number")), found.group("ext")
    return _SEPARATORS.sub("", text), ""


def mobile(value: str) -> str:
    """The 11-digit mainland mobile number ``value`` is, or "" when it is none."""
    digits, extension = _digits(value)
    found = _MOBILE.fullmatch(digits)
    return found.group(1) if found and not extension else ""


def is_landline(value: str) -> bool:
    digits, _ = _digits(value)
    if _MOBILE.fullmatch(digits):
        return False
    return bool(_LANDLINE.fullmatch(digits) or _SERVICE.fullmatch(digits))


def is_abroad(value: str) -> bool:
    digits, _ = _digits(value)
    return bool(_ABROAD.fullmatch(digits))


def problem(value: str) -> str:
    """Why ``value`` is not a telephone number one can call, or "" when it is."""
    if mobile(value) or is_landline(value) or is_abroad(value):
        return ""
    return PROBLEM
