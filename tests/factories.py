"""Builders for what many test files make by hand: a case registered by an agency's clerk, a
catalog item (a draft, or submitted for review) and a published annual report. Plain functions
over the services, so what they make went through the same checks as in the office; each takes
the ``county`` fixture (tests.conftest) and builds for agency A (civil affairs) and its clerk
unless told otherwise. A test file keeps its own applicant or item data and passes it in."""

from __future__ import annotations

import datetime as dt

from gongkai.applications import services as cases
from gongkai.applications.models import Application, Channel
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Item
from gongkai.reports import drafts
from gongkai.reports import services as reports
from gongkai.reports.models import AnnualReport


def registered_case_and_code(
    county,
    data: dict,
    *,
    received: dt.date,
    channel=Channel.IN_PERSON,
    agency=None,
    clerk=None,
    **kw,
) -> tuple[Application, str]:
    """A case the clerk registers (in person by default: received the day it is handed in,
    ``received``), and its query code."""
    return cases.register(
        clerk or county.clerk,
        agency or county.civil,
        data,
        channel=channel,
        submitted_on=received,
        **kw,
    )


def registered_case(county, data: dict, *, received: dt.date, **kw) -> Application:
    """``registered_case_and_code`` without the code."""
    return registered_case_and_code(county, data, received=received, **kw)[0]


def item_draft(county, data: dict, attachments=(), *, agency=None, clerk=None) -> Item:
    """A catalog item the clerk has written and not yet submitted."""
    return catalog.create(clerk or county.clerk, agency or county.civil, data, attachments)


def submitted_item(county, data: dict, attachments=(), *, agency=None, clerk=None) -> Item:
    """A catalog item written and submitted for review (at its first step)."""
    clerk = clerk or county.clerk
    item = item_draft(county, data, attachments, agency=agency, clerk=clerk)
    return catalog.submit(clerk, item)


def finished_sections(report: AnnualReport, **changes) -> dict:
    """The sections of a report with the 【请填写】 passages of the drafts done (here:
    deleted), and ``changes``."""
    texts = {n: drafts.PLACEHOLDER.sub("", t) for n, t in report.sections().items()}
    return {**texts, **changes}


def published_report(
    county,
    agency,
    user,
    year: int = 2025,
    *,
    head=None,
    on: dt.date | None = None,
    section5: str = "问题与改进",
) -> AnnualReport:
    """The annual report of ``agency`` for ``year``: opened and finished by ``user``, published
    by ``head`` (the head of agency A by default) on ``on`` (20 January of the next year)."""
    report = reports.open_report(user, agency, year)
    report = reports.save_sections(user, report, finished_sections(report, section5=section5))
    return reports.publish(head or county.head, report, on=on or dt.date(year + 1, 1, 20))


def case_page(client, number: str, code: str):
    """The applicant's case page opened as an applicant does: the number and the query code
    posted to the lookup form (never in the address), then the page it leads to. A refused
    lookup is returned as it is."""
    from django.urls import reverse

    found = client.post(reverse("portal:status"), {"number": number, "code": code})
    if found.status_code != 302:
        return found
    return client.get(found.url)
