"""The annual report's rules in templates: ``{% report_deadline agency.kind as deadline %}``
gives the date by which an agency of that kind publishes its report (``deadline.text``,
"1月31日"; ``deadline.basis``), from ``gongkai.law.annual_report`` with the date configured for
乡镇 and 街道, or None where none is set (docs/law/reports.md)."""

from __future__ import annotations

from django import template

from gongkai.law import annual_report
from gongkai.reports import services

register = template.Library()


@register.simple_tag
def report_deadline(agency_kind: str) -> annual_report.Deadline | None:
    return services.deadline_rule(agency_kind)
