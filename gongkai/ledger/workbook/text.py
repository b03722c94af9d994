"""The tables counted from a ledger as aligned plain text, for the command line."""

from __future__ import annotations

from gongkai.law import outcomes
from gongkai.ledger.workbook.layout import APPLICANT_TYPES


def text_table(headers: list[str], rows: list[tuple[str, list]]) -> str:
    """Rows of (label, cells) under ``headers`` as aligned plain text (Chinese characters count
    two columns wide)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def pad(text: str, size: int, right: bool = False) -> str:
        gap = " " * max(0, size - width(text))
        return gap + text if right else text + gap

    first = max([width(label) for label, _cells in rows] or [0])
    sizes = [max(width(h), 4) for h in headers]

    def line(label: str, cells: list) -> str:
        texts = ["" if c is None else str(c) for c in cells]
        row = "  ".join(pad(c, s, True) for c, s in zip(texts, sizes, strict=True))
        return pad(label, first) + "  " + row

    return "\n".join([line("", headers), *(line(label, cells) for label, cells in rows)])


def applications_text(table: dict) -> str:
    """Table 三 as aligned plain text, for the command line."""
    headers = [label for _k, label in APPLICANT_TYPES] + ["总计"]
    return text_table(headers, [(_short_label(k), v) for k, v in table["rows"].items()])


def _short_label(key: str) -> str:
    if key in outcomes.BY_KEY:
        o = outcomes.BY_KEY[key]
        label = o.label if len(o.label) <= 14 else o.label[:13] + "…"
        return f"  {o.group}：{label}" if o.group != o.label else f"  {label}"
    return {
        "received_new": "本年新收",
        "carried_over": "上年结转",
        "total_processed": "  总计（已办结）",
        "carried_forward": "结转下年度",
    }[key]
