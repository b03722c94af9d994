"""What stops or lengthens the clock: consultation (第三十二条、第三十四条), the extension
(第三十三条第二款) and the fee (收费, 第四十二条)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Sum

from gongkai.agencies import access
from gongkai.applications.models import (
    Application,
    CaseKind,
    ConsultationResult,
    FeeMethod,
    Pause,
    PauseKind,
    Status,
)
from gongkai.applications.services.base import (
    MAX_FEE_UNITS,
    CaseError,
    _check_day,
    _locked,
    _require_disclosure,
    _require_handler,
    _require_status,
    _save,
    _state,
    _workdays_or_refuse,
    can_extend,
    consultation_answer_due,
    due_as_of,
)
from gongkai.law import fees, periods

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
