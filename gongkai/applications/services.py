"""Every step of an application's life, as one function per step of the law.

Each function checks who may take the step and in which state, locks the case row, changes it,
recomputes its due dates and records an event, all in one transaction: a step either happens
completely or not at all. A refusal is a ``CaseError`` whose message says what is wrong, in
Chinese, for the clerk.

Dates are the days things happened (the clerk may record a step a day late), never later than
today and never before the day of receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import (
    OPEN_STATUSES,
    Application,
    Attachment,
    CaseKind,
    Channel,
    ConsultationResult,
    Counter,
    Disclosure,
    FeeMethod,
    Pause,
    PauseKind,
    Provision,
    Status,
)
from gongkai.clock import deadlines, statutory
from gongkai.clock.loader import work_calendar
from gongkai.clock.workcalendar import MissingYearError
from gongkai.core import uploads
from gongkai.history.models import record
from gongkai.law import fees, outcomes, periods, records
from gongkai.law.privacy import mask_in_text

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


# --- numbers and codes -----------------------------------------------------------------


def next_tracking_number(agency: Agency, year: int) -> str:
    return reserve_tracking_numbers(agency, year, 1)[0]


def looks_like_tracking_number(agency: Agency, text: str) -> bool:
    """Whether ``text`` has the form of this agency's tracking numbers (see
    reserve_tracking_numbers), so that a later one may come out the same."""
    return re.fullmatch(rf"\d{{4}}-{agency.pk:04d}-\d{{5,}}", text or "") is not None


def reserve_tracking_numbers(agency: Agency, year: int, count: int) -> list[str]:
    """``count`` consecutive ``YEAR-AGENCY-SEQUENCE`` numbers, unique under concurrent
    submissions: the counter row is advanced by ``count`` in one statement (a row lock on
    PostgreSQL, the write lock on SQLite, held to the end of the caller's transaction)."""
    with transaction.atomic():
        updated = Counter.objects.filter(agency=agency, year=year).update(value=F("value") + count)
        if not updated:
            try:
                with transaction.atomic():
                    Counter.objects.create(agency=agency, year=year, value=count)
            except IntegrityError:  # another submission created it first
                Counter.objects.filter(agency=agency, year=year).update(value=F("value") + count)
        last = Counter.objects.get(agency=agency, year=year).value
    return [f"{year}-{agency.pk:04d}-{value:05d}" for value in range(last - count + 1, last + 1)]


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))


def _hash_code(tracking_number: str, code: str) -> str:
    return hashlib.sha256(f"{tracking_number}:{code.strip().upper()}".encode()).hexdigest()


def check_query_code(application: Application, code: str) -> bool:
    return hmac.compare_digest(
        application.query_code_hash, _hash_code(application.tracking_number, code or "")
    )


