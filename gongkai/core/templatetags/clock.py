"""Due dates on the pages: a provisional one (counted over a year whose holiday notice is not
loaded) carries the mark 暂定 wherever it is shown, and the page says once why."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from gongkai.clock import statutory

register = template.Library()


@register.simple_tag
def due(day, provisional=False, fmt="Y-m-d"):
    """``{% due application.reply_due application.reply_due_provisional %}``."""
    from django.utils.dateformat import format as date_format

    if not day:
        return ""
    text = date_format(day, fmt)
    if not provisional:
        return text
    return format_html('{}<span class="provisional">（{}）</span>', text, statutory.MARK)


@register.inclusion_tag("_provisional_note.html")
def provisional_note(years):
    """The one line under the dates that says why the marked ones are provisional."""
    return {"years": years, "mark": statutory.MARK, "why": statutory.why(years) if years else ""}
