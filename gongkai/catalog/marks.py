"""The scanned text with each finding marked in place, for the reviewers' page (the scan itself,
gongkai.scan, stays plain Python).

The text is user input: every part of it is escaped, and the only markup added is a ``<mark>``
per finding with its id (the list of findings links to it), its kind as a visible label that is
read out with it, and ``tabindex="-1"`` so that following the link moves the focus there. No
inline script or style: the page's stylesheet styles ``mark.finding`` (CSP).
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from gongkai.scan.scanner import LABELS


def anchor(index: int) -> str:
    return f"finding-{index}"


def marked(text: str, findings: list[dict]) -> SafeString:
    """``text`` escaped, each finding (``start``/``end`` into ``text``, sorted, disjoint, as
    :func:`gongkai.scan.scan` gives them) wrapped in a labelled ``<mark>``. A finding whose
    span does not fit the text is left out rather than misplaced."""
    parts: list[str] = []
    position = 0
    for index, finding in enumerate(findings, start=1):
        start, end = finding.get("start"), finding.get("end")
        if not (isinstance(start, int) and isinstance(end, int)):
            continue
        if start < position or end > len(text) or start >= end:
            continue
        parts.append(escape(text[position:start]))
        label = LABELS.get(finding.get("kind"), str(finding.get("kind")))
        parts.append(
            format_html(
                '<mark id="{}" class="finding" tabindex="-1">'
                '<span class="finding-label">{}{}</span>{}</mark>',
                anchor(index),
                label,
                index,
                text[start:end],
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 -- every piece escaped above


def fits(text: str, findings: list[dict]) -> bool:
    """The stored findings still point at their text (else they are to be computed again)."""
    return all(
        isinstance(f.get("start"), int)
        and isinstance(f.get("end"), int)
        and text[f["start"] : f["end"]] == f.get("text")
        for f in findings
    )