@transaction.atomic
def reissue_query_code(actor, application: Application, verified: str) -> str:
    """A new query code for an applicant who lost theirs (or never received it: a crash after
    the submission was saved). The handler gives it only after checking who is asking, and says
    how (``verified``); the old code stops working. Returns the new code, to be told to the
    applicant once; only its hash is kept."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    verified = mask_in_text((verified or "").strip(), known=[application.id_number])
    if not verified:
        raise CaseError(
            "请写明如何核实了申请人的身份，如“当面查验居民身份证”或“回拨登记的电话核实”。"
        )
    return _new_code(actor, application, verified)


def _new_code(actor, application: Application, how: str) -> str:
    code = new_query_code()
    application.query_code_hash = _hash_code(application.tracking_number, code)
    application.save(update_fields=["query_code_hash", "updated_at"])
    record(
        actor,
        "application.code_reissue",
        application,
        summary=f"{application.tracking_number}：重新生成查询码，旧查询码作废（{how[:120]}）",
        agency=application.agency,
    )
    return code


# The applicant's own way to a new code: a link sent to the e-mail address of the application,
# valid for an hour and for one use (it names the current code's hash, which the new code
# replaces). Opening the mailbox is what proves who is asking.
CODE_LINK_SALT = "gongkai.applications.code-link"
CODE_LINK_HOURS = 1


def _fold(address: str) -> str:
    return unicodedata.normalize("NFKC", address or "").strip().casefold()


def _same_address(given: str, typed: str) -> bool:
    return bool(_fold(given)) and hmac.compare_digest(_fold(given).encode(), _fold(typed).encode())


def code_link_for(tracking_number: str, email: str) -> tuple[Application, str] | None:
    """The application and a link token when ``email`` is the address the application gave;
    None otherwise (the caller must not tell which of the two did not match)."""
    application = (
        Application.objects.select_related("agency")
        .filter(tracking_number=(tracking_number or "").strip())
        .first()
    )
    if application is None or not _same_address(application.email, email):
        return None
    token = signing.dumps(
        {"n": application.tracking_number, "h": _code_fence(application)},
        salt=CODE_LINK_SALT,
        compress=True,
    )
    return application, token


def _code_fence(application: Application) -> str:
    """What a link token says of the current code: enough to tell that the code is still the
    same (so that the link works once), nothing to search the code from (the token is only
    signed, not encrypted; a keyed hash of the stored hash, not the hash itself)."""
    return salted_hmac(CODE_LINK_SALT, application.query_code_hash).hexdigest()[:32]


def application_for_code_link(token: str) -> Application | None:
    """The application a link token is for while it is fresh and unused; None otherwise."""
    try:
        data = signing.loads(token, salt=CODE_LINK_SALT, max_age=CODE_LINK_HOURS * 3600)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    application = (
        Application.objects.select_related("agency")
        .filter(tracking_number=str(data.get("n", ""))[:40])
        .first()
    )
    if application is None or not hmac.compare_digest(
        _code_fence(application).encode(), str(data.get("h", "")).encode()
    ):
        return None
    return application


def reissue_code_by_link(token: str) -> tuple[Application, str] | None:
    """Use a link token: a new code (the old one and the link stop working), or None when the
    link is stale, used or forged."""
    with transaction.atomic():
        application = application_for_code_link(token)
        if application is None:
            return None
        application = _locked(application)
        if application_for_code_link(token) is None:  # used by a request just before
            return None
        return application, _new_code(None, application, "申请人经登记的电子邮箱确认")


def find_by_code(tracking_number: str, code: str) -> Application | None:
    """The application with this number if the query code matches; None otherwise (the
    caller cannot tell a wrong number from a wrong code)."""
    application = (
        Application.objects.select_related("agency")
        .filter(tracking_number=(tracking_number or "").strip())
        .first()
    )
    if application is None or not check_query_code(application, code):
        return None
    return application


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


# --- receipt ----------------------------------------------------------------------------


def _create(agency, data, *, channel, actor, token, submitted_at, files) -> tuple[Application, str]:
    if token:
        existing = Application.objects.filter(submission_token=token).first()
        if existing is not None:
            return existing, ""
    kind = data.get("kind") or CaseKind.DISCLOSURE
    if kind not in CaseKind.values:
        raise CaseError("申请类型只能是政府信息公开申请或政府信息更正申请。")
    files = list(files)
    if kind == CaseKind.RECORD_CORRECTION and not (
        records.split_evidence(data.get("description") or "")[1] or files
    ):
        raise CaseError(records.NO_EVIDENCE)
    code = new_query_code()
    local = timezone.localtime(submitted_at)
    tracking = next_tracking_number(agency, local.year)
    application = Application(
        agency=agency,
        kind=kind,
        tracking_number=tracking,
        query_code_hash=_hash_code(tracking, code),
        submission_token=token or None,
        channel=channel,
        submitted_at=submitted_at,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        **{f: data.get(f) or "" for f in APPLICANT_FIELDS},
        # 第四十三条: the help the applicant asked for (gongkai.applications.intake).
        assistance_requested=(data.get("assistance_requested") or "").strip(),
    )
    if application.applicant_type != "natural_person":
        application.id_type = ""
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        if not token:
            raise
        # The same submission arrived twice at once and the other one was saved first.
        return Application.objects.get(submission_token=token), ""
    for upload in files:
        add_attachment(application, upload)
    return application, code


def add_attachment(application: Application, upload) -> Attachment:
    """Store one uploaded file (already checked by the form) under its hash."""
    return uploads.store(Attachment(application=application), upload)


@uploads.atomic()  # a failed submission leaves none of its files
def submit_online(
    agency: Agency, data: dict, *, token: str = "", files: Iterable = ()
) -> tuple[Application, str]:
    """An application from the public form or the API. It is received in law only when the
    office confirms it with the applicant (第三十一条第（三）项), so it waits as PENDING.
    Returns the application and its query code (empty if ``token`` was seen before: the same
    submission posted twice)."""
    from gongkai.applications import intake

    if not agency.is_active:
        raise CaseError("该机关目前不受理网上申请。")
    application, code = _create(
        agency,
        data,
        channel=Channel.ONLINE,
        actor=None,
        token=token,
        submitted_at=timezone.now(),
        files=files,
    )
    if code:
        record(
            AnonymousUser(),
            "application.submit",
            application,
            summary=f"{application.tracking_number}：网上提交申请"
            + intake.intake_note(application),
            agency=agency,
            after=_state(application),
        )
    return application, code


@uploads.atomic()
def register(
    actor,
    agency: Agency,
    data: dict,
    *,
    channel: Channel,
    submitted_on: dt.date,
    received_on: dt.date | None = None,
    receipt_note: str = "",
    files: Iterable = (),
    token: str = "",
    applicant_confirmed_at: dt.datetime | None = None,
) -> tuple[Application, str]:
    """An application a clerk registers from paper, post or fax. The day of receipt follows
    第三十一条: in person, the day of submission; by signed post, the day the office signed for
    it; by ordinary letter or fax, the day the office confirmed it with the applicant (left
    empty until then: the case waits as PENDING). An oral application (第二十九条第一款) is
    received the day it is made, like one handed in, once the applicant confirmed the form the
    office filled in for them (``applicant_confirmed_at``, gongkai.applications.intake)."""
    from gongkai.applications import intake

    _require_handler(actor, agency)
    channel = Channel(channel)
    _check_day(submitted_on, "提交日期")
    if channel is Channel.ORAL:
        intake.check_oral_confirmation(submitted_on, applicant_confirmed_at)
    else:
        applicant_confirmed_at = None
    if channel in (Channel.IN_PERSON, Channel.ORAL):
        received_on = submitted_on
    elif channel is Channel.POST_SIGNED and received_on is None:
        raise CaseError("邮寄（需签收）的申请以签收之日为收到申请之日，请填写签收日期。")
    if received_on is not None:
        _check_day(received_on, "收到申请之日")
        if received_on < submitted_on:
            raise CaseError(f"收到申请之日（{received_on}）不能早于提交日期（{submitted_on}）。")
        if channel is Channel.POST_ORDINARY and received_on > submitted_on:
            # 第三十一条第（二）项: confirmed the day it arrived; a later day needs a reason,
            # given in the confirmation step of the case page.
            raise CaseError(
                f"平常信函应在收到信函当日（{submitted_on}）与申请人确认。确认日期晚于收到之日的，"
                "请先登记（“收到申请之日”不填），再在案件页“确认收到申请”中填写确认日期和迟延原因。"
            )
    submitted_at = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(9)))
    application, code = _create(
        agency,
        data,
        channel=channel,
        actor=actor,
        token=token,
        submitted_at=submitted_at,
        files=files,
    )
    if not code:
        return application, code
    application.assignee = actor if actor.is_authenticated else None
    application.applicant_confirmed_at = applicant_confirmed_at
    if received_on is not None:
        application.received_on = received_on
        application.receipt_note = receipt_note
        application.status = Status.IN_PROGRESS
    _save(
        actor,
        application,
        "application.register",
        f"登记{channel.label}申请"
        + (f"，收到申请之日 {received_on}" if received_on else "")
        + intake.intake_note(application),
        before={},
    )
    return application, code


@transaction.atomic
def confirm_receipt(
    actor, application: Application, received_on: dt.date, note: str = "", late_reason: str = ""
):
    """第三十一条: the office confirmed an online, fax or ordinary-letter application with the
    applicant; the clock starts from this day. An ordinary letter is confirmed the day it
    arrived (第三十一条第（二）项): a later confirmation needs ``late_reason``, which the event
    and the case page show (docs/law/consultation.md, 平常信函)."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.PENDING)
    _check_day(received_on, "确认日期")
    arrived = timezone.localdate(application.submitted_at)
    if received_on < arrived:
        raise CaseError(f"确认日期（{received_on}）不能早于提交日期（{arrived}）。")
    late_reason = late_reason.strip()
    late = application.channel == Channel.POST_ORDINARY and received_on > arrived
    if late and not late_reason:
        raise CaseError(
            f"平常信函应在本机关收到信函当日（{arrived}）与申请人确认（条例第三十一条第（二）项）。"
            f"确认日期（{received_on}）晚于收到信函之日，请在“确认迟延原因”中写明原因。"
        )
    before = _state(application)
    application.received_on = received_on
    application.receipt_note = note
    application.confirmation_late_reason = late_reason if late else ""
    application.status = Status.IN_PROGRESS
    if application.assignee_id is None:
        application.assignee = actor
    summary = f"确认收到申请（{received_on}）"
    if late:
        summary += f"；迟于收到信函之日（{arrived}）确认，原因：{late_reason}"
    _save(actor, application, "application.confirm", summary, before)
    return application


