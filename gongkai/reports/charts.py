"""Small bar charts of an annual report's figures as inline SVG, drawn on the server.

Plain Python, no Django, no JavaScript and no chart library. Each chart is one ``<svg>`` with
``role="img"`` and a ``<title>`` and ``<desc>`` that say every value, for screen readers; the
page puts the same numbers in a table beside it. The charts scale to the width of their
container (a ``viewBox`` and ``width="100%"``) and use presentation attributes only (``fill``,
``font-size``): the site's Content-Security-Policy blocks inline ``style``.

A value of None is unknown (a blank cell of the report): it gets no bar and is shown as "—",
never as 0. Every text is escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

# Colours with at least 3:1 against white for the bars (WCAG 1.4.11) and 16:1 for the text.
BAR = "#9f1c1c"  # the site's red, 7.6:1
BAR_PREVIOUS = "#6e6e73"  # grey, 5.1:1; the rows also say which year each bar is
INK = "#1d1d1f"
AXIS = "#8a8a8e"
UNKNOWN = "—"

# Units of the viewBox. The page draws a chart at most 26rem wide and on a phone at the
# width of the screen: the text is then about 14 to 17 pixels high.
WIDTH = 400
FONT = 16
LABEL_WIDTH = 80  # four Chinese characters, or "2025年", and a gap
VALUE_SPACE = 56  # room after the longest bar for its number
BAR_HEIGHT = 20
ROW = 32
PAD = 8

_ID = re.compile(r"[^A-Za-z0-9_-]")


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _number(value: int | None) -> str:
    return UNKNOWN if value is None else str(value)


def _known(value) -> int | None:
    """A count that can be drawn: a whole number that is not negative."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _scale(values: Sequence[int | None]) -> float:
    """Units of width per count: the largest value fills the bar area."""
    largest = max((v for v in (_known(x) for x in values) if v is not None), default=0)
    area = WIDTH - LABEL_WIDTH - VALUE_SPACE - PAD
    return area / largest if largest else 0.0


def _open(chart_id: str, height: int, title: str, desc: str) -> list[str]:
    chart_id = _ID.sub("", chart_id) or "chart"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-size="{FONT}" fill="{INK}">',
        f'<title id="{chart_id}-title">{_esc(title)}</title>',
        f'<desc id="{chart_id}-desc">{_esc(desc)}</desc>',
    ]


def _bar(y: float, value: int | None, scale: float, colour: str) -> list[str]:
    """One bar starting at the axis, with its number after it (or "—" when unknown)."""
    known = _known(value)
    width = round(known * scale, 1) if known is not None else 0
    out = []
    if width:
        out.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"/>'
        )
    out.append(
        f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR_HEIGHT / 2}" '
        f'dominant-baseline="central">{_esc(_number(value))}</text>'
    )
    return out


def _label(y: float, text: str, *, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{LABEL_WIDTH - 8}" y="{y}" text-anchor="end" '
        f'dominant-baseline="central"{weight}>{_esc(text)}</text>'
    )


def _axis(top: float, bottom: float) -> str:
    return (
        f'<line x1="{LABEL_WIDTH}" y1="{top}" x2="{LABEL_WIDTH}" y2="{bottom}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )


def describe(rows: Sequence[tuple[str, int | None]], unit: str = "件") -> str:
    """The values in words, for the ``<desc>``: "予以公开 12件；部分公开 3件；…"."""
    return "；".join(
        f"{label} {_number(value)}{unit if value is not None else ''}" for label, value in rows
    )


def horizontal_bars(
    rows: Sequence[tuple[str, int | None]],
    *,
    chart_id: str,
    title: str,
    desc: str | None = None,
    unit: str = "件",
) -> str:
    """One bar per (label, value), top to bottom."""
    values = [value for _label_, value in rows]
    scale = _scale(values)
    height = PAD * 2 + ROW * len(rows)
    out = _open(chart_id, height, title, desc if desc is not None else describe(rows, unit))
    for index, (label, value) in enumerate(rows):
        y = PAD + index * ROW + (ROW - BAR_HEIGHT) / 2
        out.append(_label(y + BAR_HEIGHT / 2, label))
        out += _bar(y, value, scale, BAR)
    out.append(_axis(PAD, height - PAD))
    out.append("</svg>")
    return "\n".join(out)


def paired_bars(
    groups: Sequence[tuple[str, int | None, int | None]],
    *,
    years: tuple[int | str, int | str],
    chart_id: str,
    title: str,
    desc: str | None = None,
    unit: str = "件",
) -> str:
    """Two bars per group, for two years: ``groups`` is (label, earlier, later) and ``years``
    is (earlier year, later year). Each group's name is a line of its own and each bar is
    labelled with its year, so the chart reads the same without colour."""
    earlier, later = years
    values = [v for _name, a, b in groups for v in (a, b)]
    scale = _scale(values)
    group_height = ROW * 3
    height = PAD * 2 + group_height * len(groups)
    if desc is None:
        desc = "；".join(
            f"{name}：{earlier}年 {_number(a)}{unit if a is not None else ''}，"
            f"{later}年 {_number(b)}{unit if b is not None else ''}"
            for name, a, b in groups
        )
    out = _open(chart_id, height, title, desc)
    for index, (name, before, now) in enumerate(groups):
        top = PAD + index * group_height
        out.append(
            f'<text x="0" y="{top + ROW / 2}" dominant-baseline="central" '
            f'font-weight="bold">{_esc(name)}</text>'
        )
        for line, (year, value, colour) in enumerate(
            ((earlier, before, BAR_PREVIOUS), (later, now, BAR)), start=1
        ):
            y = top + line * ROW + (ROW - BAR_HEIGHT) / 2
            out.append(_label(y + BAR_HEIGHT / 2, f"{year}年"))
            out += _bar(y, value, scale, colour)
        out.append(_axis(top + ROW, top + group_height))
    out.append("</svg>")
    return "\n".join(out)
