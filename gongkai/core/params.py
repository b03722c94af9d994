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