@transaction.atomic
def assign(actor, application: Application, assignee) -> Application:
    application = _locked(application)
    _require_handler(actor, application.agency)
    if assignee is not None and not can_handle(assignee, application.agency):
        raise CaseError(f"{assignee.username} 不是本机关的承办人员。")
    before = _state(application)
    application.assignee = assignee
    name = assignee.get_full_name() or assignee.username if assignee else "无"
    _save(actor, application, "application.assign", f"承办人改为 {name}", before)
    return application


# --- 补正 (第三十条) ---------------------------------------------------------------------


@transaction.atomic
def request_correction(
    actor, application: Application, items: list[str], deadline: dt.date, notice_on: dt.date
) -> Application:
    """The one 补正 notice: every defect at once, with a reasonable deadline. A second notice
    is refused: the law says 一次性告知."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.IN_PROGRESS)
    if application.correction_notice_on is not None:
        raise CaseError("补正只能一次性告知（条例第三十条）：本申请已经发出过补正告知书。")
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise CaseError("请逐条写明需要补正的事项。")
    _check_day(notice_on, "补正告知日期", application)
    if application.correction_notice_due and notice_on > application.correction_notice_due:
        raise CaseError(
            f"补正应自收到申请之日起{periods.CORRECTION_NOTICE_DAYS}个工作日内一次性告知"
            f"（条例第三十条），即不晚于 "
            f"{application.correction_notice_due}；已超过，不能再要求补正，请按现有申请内容答复。"
        )
    if deadline <= notice_on:
        raise CaseError(f"补正期限（{deadline}）应晚于告知日期（{notice_on}）。")
    before = _state(application)
    application.correction_notice_on = notice_on
    application.correction_items = items
    application.correction_deadline = deadline
    application.status = Status.AWAITING_CORRECTION
    summary = f"告知补正 {len(items)} 项，补正期限 {deadline}"
    _save(actor, application, "application.correction_notice", summary, before)
    return application


@transaction.atomic
def receive_correction(actor, application: Application, received_on: dt.date) -> Application:
    """The corrected application arrived: the reply period runs again from this day (第三十条)."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.AWAITING_CORRECTION)
    _check_day(received_on, "收到补正之日", application)
    if received_on < application.correction_notice_on:
        raise CaseError(
            f"收到补正之日（{received_on}）不能早于补正告知日（{application.correction_notice_on}）。"
        )
    before = _state(application)
    application.correction_received_on = received_on
    application.status = Status.IN_PROGRESS
    note = ""
    if received_on > application.correction_deadline:
        note = f"（晚于补正期限 {application.correction_deadline}，承办人已接受）"
    _save(
        actor,
        application,
        "application.correction_received",
        f"收到补正后的申请（{received_on}），答复期限重新计算{note}",
        before,
    )
    return application


# --- consultation (第三十二条、第三十四条) ------------------------------------------------


def _answer_text(pause: Pause) -> str:
    if pause.received_on is None:
        return (
            f"答复期限自对方收到征求意见书之日起{periods.CONSULTATION_DAYS}个工作日，收到日期待登记"
        )
    if pause.answer_due is None:
        return "答复期限待日历数据补齐后计算"
    return f"答复期限 {pause.shown_answer_due()}（含当日）"


def _check_received(received_on: dt.date, sent_on: dt.date, what: str) -> None:
    """The day a letter of ours was received (a consultation letter, a fee notice): a real
    day, not in the future, not before the letter was sent."""
    _check_day(received_on, what)
    if received_on < sent_on:
        raise CaseError(f"{what}（{received_on}）不能早于发出日期（{sent_on}）。")


@transaction.atomic
def start_consultation(
    actor,
    application: Application,
    kind: PauseKind,
    party: str,
    sent_on: dt.date,
    *,
    received_on: dt.date | None = None,
) -> Pause:
    """Send a consultation letter on ``sent_on`` (the pause starts that day). The party's
    CONSULTATION_DAYS run from ``received_on`` (handed over or e-mailed: known now), else
    from the day recorded later by ``record_consultation_received``."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.IN_PROGRESS)
    _require_disclosure(application, "征求意见")
    kind = PauseKind(kind)
    if kind is PauseKind.FEE:
        raise CaseError("收费暂停由收费通知产生。")
    if not party.strip():
        raise CaseError("请写明被征求意见的第三方或机关。")
    _check_day(sent_on, "发出征求意见书日期", application)
    pause = Pause(application=application, kind=kind, party=party.strip(), start=sent_on)
    if received_on is not None:
        _check_received(received_on, pause.start, "对方收到征求意见书的日期")
        pause.received_on = received_on
        pause.answer_due = consultation_answer_due(received_on)
    before = _state(application)
    pause.save()
    application.status = Status.CONSULTING
    got = f"，{received_on} 收到" if received_on else ""
    _save(
        actor,
        application,
        "application.consultation_start",
        f"{kind.label}：{pause.party}，{sent_on} 发出{got}，{_answer_text(pause)}；"
        "征求意见期间不计入答复期限",
        before,
    )
    return pause


def _open_consultation(application: Application) -> Pause:
    pause = (
        application.pauses.select_for_update()
        .filter(end__isnull=True)
        .exclude(kind=PauseKind.FEE)
        .first()
    )
    if pause is None:
        raise CaseError("本申请没有正在进行的征求意见。")
    return pause


@transaction.atomic
def record_consultation_received(actor, application: Application, received_on: dt.date) -> Pause:
    """The day the party received the consultation letter (a postal receipt, a signed copy):
    its CONSULTATION_DAYS run from it (第三十二条、第三十四条)."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.CONSULTING)
    pause = _open_consultation(application)
    if pause.received_on is not None:
        raise CaseError(f"已登记对方收到征求意见书的日期（{pause.received_on}）。")
    _check_received(received_on, pause.start, "对方收到征求意见书的日期")
    before = _state(application)
    pause.received_on = received_on
    pause.answer_due = _workdays_or_refuse(received_on, periods.CONSULTATION_DAYS)
    pause.save(update_fields=["received_on", "answer_due"])
    _save(
        actor,
        application,
        "application.consultation_received",
        f"{pause.party}于 {received_on} 收到征求意见书，{_answer_text(pause)}",
        before,
    )
    return pause


