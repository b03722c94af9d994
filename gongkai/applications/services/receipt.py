"""Receiving an application (online, registered by the office), confirming it, assigning it,
and the correction (补正, 第三十条)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications.models import (
    Application,
    Attachment,
    CaseKind,
    Channel,
    RequestVersion,
    Status,
)
from gongkai.applications.services.base import (
    APPLICANT_FIELDS,
    CaseError,
    _check_day,
    _locked,
    _require_handler,
    _require_status,
    _save,
    _state,
    can_handle,
    today,
)
from gongkai.applications.services.codes import (
    _hash_code,
    new_query_code,
    next_tracking_number,
)
from gongkai.core import uploads
from gongkai.history.models import record
from gongkai.law import periods, records

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
    oral_reason: str = "",
) -> tuple[Application, str]:
    """An application a clerk registers from paper, post or fax. The day of receipt follows
    第三十一条: in person, the day of submission; by signed post, the day the office signed for
    it; by ordinary letter or fax, the day the office confirmed it with the applicant (left
    empty until then: the case waits as PENDING). An oral application (第二十九条第一款) is
    received the day it is made, like one handed in, once the applicant confirmed the form the
    office filled in for them (``applicant_confirmed_at``), where writing was truly difficult for
    them (``oral_reason``, gongkai.applications.intake)."""
    from gongkai.applications import intake

    _require_handler(actor, agency)
    channel = Channel(channel)
    _check_day(submitted_on, "提交日期")
    if channel is Channel.ORAL:
        intake.check_oral_confirmation(submitted_on, applicant_confirmed_at, oral_reason)
        oral_reason = oral_reason.strip()
    else:
        applicant_confirmed_at = None
        oral_reason = ""
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
    application.oral_reason = oral_reason
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


# The longest corrected request and note (the form's limits on the request).
MAX_DESCRIPTION = 5000
MAX_CORRECTION_NOTE = 2000


def _new_version(
    application: Application, description: str, note: str, received_on: dt.date, *, online: bool
) -> RequestVersion | None:
    """第三十条: the corrected request becomes the case's request; the one before is kept (as
    version 1 the first time). None when neither the request nor a note was given (the office
    registered the date only)."""
    description = (description or "").strip()
    note = (note or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise CaseError(f"补正后的申请内容不应超过 {MAX_DESCRIPTION} 字。")
    if len(note) > MAX_CORRECTION_NOTE:
        raise CaseError(f"补正说明不应超过 {MAX_CORRECTION_NOTE} 字。")
    if not description and not note:
        return None
    versions = application.versions
    if not versions.exists():
        versions.create(
            number=1,
            source=RequestVersion.Source.ORIGINAL,
            description=application.description,
            received_on=application.received_on,
            online=application.channel == Channel.ONLINE,
        )
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = versions.create(
        number=number,
        source=RequestVersion.Source.CORRECTION,
        description=description or application.description,
        note=note,
        received_on=received_on,
        online=online,
    )
    application.description = version.description
    return version


@transaction.atomic
def receive_correction(
    actor,
    application: Application,
    received_on: dt.date,
    *,
    description: str = "",
    note: str = "",
) -> Application:
    """The corrected application arrived: the reply period runs again from this day (第三十条).
    ``description``: the corrected request as the applicant wrote it (by post, at the
    counter), which becomes the case's request, the original kept; ``note``: what else the
    applicant said or sent."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.AWAITING_CORRECTION)
    _check_day(received_on, "收到补正之日", application)
    if received_on < application.correction_notice_on:
        raise CaseError(
            f"收到补正之日（{received_on}）不能早于补正告知日（{application.correction_notice_on}）。"
        )
    before = _state(application)
    version = _new_version(application, description, note, received_on, online=False)
    application.correction_received_on = received_on
    application.status = Status.IN_PROGRESS
    late = ""
    if received_on > application.correction_deadline:
        late = f"（晚于补正期限 {application.correction_deadline}，承办人已接受）"
    what = f"，申请内容为第 {version.number} 版" if version else ""
    _save(
        actor,
        application,
        "application.correction_received",
        f"收到补正后的申请（{received_on}）{what}，答复期限重新计算{late}",
        before,
    )
    return application


@uploads.atomic()
def correct_online(
    application: Application, *, description: str, note: str = "", files: Iterable = ()
) -> Application:
    """The applicant answers the 补正 notice on their case page: the corrected request (and
    its files) becomes the case's request, the original kept, and the reply period runs again
    from today (第三十条). The platform records the arrival itself: it answers the office's
    notice in the case the office opened, so no confirmation under 第三十一条 is needed
    (docs/applicant.md). Before the correction deadline only: afterwards the applicant
    explains the delay to the office, which may accept it (``receive_correction``)."""
    application = _locked(application)
    if application.status != Status.AWAITING_CORRECTION:
        raise CaseError("本申请目前不需要补正。")
    day = today()
    agency = application.agency
    if application.correction_deadline and day > application.correction_deadline:
        raise CaseError(
            f"补正期限（{application.correction_deadline}）已过，不能在线提交补正。有正当理由的，"
            f"请与{agency.office_name or agency.name}联系"
            + (f"（电话 {agency.phone}）" if agency.phone else "")
            + "说明情况（条例第三十条）。"
        )
    if not (description or "").strip():
        raise CaseError("请填写补正后的申请内容：写明所需政府信息的名称、文号或特征描述。")
    files = list(files)
    before = _state(application)
    version = _new_version(application, description, note, day, online=True)
    for upload in files:
        uploads.store(Attachment(application=application, version=version), upload)
    application.correction_received_on = day
    application.status = Status.IN_PROGRESS
    extra = f"，附件 {len(files)} 个" if files else ""
    _save(
        AnonymousUser(),
        application,
        "application.correction_received",
        f"申请人在线提交补正（{day}，申请内容为第 {version.number} 版{extra}），答复期限重新计算",
        before,
    )
    return application
