"""A ledger's 申请 sheet into the platform, and the platform's applications out to a ledger.

An import is one transaction: either every good row becomes an application (and the import is
one event in the history) or nothing is written. A row whose 编号 the agency already has is
left alone when it says the same as the platform, and is a conflict when it does not: after the
import the platform holds the case, so a ledger never overwrites it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications import outcomes, services
from gongkai.applications.models import Application, Channel, Delivery, Status
from gongkai.history.models import record
from gongkai.ledger import workbook
from gongkai.ledger.workbook import APPLICATIONS, ApplicationRow, Ledger, Problem

NUMBER_LENGTH = Application._meta.get_field("ledger_number").max_length
BATCH = 500  # applications written per query


@dataclass
class ImportResult:
    """What an import did. ``written`` is False when nothing was written (then ``problems``
    says why); ``skipped`` lists the bad rows left out when asked to skip them."""

    written: bool = False
    created: list[str] = field(default_factory=list)  # the 编号 of the new applications
    unchanged: list[str] = field(default_factory=list)  # already there, same content
    skipped: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def skipped_rows(self) -> list[int]:
        return sorted({p.row for p in self.skipped if p.sheet == APPLICATIONS and p.row})

    @property
    def summary(self) -> str:
        text = f"导入台账：新建 {len(self.created)} 件申请，{len(self.unchanged)} 件已存在且无变化"
        if self.skipped_rows:
            text += f"，跳过 {len(self.skipped_rows)} 行有问题的数据"
        return text + "。"


def _ledger_view(app: Application) -> tuple:
    """What a ledger row says of an application: an outcome only once it is replied."""
    replied = app.replied_on if app.outcome else None
    return (
        app.received_on,
        app.applicant_type,
        app.outcome if replied else None,
        replied,
    )


def _row_view(row: ApplicationRow) -> tuple:
    return (row.received_on, row.applicant_type, row.outcome, row.replied_on)


def _describe(view: tuple) -> str:
    received, applicant, outcome, replied = view
    text = f"收到 {received}，{workbook.APPLICANT_LABELS.get(applicant, applicant)}"
    if outcome:
        return text + f"，{outcomes.BY_KEY[outcome].label}，{replied} 答复"
    return text + "，尚未办结"


def _platform_problems(rows: list[ApplicationRow], today: dt.date) -> list[Problem]:
    """What the platform refuses although the ledger allows it."""
    problems = []
    for row in rows:
        if len(row.number) > NUMBER_LENGTH:
            problems.append(
                Problem(APPLICATIONS, row.row, "编号", f"编号超过 {NUMBER_LENGTH} 个字符。")
            )
        for column, day in (("收到日期", row.received_on), ("答复日期", row.replied_on)):
            if day is not None and day > today:
                problems.append(
                    Problem(APPLICATIONS, row.row, column, f"{column} {day} 晚于今天（{today}）。")
                )
    return problems


def import_ledger(actor, agency: Agency, ledger: Ledger, *, skip_bad_rows=False) -> ImportResult:
    """Create an application for each row of the 申请 sheet (see the module's docstring).

    Raises PermissionDenied unless ``actor`` handles this agency's applications."""
    if not services.can_handle(actor, agency):
        raise PermissionDenied("只有本机关的承办人员或负责人可以导入台账。")
    result = ImportResult()
    blocking = ledger.blocking(*workbook.SHEETS)
    if blocking or (ledger.problems and not skip_bad_rows):
        result.problems = list(ledger.problems)
        return result
    result.skipped = list(ledger.problems)

    with transaction.atomic():
        # One import at a time per agency: the checks below read what the other would write.
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        rows = list(ledger.applications)
        late = _platform_problems(rows, timezone.localdate())
        existing = _existing(agency)
        for row in rows:
            app = existing.get(row.number)
            if app is None or _ledger_view(app) == _row_view(row):
                continue
            late.append(
                Problem(
                    APPLICATIONS,
                    row.row,
                    "编号",
                    f"编号 {row.number} 已在平台中（{app.tracking_number}），内容不同，未修改："
                    f"台账为“{_describe(_row_view(row))}”，平台为“{_describe(_ledger_view(app))}”。",
                )
            )
        if late:
            if not skip_bad_rows:
                result.problems = sorted(late, key=lambda p: p.row or 0)
                return result
            bad = {p.row for p in late}
            rows = [r for r in rows if r.row not in bad]
            result.skipped = sorted(result.skipped + late, key=workbook.problem_order)

        result.unchanged = [r.number for r in rows if r.number in existing]
        new = [r for r in rows if r.number not in existing]
        for start in range(0, len(new), BATCH):
            _create(actor, agency, new[start : start + BATCH])
        result.created = [r.number for r in new]
        result.written = True
        record(
            actor,
            "ledger.import",
            agency,
            summary=result.summary,
            agency=agency,
            after={
                "file": (ledger.source or "")[-200:],
                "created": len(result.created),
                "unchanged": len(result.unchanged),
                "skipped": len(result.skipped_rows),
                "skipped_rows": result.skipped_rows[:200],
            },
        )
    return result


def _existing(agency: Agency) -> dict[str, Application]:
    """The agency's applications by the 编号 a ledger gives them: the ledger number of an
    imported case, the tracking number of the others (so that an export imports back as
    unchanged). A ledger number wins over a tracking number that happens to be the same."""
    apps = list(
        Application.objects.filter(agency=agency).only(
            "id",
            "ledger_number",
            "tracking_number",
            "received_on",
            "applicant_type",
            "outcome",
            "replied_on",
        )
    )
    found = {a.tracking_number: a for a in apps if not a.ledger_number}
    found.update({a.ledger_number: a for a in apps if a.ledger_number})
    return found


def _create(actor, agency: Agency, rows: list[ApplicationRow]) -> None:
    apps = [_application(actor, agency, row) for row in rows]
    Application.objects.bulk_create(apps)
    # The due dates of the open cases need the saved case (its pauses are looked up).
    still_open = [a for a in apps if a.status == Status.IN_PROGRESS]
    for app in still_open:
        services.recompute(app)
    Application.objects.bulk_update(
        still_open, ["correction_notice_due", "reply_due", "clock_error"]
    )


def _application(actor, agency: Agency, row: ApplicationRow) -> Application:
    tracking = services.next_tracking_number(agency, row.received_on.year)
    replied = row.outcome is not None and row.replied_on is not None
    return Application(
        agency=agency,
        tracking_number=tracking,
        query_code_hash=services._hash_code(tracking, services.new_query_code()),
        applicant_type=row.applicant_type,
        name="（台账导入）",
        phone="",
        description=f"（由台账导入，编号 {row.number}）",
        delivery=Delivery.PAPER,
        channel=Channel.IN_PERSON,
        submitted_at=timezone.make_aware(dt.datetime.combine(row.received_on, dt.time(9))),
        received_on=row.received_on,
        status=Status.REPLIED if replied else Status.IN_PROGRESS,
        outcome=row.outcome or "",
        decided_on=row.replied_on if replied else None,
        replied_on=row.replied_on if replied else None,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        imported=True,
        ledger_number=row.number,
    )


# --- export -------------------------------------------------------------------------------


def export_rows(agency: Agency, year: int | None = None) -> list[ApplicationRow]:
    """The agency's received applications as ledger rows (by day of receipt), 编号 being the
    ledger number of an imported case and the tracking number of the others. Applications
    not yet received in law (online, awaiting confirmation) have no day of receipt and are
    left out."""
    apps = Application.objects.filter(agency=agency, received_on__isnull=False)
    if year is not None:
        apps = apps.filter(received_on__year=year)
    rows = []
    for number, (ledger_number, tracking, received, applicant, outcome, replied) in enumerate(
        apps.order_by("received_on", "id")
        .values_list(
            "ledger_number",
            "tracking_number",
            "received_on",
            "applicant_type",
            "outcome",
            "replied_on",
        )
        .iterator(),
        start=2,
    ):
        done = bool(outcome) and replied is not None
        rows.append(
            ApplicationRow(
                number,
                ledger_number or tracking,
                received,
                applicant,
                outcome if done else None,
                replied if done else None,
            )
        )
    return rows


def export(target, agency: Agency, year: int | None = None) -> int:
    """Write the export workbook to ``target``; returns the number of applications."""
    rows = export_rows(agency, year)
    workbook.write_applications(target, rows)
    return len(rows)