@transaction.atomic
def end_consultation(
    actor, application: Application, ended_on: dt.date, result: ConsultationResult, note=""
) -> Pause:
    """The party answered on ``ended_on``, or its CONSULTATION_DAYS working days passed
    (SILENT: a co-producing agency is deemed to consent, 第三十四条; for a third party the
    agency decides, 第三十二条). Only after the period: a silent consultation ends on its due
    date, and an answer that came later ends the pause on the due date too: the time beyond
    the period is not consultation time (docs/law/consultation.md)."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.CONSULTING)
    pause = _open_consultation(application)
    result = ConsultationResult(result)
    _check_day(ended_on, "征求意见结束日期", application)
    if ended_on < pause.start:
        raise CaseError(f"结束日期（{ended_on}）不能早于发出日期（{pause.start}）。")
    if (
        pause.received_on
        and ended_on < pause.received_on
        and result is not ConsultationResult.SILENT
    ):
        raise CaseError(
            f"收到意见的日期（{ended_on}）不能早于对方收到征求意见书之日（{pause.received_on}）。"
        )
    answer_due = None
    if pause.received_on is not None:
        answer_due = pause.answer_due or _workdays_or_refuse(
            pause.received_on, periods.CONSULTATION_DAYS
        )
    end = ended_on
    if result is ConsultationResult.SILENT:
        if answer_due is None:
            raise CaseError(
                f"尚未登记{pause.party}收到征求意见书的日期，答复期限（自收到之日起"
                f"{periods.CONSULTATION_DAYS}个工作日）无从计算，不能按“逾期未提出意见”处理。"
                "请先登记收到日期。"
            )
        if ended_on <= answer_due:
            raise CaseError(
                f"答复期限 {answer_due}（含当日）尚未届满，不能按“逾期未提出意见”处理；"
                f"期限届满后（{answer_due} 以后）方可登记。"
            )
        end = answer_due
    elif answer_due is not None and ended_on > answer_due:
        end = answer_due
    before = _state(application)
    pause.end, pause.result, pause.note = end, result, note
    pause.answer_due = answer_due or pause.answer_due
    pause.save()
    application.status = Status.IN_PROGRESS
    meaning = result.label
    if result is ConsultationResult.SILENT:
        meaning += (
            "，视为同意公开（第三十四条）"
            if pause.kind == PauseKind.CO_AGENCY
            else "，由本机关依法决定是否公开（第三十二条）"
        )
    if result is ConsultationResult.SILENT:
        when = f"答复期限 {answer_due} 届满，{ended_on} 登记"
    elif end != ended_on:
        when = f"{ended_on} 收到意见，已过答复期限 {answer_due}，暂停计至期限届满之日"
    else:
        when = f"{ended_on}"
    _save(
        actor,
        application,
        "application.consultation_end",
        f"征求意见结束（{when}）：{pause.party}{meaning}",
        before,
    )
    return pause


# --- extension (第三十三条第二款) ----------------------------------------------------------


@transaction.atomic
def extend(
    actor, application: Application, days: int, reason: str, approved_on: dt.date
) -> Application:
    application = _locked(application)
    if not can_extend(actor, application.agency):
        raise access.PermissionDenied("延长答复期限须经政府信息公开工作机构负责人同意。")
    _require_status(application, Status.IN_PROGRESS, Status.CONSULTING)
    _require_disclosure(application, "延长答复期限")
    if application.delayed_until is not None:
        # 第三十五条's delay told the applicant a date; a later 第三十三条 extension would
        # contradict the letter (gongkai.applications.reasons).
        raise CaseError(
            f"本申请已依条例第三十五条确定延迟答复至 {application.delayed_until}，并已告知申请人，"
            "不能再延长答复期限。"
        )
    if application.extension_days:
        raise CaseError(
            f"本申请已经延期一次；延长的期限合计不得超过{periods.EXTENSION_DAYS}个工作日。"
        )
    if not 1 <= days <= periods.EXTENSION_DAYS:
        raise CaseError(
            f"延长的期限应为1至{periods.EXTENSION_DAYS}个工作日（条例第三十三条第二款）。"
        )
    if not reason.strip():
        raise CaseError("请写明延期理由，它将写入延期答复告知书。")
    _check_day(approved_on, "批准日期", application)
    due = due_as_of(application, approved_on)
    if approved_on > due:
        raise CaseError(f"答复期限 {due} 已过，不能再延期：延期应在期限届满前决定并告知申请人。")
    before = _state(application)
    application.extension_days = days
    application.extension_reason = reason.strip()
    application.extension_approved_by = actor
    application.extension_approved_on = approved_on
    _save(actor, application, "application.extend", f"负责人同意延期 {days} 个工作日", before)
    return application


# --- fees -------------------------------------------------------------------------------


def earlier_items_this_month(application: Application) -> int:
    """按件: what the same applicant already asked of this agency in the same calendar month,
    before this application (by day of receipt, then by number). A 更正申请 (第四十一条) is not
    a 政府信息公开申请 and is not counted."""
    key = application.applicant_key
    if not key or application.received_on is None:
        return 0
    day = application.received_on
    field = "organisation_code" if application.is_organisation else "id_number"
    earlier = Application.objects.filter(
        agency=application.agency,
        received_on__year=day.year,
        received_on__month=day.month,
        kind=CaseKind.DISCLOSURE,
        **{f"{field}__iexact": key},
    ).exclude(pk=application.pk).filter(received_on__lt=day) | Application.objects.filter(
        agency=application.agency,
        received_on=day,
        pk__lt=application.pk,
        kind=CaseKind.DISCLOSURE,
        **{f"{field}__iexact": key},
    )
    return earlier.aggregate(n=Sum("item_count"))["n"] or 0


def fee_for(application: Application, method: FeeMethod, units: int) -> int:
    if FeeMethod(method) is FeeMethod.PER_ITEM:
        return fees.per_item(earlier_items_this_month(application), units)
    return fees.per_page(units)


@transaction.atomic
def issue_fee_notice(
    actor,
    application: Application,
    method: FeeMethod,
    units: int,
    sent_on: dt.date,
    *,
    received_on: dt.date | None = None,
) -> Application:
    """Send the fee notice (国办函〔2020〕109号). The applicant has 20 working days from the day
    after receiving it (第七条): ``received_on`` when known now (handed over: the same day),
    else recorded later by ``record_fee_notice_received``; until then no due date is known."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.IN_PROGRESS)
    _require_disclosure(application, "收费")
    if application.fee_notice_sent_on is not None or application.fee_notice_on is not None:
        raise CaseError("本申请已经发出过收费通知。")
    if not 1 <= units <= MAX_FEE_UNITS:
        raise CaseError(f"件数或页数应为 1 至 {MAX_FEE_UNITS} 之间的整数。")
    _check_day(sent_on, "收费通知发出日期", application)
    if application.reply_due and sent_on > application.reply_due:
        raise CaseError(
            f"收费通知应当在政府信息公开申请处理期限内发出（国办函〔2020〕109号第七条）：本申请的"
            f"答复期限为 {application.shown_due('reply_due')}，发出日期 {sent_on} 已经超过。"
        )
    if received_on is not None:
        _check_received(received_on, sent_on, "收费通知送达日期")
    method = FeeMethod(method)
    if method is FeeMethod.PER_ITEM:
        application.item_count = units
    amount = fee_for(application, method, units)
    if amount == 0:
        raise CaseError(
            "按收费标准本申请不需收费（按件：同一申请人每月10件以内；按量：30页以内），"
            "不应发出收费通知。"
        )
    before = _state(application)
    application.fee_method, application.fee_units, application.fee_amount = method, units, amount
    application.fee_notice_sent_on = sent_on
    application.fee_notice_on = received_on
    application.fee_due = (
        _workdays_or_refuse(received_on, periods.FEE_PAYMENT_DAYS) if received_on else None
    )
    Pause.objects.create(application=application, kind=PauseKind.FEE, start=sent_on)
    application.status = Status.AWAITING_PAYMENT
    due = (
        f"缴费期限 {application.shown_due('fee_due')}（含当日）"
        if received_on
        else "缴费期限待登记送达日期后确定"
    )
    unit = "件" if method is FeeMethod.PER_ITEM else "页"
    _save(
        actor,
        application,
        "application.fee_notice",
        f"发出收费通知：{method.label} {units}{unit}，{amount} 元，{due}",
        before,
    )
    return application


