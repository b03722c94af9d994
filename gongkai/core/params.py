"""Reading query parameters the public and staff can type anything into."""

from __future__ import annotations


class BadParameter(ValueError):
    """The message says, in Chinese, what the parameter should be."""


def year(text: str | None, *, first: int = 1990, last: int = 2100) -> int | None:
    """``?year=``: None when absent; the year when it is four ASCII digits from ``first`` to
    ``last``; BadParameter otherwise (not "٢٠٢٥" or "²⁰²⁵", which str.isdigit() accepts and int()
    may not, nor thousands of digits)."""
    text = (text or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise BadParameter("年份应为四位数字，如 2025。")
    value = int(text)
    if not first <= value <= last:
        raise BadParameter(f"年份应在 {first} 至 {last} 之间。")
    return value


MAX_PAGE = 1_000_000  # far past the last page of any list here; int() of more digits is slow


def page(text: str | None) -> int | None:
    """``?page=``: None when absent; the page number when it is ASCII digits from 1 to
    MAX_PAGE; BadParameter otherwise (not "٣", "0" or ten thousand digits, which int() refuses
    past 4,300 with a ValueError)."""
    text = (text or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_PAGE))):
        raise BadParameter(f"页码应为 1 至 {MAX_PAGE} 之间的整数。")
    value = int(text)
    if not 1 <= value <= MAX_PAGE:
        raise BadParameter(f"页码应为 1 至 {MAX_PAGE} 之间的整数。")
    return value


def identifier(text: str | None) -> int | None:
    """The id of a record in a query (``?parent=``): None when absent; the number when it is 1
    to 18 ASCII digits (within the database's 64-bit keys); BadParameter otherwise (not "²",
    which str.isdigit() accepts and int() does not)."""
    text = (text or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise BadParameter("编号应为数字。")
    return int(text)
