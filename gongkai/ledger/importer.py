"""A ledger's 申请 sheet into the platform, and the platform's applications out to a ledger.

An import first checks every row without writing anything: when a row is wrong (and the clerk
did not ask to skip bad rows) nothing is written. Then it writes in batches, each batch one
short transaction with its own event in the history, so that a 30,000-row ledger never holds a
lock that the agency's online submissions wait for. Should an import stop part-way (the worker
killed, the machine restarted), the batches written stay, and running the same file again
creates the rest: a row whose 编号 the agency already has is left alone when it says the same
as the platform, and is a conflict when it does not (after an import the platform holds the
case, so a ledger never overwrites it). docs/jobs.md says how the import runs as a background
job.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications import services
from gongkai.applications.models import Application, CaseKind, Channel, Delivery, Status
from gongkai.history.models import record
from gongkai.law import outcomes
from gongkai.ledger import workbook
from gongkai.ledger.workbook import APPLICATIONS, ApplicationRow, Ledger, LedgerError, Problem

NUMBER_LENGTH = Application._meta.get_field("ledger_number").max_length
BATCH = 500  # applications written per transaction
BATCH_ON_SQLITE = 100  # SQLite has one writer: shorter turns
SQLITE_PAUSE = 0.05  # seconds at least between two batches on SQLite


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


def import_ledger(
    actor, agency: Agency, ledger: Ledger, *, skip_bad_rows=False, progress=None
) -> ImportResult:
    """Create an application for each row of the 申请 sheet (see the module's docstring).
    ``progress`` (a jobs.engine.Progress) hears of each batch written.

    Raises PermissionDenied unless ``actor`` handles this agency's applications."""
    if not services.can_handle(actor, agency):
        raise PermissionDenied("只有本机关的承办人员或负责人可以导入台账。")
    result = ImportResult()
    blocking = ledger.blocking(*workbook.SHEETS)
    if blocking or (ledger.problems and not skip_bad_rows):
        result.problems = list(ledger.problems)
        return result
    result.skipped = list(ledger.problems)

    rows = list(ledger.applications)
    late = _platform_problems(rows, timezone.localdate())
    existing = _existing(agency)
    late += _conflicts(rows, existing)
    late += _lookalikes(agency, rows, existing)
    if late:
        if not skip_bad_rows:
            result.problems = sorted(late, key=lambda p: p.row or 0)
            return result
        bad = {p.row for p in late}
        rows = [r for r in rows if r.row not in bad]
        result.skipped = sorted(result.skipped + late, key=workbook.problem_order)

    result.unchanged = [r.number for r in rows if r.number in existing]
    new = [r for r in rows if r.number not in existing]
    if progress is not None:
        progress.stage("写入申请", total=len(new))
    batch_size = BATCH_ON_SQLITE if connection.vendor == "sqlite" else BATCH
    for start in range(0, len(new), batch_size):
        if progress is not None:
            progress.check()
        began = time.monotonic()
        batch, taken = _write_batch(actor, agency, ledger, new[start : start + batch_size])
        result.created += [r.number for r in batch]
        result.unchanged += sorted(taken)
        if progress is not None:
            progress.advance(len(batch) + len(taken))
        if connection.vendor == "sqlite":
            # SQLite has one writer: leave it free as long as the batch held it, so that the
            # site's own writes (submissions, sessions) get their turn while a ledger imports.
            time.sleep(max(SQLITE_PAUSE, time.monotonic() - began))
    result.written = True
    with transaction.atomic():
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


def _write_batch(actor, agency: Agency, ledger: Ledger, rows: list[ApplicationRow]):
    """Write one batch in a transaction of its own; returns the rows written and the 编号
    found already there (written since the check by an import running at the same time —
    jobs of one agency take turns, but an interrupted one run again may overlap)."""
    for attempt in (1, 2):
        # The numbers first, in a transaction of their own: the counter row is what every
        # online submission to the agency updates, so it is never held while a batch writes.
        # (A batch that then fails leaves a gap in the numbers, nothing else.)
        numbers = _reserve_numbers(agency, rows)
        try:
            with transaction.atomic():
                taken = set(
                    Application.objects.filter(
                        agency=agency, ledger_number__in=[r.number for r in rows]
                    ).values_list("ledger_number", flat=True)
                )
                batch = [r for r in rows if r.number not in taken]
                if batch:
                    _create(actor, agency, batch, numbers)
                    record(
                        actor,
                        "ledger.import.batch",
                        agency,
                        summary=f"导入台账：新建 {len(batch)} 件申请"
                        f"（台账第 {batch[0].row}–{batch[-1].row} 行）。",
                        agency=agency,
                        after={
                            "file": (ledger.source or "")[-200:],
                            "created": len(batch),
                            "rows": [batch[0].row, batch[-1].row],
                        },
                    )
                return batch, taken
        except IntegrityError:
            if attempt == 2:  # the rows were taken between the look and the write: once more
                raise
    raise AssertionError("unreachable")


def _lookalikes(
    agency: Agency, rows: list[ApplicationRow], existing: dict[str, Application]
) -> list[Problem]:
    """Rows whose 编号 has the form of the platform's own tracking numbers without being one:
    a later online application could get the same number, and an export would then hold it
    twice."""
    return [
        Problem(
            APPLICATIONS,
            row.row,
            "编号",
            f"编号 {row.number} 的格式与本平台的申请编号相同，但平台中没有这件申请；"
            "以后的网上申请可能得到同一个编号。请改用台账自己的编号（如在前面加“台账-”）。",
        )
        for row in rows
        if row.number not in existing and services.looks_like_tracking_number(agency, row.number)
    ]


def _conflicts(rows: list[ApplicationRow], existing: dict[str, Application]) -> list[Problem]:
    """Rows whose 编号 the platform has with other content."""
    problems = []
    for row in rows:
        app = existing.get(row.number)
        if app is None or _ledger_view(app) == _row_view(row):
            continue
        problems.append(
            Problem(
                APPLICATIONS,
                row.row,
                "编号",
                f"编号 {row.number} 已在平台中（{app.tracking_number}），内容不同，未修改："
                f"台账为“{_describe(_row_view(row))}”，平台为“{_describe(_ledger_view(app))}”。",
            )
        )
    return problems


def run_import_job(job, progress) -> dict:
    """The background job of an upload on the ledger page (jobs.engine.KINDS)."""
    from gongkai.jobs.engine import JobFailed, actor, open_input

    progress.stage("读取台账")
    with open_input(job) as handle:
        try:
            ledger = workbook.read(handle)
        except LedgerError as exc:
            raise JobFailed(str(exc)) from None
    progress.stage("检查台账")
    try:
        result = import_ledger(
            actor(job),
            job.agency,
            ledger,
            skip_bad_rows=bool(job.params.get("skip_bad_rows")),
            progress=progress,
        )
    except PermissionDenied:
        who = actor(job)
        raise JobFailed(
            f"{getattr(who, 'username', '提交人')} 已不是{job.agency.name}的承办人员或负责人，"
            "不能导入台账；请由本机关的承办人员重新上传。"
        ) from None
    return result_json(result)


def result_json(result: ImportResult) -> dict:
    """What the job's page shows of an import."""
    return {
        "written": result.written,
        "summary": result.summary if result.written else "台账有问题，未导入任何内容。",
        "created": len(result.created),
        "unchanged": len(result.unchanged),
        "skipped_rows": result.skipped_rows,
        "skipped": [p.as_json() for p in result.skipped[:1000]],
        "problems": [p.as_json() for p in result.problems[:1000]],
        "more_problems": max(0, len(result.problems) - 1000),
    }


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


def _reserve_numbers(agency: Agency, rows: list[ApplicationRow]) -> dict:
    """Tracking numbers for the rows, each year's in one short update of its counter."""
    numbers = {}
    with transaction.atomic():
        for year in sorted({row.received_on.year for row in rows}):
            count = sum(1 for row in rows if row.received_on.year == year)
            numbers[year] = iter(services.reserve_tracking_numbers(agency, year, count))
    return numbers


def _create(actor, agency: Agency, rows: list[ApplicationRow], numbers: dict) -> None:
    apps = [_application(actor, agency, row, next(numbers[row.received_on.year])) for row in rows]
    Application.objects.bulk_create(apps)
    # The due dates of the open cases need the saved case (its pauses are looked up).
    still_open = [a for a in apps if a.status == Status.IN_PROGRESS]
    for app in still_open:
        services.recompute(app)
    Application.objects.bulk_update(
        still_open, ["correction_notice_due", "reply_due", "clock_error"]
    )


def _application(actor, agency: Agency, row: ApplicationRow, tracking: str) -> Application:
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
    left out, and so are 更正申请 (条例第四十一条): the ledger is table 三's, which does not
    count them (docs/law/records.md)."""
    apps = Application.objects.filter(agency=agency, received_on__isnull=False).exclude(
        kind=CaseKind.RECORD_CORRECTION
    )
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