@transaction.atomic
def record_fee_notice_received(actor, application: Application, received_on: dt.date):
    """The day the applicant received the fee notice: the payment period runs from the next
    day (109号第七条)."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.AWAITING_PAYMENT)
    if application.fee_notice_on is not None:
        raise CaseError(f"已登记收费通知送达日期（{application.fee_notice_on}）。")
    _check_received(received_on, application.fee_notice_sent_on, "收费通知送达日期")
    before = _state(application)
    application.fee_notice_on = received_on
    application.fee_due = _workdays_or_refuse(received_on, periods.FEE_PAYMENT_DAYS)
    _save(
        actor,
        application,
        "application.fee_notice_received",
        f"申请人收到收费通知（{received_on}），"
        f"缴费期限 {application.shown_due('fee_due')}（含当日）",
        before,
    )
    return application


@transaction.atomic
def record_payment(actor, application: Application, paid_on: dt.date) -> Application:
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.AWAITING_PAYMENT)
    _check_day(paid_on, "缴费日期", application)
    sent = application.fee_notice_sent_on or application.fee_notice_on
    if paid_on < sent:
        raise CaseError(f"缴费日期（{paid_on}）不能早于收费通知发出日期（{sent}）。")
    if application.fee_due and paid_on > application.fee_due:
        raise CaseError(
            f"缴费期限 {application.fee_due} 已过：逾期未缴费的申请应按“逾期未缴费”办结。"
        )
    before = _state(application)
    application.pauses.filter(kind=PauseKind.FEE, end__isnull=True).update(end=paid_on)
    application.fee_paid_on = paid_on
    application.status = Status.IN_PROGRESS
    _save(actor, application, "application.fee_paid", f"申请人已缴费（{paid_on}）", before)
    return application


# --- decision, reply, archive -----------------------------------------------------------


@transaction.atomic
def decide(
    actor,
    application: Application,
    outcome: str,
    *,
    legal_basis: str,
    decision_text: str,
    decided_on: dt.date,
    withheld: Iterable[tuple[str, str]] = (),
    responsible_agency=None,
    responsible_agency_text: str = "",
    disclosure: str = "",
    provision_form: str = "",
    provision_reason: str = "",
    provision_route: str = "",
    provision_from: dt.date | None = None,
    provision_until: dt.date | None = None,
) -> Application:
    """The outcome is one of the outcomes of ``gongkai.law.outcomes``, so every answered case
    lands in exactly one cell of table 三. What the outcome requires of the case, and what its
    reply must state, are checked here (docs/law/outcomes.md). A reply that discloses states
    how, where and when the information is given (``_provision``). ``withheld``: for 部分公开,
    each withheld part with the key of the ground it rests on (第三十七条)."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    if application.is_record_correction:
        raise CaseError(
            f"申请 {application.tracking_number} 是政府信息更正申请（条例第四十一条），不按年度报告"
            "表三的办理结果决定：请在“作出更正决定”中选择予以更正、不予更正、转送或告知向有权更正的"
            "机关提出。"
        )
    info = outcomes.BY_KEY.get(outcome)
    if info is None:
        raise CaseError("请从年度报告表三的办理结果中选择一项。")
    _check_day(decided_on, "决定日期", application)
    _require_status(application, REQUIRED_STATUS[info.requires])
    if (
        info.requires == outcomes.CORRECTION_LAPSED
        and decided_on <= application.correction_deadline
    ):
        raise CaseError(
            f"补正期限 {application.correction_deadline} 尚未届满，不能按“逾期不补正”办结。"
        )
    if info.requires == outcomes.FEE_LAPSED and application.fee_due is None:
        raise CaseError("收费通知的送达日期尚未登记，缴费期限无法确定，不能按“逾期未缴费”办结。")
    if info.requires == outcomes.FEE_LAPSED and decided_on <= application.fee_due:
        raise CaseError(f"缴费期限 {application.fee_due} 尚未届满，不能按“逾期未缴费”办结。")
    if info.requires == outcomes.CORRECTED and not application.correction_received_on:
        raise CaseError(f"“{info.label}”只适用于申请人已经补正的申请。")
    if info.requires == outcomes.REASONS_UNREASONABLE:
        _require_reasons_unreasonable(application, info, decided_on)
    for earlier, what in (
        (application.correction_received_on, "收到补正之日"),
        (application.fee_paid_on, "缴费日"),
        (max((p.end for p in application.pauses.all() if p.end), default=None), "征求意见结束日"),
    ):
        if earlier and decided_on < earlier:
            raise CaseError(f"决定日期（{decided_on}）不能早于{what}（{earlier}）。")
    legal_basis = (legal_basis or "").strip() or disclosure_basis(info, disclosure)
    if info.needs_reason and not legal_basis:
        raise CaseError(f"“{info.label}”须写明依据。")
    if info.needs_reason and not (decision_text or "").strip():
        raise CaseError(f"“{info.label}”须向申请人说明理由，请填写答复内容。")
    if outcomes.SPECIAL_LAW in info.asks and not outcomes.names_special_law(legal_basis):
        raise CaseError(f"“{info.label}”须在依据中写明{info.note.removeprefix('依据中须写明')}")
    if info.key == "declined_repeated":
        _check_answered_before(application, decision_text, decided_on)
    responsible_agency_text = (responsible_agency_text or "").strip()
    withheld = _withheld(info, withheld)
    _check_refusal_articles(info, legal_basis, withheld)
    if outcomes.RESPONSIBLE_AGENCY not in info.asks:
        responsible_agency, responsible_agency_text = None, ""
    elif responsible_agency is not None and responsible_agency.pk == application.agency_id:
        raise CaseError("负责公开的机关不能是本机关：不属于本机关负责公开时，请选择其他机关。")
    elif (
        responsible_agency is not None
        and not (responsible_agency.phone.strip() or responsible_agency.address.strip())
        and not responsible_agency_text
    ):
        raise CaseError(
            f"{responsible_agency.name}在平台上没有登记联系电话和地址：条例第三十六条第（五）项"
            "要求告知负责公开的机关的名称和联系方式，请在“或填写负责公开的机关的名称和联系方式”中填写。"
        )
    provision = _provision(
        application,
        info,
        decided_on,
        disclosure=disclosure,
        form=provision_form,
        reason=provision_reason,
        route=provision_route,
        since=provision_from,
        until=provision_until,
    )
    if provision["disclosure"]:
        _check_disclosure_basis(legal_basis, provision["disclosure"])
    if not discloses(info) and application.released_items.exists():
        # The item page says it was provided to the applicant (gongkai.applications.release):
        # a reply that gives nothing does not keep items linked.
        raise CaseError(
            f"“{info.label}”不向申请人提供政府信息，但本申请已关联 "
            f"{application.released_items.count()} 条提供的信息：请先取消关联“提供的信息”中的"
            "各条信息，再作出这一决定。"
        )
    before = _state(application)
    if info.requires == outcomes.FEE_LAPSED:
        application.pauses.filter(kind=PauseKind.FEE, end__isnull=True).update(
            end=application.fee_due
        )
    application.outcome = outcome
    application.legal_basis = legal_basis
    application.decision_text = (decision_text or "").strip()
    application.withheld = withheld
    application.responsible_agency = responsible_agency
    application.responsible_agency_text = responsible_agency_text
    for name, value in provision.items():
        setattr(application, name, value)
    application.decided_on = decided_on
    application.decided_by = actor
    application.status = Status.DECIDED
    _save(actor, application, "application.decide", f"作出决定：{info.title}", before)
    return application


