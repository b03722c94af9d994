"""条例第四十四条 on the agency's page: information that several applicants asked for and were
given may be published proactively. The rule is ``gongkai.law.categories``; this module finds
the cases it applies to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gongkai.applications.models import Application
from gongkai.law import categories, outcomes
from gongkai.law.privacy import mask_in_text

LIMIT = 20  # suggestions shown


@dataclass
class Suggestion:
    description: str  # one of the requests' wording, masked
    applicants: int
    cases: list[Application] = field(default_factory=list)


def _applicant(application: Application) -> tuple:
    """One applicant whatever the case: the identity document if given, else name and phone."""
    if application.id_number.strip():
        return ("id", application.id_number.strip().upper())
    return ("name", application.name.strip(), application.phone.strip())


def publication_suggestions(agency, today: dt.date) -> list[Suggestion]:
    """Requests to ``agency`` decided in the last year with a disclosing outcome, grouped by
    the information asked for; the groups with at least ``MANY_APPLICANTS`` applicants, the
    most asked first."""
    since = today - dt.timedelta(days=categories.SUGGESTION_WINDOW_DAYS)
    cases = (
        Application.objects.filter(
            agency=agency,
            outcome__in=outcomes.DISCLOSING,
            decided_on__gte=since,
        )
        .only("pk", "tracking_number", "description", "id_number", "name", "phone", "decided_on")
        .order_by("decided_on", "pk")
    )
    groups: dict[str, list[Application]] = {}
    for application in cases.iterator():
        key = categories.same_information_key(application.description)
        if key:
            groups.setdefault(key, []).append(application)
    found = []
    for members in groups.values():
        applicants = {_applicant(a) for a in members}
        if len(applicants) >= categories.MANY_APPLICANTS:
            found.append(
                Suggestion(mask_in_text(members[-1].description), len(applicants), members)
            )
    found.sort(key=lambda s: (-s.applicants, s.description))
    return found[:LIMIT]
