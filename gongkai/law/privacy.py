"""Personal data as it may be shown outside the case file: masked (第十五条 个人隐私; the
applicant's identity is needed to handle the case, not to list it)."""

from __future__ import annotations

import datetime as dt
import re

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


def mask_id(value: str) -> str:
    """``110101********1234``: the region and the last four, as on a bank receipt."""
    value = (value or "").strip()
    if len(value) <= 4:
        return "*" * len(value)
    keep = 6 if len(value) >= 15 else 2
    return value[:keep] + "*" * (len(value) - keep - 4) + value[-4:]


def mask_phone(value: str) -> str:
    """``138****8000`` for a mobile number; the last four digits only for anything else."""
    digits = re.sub(r"\D", "", value or "")
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


_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_in_text(text: str) -> str:
    """Mask every ID number and mobile number that appears in free text (an applicant often
    writes them into the request) before the text leaves the case file."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id(m.group()), text or "")
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)