def _part_text(part: str) -> str:
    """A withheld part as stored: without the punctuation that closes a sentence, so that the
    same content typed twice is one and the letter's list reads evenly."""
    return (part or "").strip().rstrip("。．.；;，,、 ").strip()


def _withheld(info: outcomes.Outcome, entries: Iterable[tuple[str, str]]) -> list[dict]:
    """部分公开 (第三十七条): the parts withheld, each with its ground, as stored; nothing for
    any other outcome."""
    if outcomes.WITHHELD_PART not in info.asks:
        return []
    entries = [(_part_text(part), ground or "") for part, ground in entries or ()]
    entries = [(part, ground) for part, ground in entries if part or ground]
    if not entries:
        raise CaseError("部分公开须写明不予公开的内容及其理由（条例第三十七条）。")
    if len(entries) > outcomes.MAX_WITHHELD_PARTS:
        raise CaseError(
            f"不予公开的内容最多分 {outcomes.MAX_WITHHELD_PARTS} 项写明，请合并相近的内容。"
        )
    seen = set()
    for number, (part, ground) in enumerate(entries, 1):
        where = f"第 {number} 项不予公开的内容" if len(entries) > 1 else "不予公开的内容"
        if not part:
            raise CaseError(f"{where}未填写：部分公开须写明不予公开的内容（条例第三十七条）。")
        if ground not in outcomes.GROUNDS_BY_KEY:
            raise CaseError(
                f"{where}（{part[:20]}）须选择理由：条例第十四条至第十六条的情形，或不属于政府信息。"
            )
        if (part, ground) in seen:
            raise CaseError(f"{where}（{part[:20]}）与前面的一项内容和理由都相同，请删去一项。")
        seen.add((part, ground))
    return [{"part": part, "ground": ground} for part, ground in entries]


