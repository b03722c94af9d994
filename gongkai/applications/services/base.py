"""The parts every step uses: who may handle a case, the clock (due dates, recomputing them, the
calendar changing), and locking, checking and recording a step (``_save``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import (
    OPEN_STATUSES,
    Application,
    Status,
)
from gongkai.clock import deadlines, statutory
from gongkai.clock.loader import work_calendar
from gongkai.clock.workcalendar import MissingYearError
from gongkai.history.models import record
from gongkai.law import periods, records

CASE_ROLES = (Role.CLERK, Role.HEAD)
# Applications from one network address, by the form and the API together: successful ones
# per hour, and attempts of any outcome (a flood of refused posts) per hour.
APPLY_LIMIT = 10
ATTEMPT_LIMIT = 60
APPLY_WINDOW = 3600
QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
MAX_FEE_UNITS = 10_000  # a bound on the count typed in, not a rule of the law

# The fields of the applicant (第二十九条第（一）项) that a submission carries.
APPLICANT_FIELDS = [
    "applicant_type",
    "name",
    "id_type",
    "id_number",
    "organisation_code",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "fax",
    "address",
    "postcode",
    "description",
    "delivery",
]


class CaseError(Exception):
    """A step that cannot be taken; the message is for the clerk."""


# --- access -------------------------------------------------------------------------------


def can_handle(user, agency: Agency) -> bool:
    """May take the steps of a case (register, notices, decide, reply)."""
    return access.is_system_admin(user) or access.has_role(user, agency, *CASE_ROLES)


def can_extend(user, agency: Agency) -> bool:
    """Only the head of the disclosure office approves an extension (第三十三条第二款)."""
    return access.has_role(user, agency, Role.HEAD)


def _require_handler(user, agency: Agency) -> None:
    if not can_handle(user, agency):
        raise access.PermissionDenied("只有本机关的承办人员或负责人可以办理申请。")


# --- the clock --------------------------------------------------------------------------


def explain(application: Application) -> deadlines.Deadlines | None:
    """The due dates with every day counted, or None before receipt. Raises
    MissingYearError when the calendar lacks a year the count reaches. None for a 更正申请:
    the 条例 gives it no period (docs/law/records.md)."""
    if application.received_on is None or application.is_record_correction:
        return None
    pauses = [
        deadlines.Pause(p.start, p.end, p.get_kind_display()) for p in application.pauses.all()
    ]
    return deadlines.compute(
        work_calendar(),
        application.received_on,
        correction_received=application.correction_received_on,
        pauses=pauses,
        extension_days=application.extension_days,
        as_of=max(today(), application.received_on),
    )


def due_after_pause(application: Application) -> dt.date | None:
    """While a pause lasts: the reply date if the pause ended the day it began, the earliest
    it can be (letters state it with the pause to be added). None when no pause is open or
    before receipt. Raises MissingYearError like ``explain``."""
    if application.received_on is None:
        return None
    pauses = list(application.pauses.all())
    if not any(p.end is None for p in pauses):
        return None
    result = deadlines.compute(
        work_calendar(),
        application.received_on,
        correction_received=application.correction_received_on,
        pauses=[deadlines.Pause(p.start, p.end or p.start) for p in pauses],
        extension_days=application.extension_days,
    )
    return result.extended_due or result.reply_due


def recompute(application: Application) -> None:
    """Set the stored due dates from the facts. The reply due date is unknown (None) before
    receipt, while the applicant is asked to correct (the period restarts from the corrected
    application, 第三十条) and while a pause is open (第三十三条第三款)."""
    application.clock_error = ""
    application.correction_notice_due = application.reply_due = None
    if application.is_record_correction:
        # No period in the 条例 for a 更正申请: the reference date of 行政诉讼法第四十七条
        # (gongkai.law.records, docs/law/records.md).
        application.reply_due = records.reference_due(application.received_on)
        return
    if application.fee_notice_on is not None:
        due = _maybe_workdays(application.fee_notice_on, periods.FEE_PAYMENT_DAYS)
        application.fee_due = _never_earlier(application.fee_due, due)
    if application.received_on is None:
        return
    # The 7 days of the 补正 notice are counted on their own: a year missing further on must
    # not hide this nearer date.
    try:
        application.correction_notice_due = add_workdays(
            application.received_on, periods.CORRECTION_NOTICE_DAYS
        )
        result = explain(application)
    except MissingYearError as exc:
        application.clock_error = str(exc)[:300]
        # A delayed reply (第三十五条) has its date whatever the calendar holds.
        application.reply_due = application.delayed_until
        return
    waiting_for_correction = (
        application.correction_notice_on is not None and application.correction_received_on is None
    )
    if result.open_pause is not None or waiting_for_correction:
        application.reply_due = None
    else:
        application.reply_due = result.extended_due or result.reply_due
    if application.delayed_until is not None:
        # 第三十五条: reasonable reasons, but no answer possible within 第三十三条's period: the
        # reasonable later date the office set and told the applicant is the due date from then
        # on, never earlier than what 第三十三条 itself gives (docs/law/excessive.md).
        application.reply_due = max(application.delayed_until, application.reply_due or dt.date.min)


def due_as_of(application: Application, day: dt.date) -> dt.date:
    """The reply due date as it stood on ``day``: an open pause counts as ending that day.
    Raises CaseError when the calendar lacks a year the count reaches."""
    pauses = [
        deadlines.Pause(p.start, p.end or max(day, p.start))
        for p in application.pauses.all()
        if p.start <= day
    ]
    try:
        result = deadlines.compute(
            work_calendar(),
            application.received_on,
            correction_received=application.correction_received_on,
            pauses=pauses,
            extension_days=application.extension_days,
        )
    except MissingYearError as exc:
        raise CaseError(str(exc)) from None
    return result.extended_due or result.reply_due


def add_workdays(start: dt.date, days: int) -> dt.date:
    return deadlines.count_workdays(work_calendar(), start, days)[0]


def _maybe_workdays(start: dt.date, days: int) -> dt.date | None:
    try:
        return add_workdays(start, days)
    except MissingYearError:
        return None


def _workdays_or_refuse(start: dt.date, days: int) -> dt.date:
    try:
        return add_workdays(start, days)
    except MissingYearError as exc:
        raise CaseError(str(exc)) from None


def today() -> dt.date:
    return timezone.localdate()


def _never_earlier(stated: dt.date | None, computed: dt.date | None) -> dt.date | None:
    """A date the applicant or a third party was told they have until (the fee, the answer to
    a consultation) is kept when a newly loaded calendar would bring it forward: they may rely
    on what they were told. A later date is given as the law gives it."""
    if stated is None or computed is None:
        return computed or stated
    return max(stated, computed)


def consultation_answer_due(received_on: dt.date | None) -> dt.date | None:
    """第三十二条、第三十四条: the party answers within CONSULTATION_DAYS working days of the
    day it received the letter ("自收到征求意见书之日起"); None while that day is unknown or
    when the calendar cannot count that far (docs/law/consultation.md)."""
    if received_on is None:
        return None
    return _maybe_workdays(received_on, periods.CONSULTATION_DAYS)


@dataclass(frozen=True)
class Moved:
    """A case whose dates a new calendar year changed: what changed, from what to what."""

    application: Application
    changes: list[tuple[str, str, str]]


_RECOMPUTED = (
    ("reply_due", "答复期限"),
    ("correction_notice_due", "补正告知期限"),
    ("fee_due", "缴费期限"),
    ("clock_error", "期限说明"),
)


def _shown(application: Application, field: str, calendar) -> str:
    """A stored date as the event records it, marked 暂定 if it was provisional by
    ``calendar`` (the calendar it was computed with)."""
    value = getattr(application, field)
    if field == "clock_error":
        return "无法计算" if value else "可以计算"
    if value is None:
        return "待定"
    start = application.due_start(field)
    return statutory.marked(
        value.isoformat(), bool(start and calendar.provisional_years(start, value))
    )


def recalculate_open_cases(actor, why: str, *, previous=None) -> list[Moved]:
    """After the calendar changed (a year's notice loaded or corrected): recompute every open
    case's dates, each in a short transaction of its own, and record an event on each case
    whose dates moved. ``previous`` is the calendar before the change (for what the dates were:
    provisional or not); the current one by default. Returns the moved cases and changes."""
    previous = previous or work_calendar()
    moved = []
    ids = list(
        Application.objects.filter(status__in=OPEN_STATUSES)
        .exclude(received_on=None)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            application = _locked(Application(pk=pk))
            if not application.status_enum.is_open:
                continue
            before = {f: _shown(application, f, previous) for f, _ in _RECOMPUTED}
            raw = {f: getattr(application, f) for f, _ in _RECOMPUTED}
            pauses = []
            for pause in application.pauses.filter(end__isnull=True, received_on__isnull=False):
                due = _never_earlier(pause.answer_due, consultation_answer_due(pause.received_on))
                if due != pause.answer_due:
                    pauses.append((pause, pause.answer_due, due))
            state = _state(application)
            recompute(application)
            after = {f: _shown(application, f, work_calendar()) for f, _ in _RECOMPUTED}
            # A date that moved; one that only stopped being provisional is not news.
            changes = [
                (label, before[f], after[f])
                for f, label in _RECOMPUTED
                if getattr(application, f) != raw[f]
            ]
            for pause, old, new in pauses:
                pause.answer_due = new
                pause.save(update_fields=["answer_due"])
                changes.append(
                    (f"征求意见期限（{pause.party}）", _iso(old) or "待定", _iso(new) or "待定")
                )
            if not changes:
                continue
            application.save()
            record(
                actor,
                "application.recalculate",
                application,
                summary=f"{application.tracking_number}：{why}，重新计算期限："
                + "；".join(f"{label} {a} → {b}" for label, a, b in changes),
                agency=application.agency,
                before=state,
                after=_state(application),
            )
            moved.append(Moved(application, changes))
    return moved


# --- helpers ----------------------------------------------------------------------------


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("agency").get(pk=application.pk)


def _require_status(application: Application, *allowed: Status) -> None:
    if application.status not in allowed:
        wanted = "、".join(s.label for s in allowed)
        raise CaseError(
            f"申请 {application.tracking_number} 目前为“{application.get_status_display()}”，"
            f"这一步只能在“{wanted}”时办理。"
        )


def _check_day(day: dt.date, what: str, application: Application | None = None) -> None:
    if day.year < 2000:
        raise CaseError(f"{what}（{day}）不是合理的日期，请核对年份。")
    if day > today():
        raise CaseError(f"{what}（{day}）不能晚于今天。")
    if application is not None and application.received_on and day < application.received_on:
        raise CaseError(f"{what}（{day}）不能早于收到申请之日（{application.received_on}）。")


def _state(application: Application) -> dict:
    """What an event records of a case: its state and dates, never the applicant's data."""
    return {
        "status": application.status,
        "received_on": _iso(application.received_on),
        "reply_due": _iso(application.reply_due),
        "outcome": application.outcome,
        **(
            {"record_outcome": application.record_outcome}
            if application.is_record_correction
            else {}
        ),
    }


def _iso(day):
    return day.isoformat() if day else None


def _require_disclosure(application: Application, what: str) -> None:
    """A step of the 政府信息公开申请 only (期限、征求意见、收费): refused for a 更正申请."""
    if application.is_record_correction:
        raise CaseError(
            f"申请 {application.tracking_number} 是政府信息更正申请（条例第四十一条），"
            f"不适用“{what}”。"
        )


def _save(
    actor,
    application: Application,
    action: str,
    summary: str,
    before: dict,
    *,
    after_extra: dict | None = None,
    **kw,
) -> None:
    recompute(application)
    application.save()
    record(
        actor,
        action,
        application,
        summary=f"{application.tracking_number}：{summary}",
        agency=application.agency,
        before=before,
        after={**_state(application), **(after_extra or {})},
        **kw,
    )