# A tracking number in the text a clerk wrote (as tracking_number() makes them).
TRACKING_NUMBER_IN_TEXT = re.compile(r"(?<!\d)\d{4}-\d{4}-\d{5,}(?!\d)")


def _check_answered_before(application: Application, text: str, decided_on: dt.date) -> None:
    """重复申请 (第三十六条第（六）项: 行政机关已就申请人提出的政府信息公开申请作出答复、申请人
    重复申请公开相同政府信息的): the reply names the earlier request of the same applicant that
    this agency answered, by its number, so that the applicant and a reviewer can check it."""
    numbers = TRACKING_NUMBER_IN_TEXT.findall(text or "")
    earlier = (
        Application.objects.filter(
            agency=application.agency,
            tracking_number__in=numbers,
            kind=CaseKind.DISCLOSURE,
            replied_on__isnull=False,
            replied_on__lte=decided_on,
        ).exclude(pk=application.pk)
        if numbers
        else Application.objects.none()
    )
    key = application.applicant_key
    same = [
        e
        for e in earlier
        if (key and e.applicant_key == key)
        or (not key and e.name.strip() == application.name.strip())
    ]
    if not same:
        raise CaseError(
            "“重复申请”须在答复内容中写明本机关此前已答复该申请人的申请编号（条例第三十六条第（六）项："
            "已就申请人提出的申请作出答复、申请人重复申请公开相同政府信息的），如：“您于2026年3月"
            "提出的申请（编号 2026-0001-00012）本机关已于2026年3月20日答复。”"
            + ("所写的编号不是本机关已答复的、同一申请人的申请。" if numbers else "")
        )


def _check_refusal_articles(info: outcomes.Outcome, basis: str, withheld: list[dict]) -> None:
    """An answer that rests on 第十四条至第十六条 is a refusal and must say so: its reply tells
    the applicant to apply for reconsideration first (行政复议法第二十三条第一款第（四）项), which
    a basis typed under another outcome would avoid. A 部分公开 may cite the articles its
    withheld parts rest on; a part withheld because a law forbids it names that law
    (第十四条)."""
    if info.refusal:
        return
    grounds = [outcomes.GROUNDS_BY_KEY[entry["ground"]] for entry in withheld]
    allowed = {a for g in grounds for a in outcomes.REFUSAL_ARTICLES if a in g.basis}
    extra = [a for a in outcomes.cited_refusal_articles(basis) if a not in allowed]
    if extra:
        where = (
            "请在不予公开的内容中选择依该条的理由"
            if outcomes.WITHHELD_PART in info.asks
            else "依这几条不予公开的，请选择相应的“不予公开”结果"
        )
        raise CaseError(
            f"依据引用了条例{'、'.join(extra)}，但“{info.label}”不是依该条作出的不予公开决定："
            f"{where}，答复才会告知申请人先申请行政复议（行政复议法第二十三条第一款第（四）项）；"
            "否则请从依据中删去该条。"
        )
    if any(g.key == "withheld_prohibited_by_law" for g in grounds) and not (
        outcomes.names_special_law(basis)
    ):
        law = outcomes.BY_KEY["withheld_prohibited_by_law"]
        raise CaseError(
            f"不予公开的内容以“{law.label}”为理由的，{law.note}请在依据中写明，如："
            "《中华人民共和国政府信息公开条例》第十四条、《中华人民共和国档案法》第二十八条。"
        )


# 予以公开 and 部分公开, the first two groups of table 三: the replies that give information
# (条例第三十六条第（一）（二）项, 第三十七条).
# The item of 第三十六条 each way of disclosing rests on; an outcome's default basis that cites
# both items cites the one chosen (docs/law/outcomes.md, 怎样提供).
DISCLOSURE_ITEMS = {
    Disclosure.PUBLISHED: outcomes.ALREADY_PUBLISHED_ITEM,
    Disclosure.PROVIDED: outcomes.PROVIDED_ITEM,
}
_BOTH_ITEMS = outcomes.BOTH_DISCLOSURE_ITEMS


def discloses(info: outcomes.Outcome) -> bool:
    """Whether an outcome's reply gives the applicant information (予以公开, 部分公开)."""
    return info.key in outcomes.DISCLOSING


def disclosure_basis(info: outcomes.Outcome, disclosure: str) -> str:
    """The outcome's default basis, citing the item of 第三十六条 the disclosure rests on: in
    place of both items where the default cites both, else beside the article (部分公开:
    第三十七条)."""
    item = DISCLOSURE_ITEMS.get(disclosure) if disclosure in Disclosure.values else None
    if not item or not info.basis:
        return info.basis
    if _BOTH_ITEMS in info.basis:
        return info.basis.replace(_BOTH_ITEMS, item)
    if item in info.basis or not info.basis.startswith(outcomes.REGULATION):
        return info.basis
    return info.basis.replace(outcomes.REGULATION, f"{outcomes.REGULATION}{item}、", 1)


def _check_disclosure_basis(basis: str, disclosure: str) -> None:
    """A basis the clerk wrote must not cite the other item of 第三十六条 without the chosen one."""
    item = DISCLOSURE_ITEMS[Disclosure(disclosure)]
    other = next(v for k, v in DISCLOSURE_ITEMS.items() if k != disclosure)

    def cited(it: str) -> bool:
        return it in basis or it.replace("第三十六条", "") in basis

    if cited(other) and not cited(item):
        raise CaseError(
            f"依据引用了{other}，与所选的公开情形（{Disclosure(disclosure).label}）不符，"
            f"请改为{item}，或将依据留空使用默认依据。"
        )


def _provision(
    application: Application,
    info: outcomes.Outcome,
    decided_on: dt.date,
    *,
    disclosure: str,
    form: str,
    reason: str,
    route: str,
    since: dt.date | None,
    until: dt.date | None,
) -> dict:
    """How, where and when a disclosing reply gives the information (条例第三十六条第（一）项:
    already published, the 方式、途径 of obtaining it; 第（二）项: provided, with the 方式、途径
    和时间; 第四十条: in the form asked for, or another suitable one with the reason). Empty for
    every other outcome."""
    if not discloses(info):
        return {
            "disclosure": "",
            "provision_form": "",
            "provision_reason": "",
            "provision_route": "",
            "provision_from": None,
            "provision_until": None,
        }
    reason, route = (reason or "").strip(), (route or "").strip()
    if disclosure not in Disclosure.values:
        raise CaseError(
            f"“{info.label}”须选择公开情形：该信息已经主动公开（条例第三十六条第（一）项），"
            "还是向申请人提供（第（二）项）。"
        )
    if form not in Provision.values:
        raise CaseError(
            f"“{info.label}”须选择提供政府信息的形式（条例第四十条）："
            + "、".join(Provision.labels)
            + "。"
        )
    application.provision_form = form
    if application.provision_differs:
        if not reason:
            raise CaseError(
                f"提供形式“{Provision(form).label}”与申请人要求的获取方式"
                f"“{application.get_delivery_display()}”不同：条例第四十条规定，按申请人要求的"
                "形式提供有困难或者可能危及政府信息载体安全的，方可通过其他适当形式提供，"
                "请写明理由。"
            )
    else:
        reason = ""
    if not route:
        raise CaseError(
            "请写明获取途径：网上获取的写明网址，当面查阅、抄录或领取的写明地点和办公时间，"
            "邮寄或电子邮件的写明寄往的地址或邮箱（条例第三十六条第（一）（二）项）。"
        )
    if until is not None and since is None:
        raise CaseError("填写了获取截止日期的，请同时填写起始日期。")
    if disclosure == Disclosure.PROVIDED and since is None:
        raise CaseError(
            "向申请人提供的，须写明提供或可以获取的时间（条例第三十六条第（二）项）："
            "请填写日期，期间的再填写截止日期。"
        )
    for value, what in ((since, "提供或获取日期"), (until, "获取截止日期")):
        if value is not None and value.year < 2000:
            raise CaseError(f"{what}（{value}）不是合理的日期，请核对年份。")
        if value is not None and value < decided_on:
            raise CaseError(f"{what}（{value}）不能早于决定日期（{decided_on}）。")
    if since is not None and until is not None and until < since:
        raise CaseError(f"获取截止日期（{until}）不能早于起始日期（{since}）。")
    return {
        "disclosure": disclosure,
        "provision_form": form,
        "provision_reason": reason,
        "provision_route": route,
        "provision_from": since,
        "provision_until": until,
    }


# The status a case must be in for an outcome's precondition (``Outcome.requires``).
REQUIRED_STATUS = {
    outcomes.IN_PROGRESS: Status.IN_PROGRESS,
    outcomes.CORRECTED: Status.IN_PROGRESS,
    outcomes.CORRECTION_LAPSED: Status.AWAITING_CORRECTION,
    outcomes.FEE_LAPSED: Status.AWAITING_PAYMENT,
    outcomes.REASONS_UNREASONABLE: Status.IN_PROGRESS,
}


def _require_reasons_unreasonable(application: Application, info, decided_on: dt.date) -> None:
    """第三十五条: 不予处理 for many or frequent requests only after the applicant was asked for
    reasons and the office judged them unreasonable, or none came by its date
    (gongkai.applications.reasons)."""
    from gongkai.applications.models import ReasonsJudgement

    if application.reasons_requested_on is None:
        raise CaseError(
            f"“{info.label}”（条例第三十五条）须先要求申请人说明理由：请先办理“要求说明理由”，"
            "再在“登记理由并判断”中认定理由不合理。"
        )
    if application.reasons_judgement != ReasonsJudgement.UNREASONABLE:
        raise CaseError(
            f"“{info.label}”（条例第三十五条）只适用于本机关认为申请理由不合理（或申请人逾期未"
            "说明理由）的申请："
            + (
                f"本申请已于 {application.reasons_judged_on} 认定理由合理，应继续办理。"
                if application.reasons_judgement
                else f"已于 {application.reasons_requested_on} 要求说明理由，请先在“登记理由并"
                "判断”中登记申请人的说明和判断。"
            )
        )
    if decided_on < application.reasons_judged_on:
        raise CaseError(
            f"决定日期（{decided_on}）不能早于认定理由不合理之日（{application.reasons_judged_on}）。"
        )


def outcomes_open_to(application: Application) -> list[outcomes.Outcome]:
    """The outcomes a case in its present status can be decided with."""
    return [o for o in outcomes.OUTCOMES if REQUIRED_STATUS[o.requires] == application.status]


@transaction.atomic
def reply(actor, application: Application, replied_on: dt.date, method: str) -> Application:
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.DECIDED)
    _check_day(replied_on, "答复日期", application)
    if replied_on < application.decided_on:
        raise CaseError(f"答复日期（{replied_on}）不能早于决定日期（{application.decided_on}）。")
    # 条例第十七条, 保守国家秘密法第三十五条: information provided is through the review chain
    # ending in 保密审查 first (gongkai.applications.release, docs/law/release.md).
    from gongkai.applications import release

    release.check_released(application, replied_on)
    before = _state(application)
    application.replied_on = replied_on
    application.reply_method = method
    application.status = Status.REPLIED
    late = application.reply_due and replied_on > application.reply_due
    due_label = "参考期限" if application.is_record_correction else "答复期限"
    summary = f"已答复申请人（{replied_on}）" + (
        f"，超过{due_label} {application.reply_due}" if late else ""
    )
    # What was given is pinned in the reply's event: the published revision of each item
    # (release.pinned), so that a later revision does not rewrite what the applicant got.
    given = release.record_of(application)
    _save(
        actor,
        application,
        "application.reply",
        summary,
        before,
        after_extra={"released": given} if given else None,
    )
    return application


@transaction.atomic
def archive(actor, application: Application) -> Application:
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.REPLIED)
    before = _state(application)
    application.archived_on = today()
    application.status = Status.ARCHIVED
    _save(actor, application, "application.archive", "归档", before)
    return application
