"""Which steps of a case the applicant hears of, and what each message says.

``on_event`` runs for every event the history records, in the transaction of the step: for a
step of a case in ``STEPS`` it queues an e-mail (when the applicant gave an address) or else
an SMS (when they gave a mobile number), with the absolute signed link to their case page
and, for a step that has a letter, the letter attached as PDF when sent. The receipt of an
online application is queued by the form itself (``receipt``): only it knows the query code.
Cases imported from a ledger and the demo's cases are never told. docs/notices.md.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from gongkai.applications import applicant_access, due
from gongkai.applications.models import Application
from gongkai.applications.services import today
from gongkai.core import phones
from gongkai.letters.documents import reply_kinds
from gongkai.letters.models import Kind
from gongkai.notices import outbox
from gongkai.notices.models import Channel

log = logging.getLogger(__name__)
_quiet = contextvars.ContextVar("gongkai_notices_quiet", default=False)


@contextlib.contextmanager
def quiet():
    """No message for the steps taken inside (the demo's made-up cases)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "（待定）"


def _due_text(application: Application) -> str:
    state = due.reply_due(application, today())
    if state.reference_only:
        return ""
    if state.state == due.DueState.DATE:
        mark = "（暂定：所跨年份的节假日安排尚未公布）" if state.provisional else ""
        return f"答复期限：{_day(state.day)}{mark}。"
    if state.state == due.DueState.AWAITING_CORRECTION:
        return "答复期限自本机关收到补正之日起重新计算。"
    if state.state == due.DueState.PAUSED:
        return "征求意见、等待缴费的期间不计入答复期限。"
    return ""


def _registered(a: Application) -> str:
    if a.received_on:
        return (
            f"本机关已登记您{a.get_channel_display()}的申请，收到申请之日为{_day(a.received_on)}。"
        )
    return (
        f"本机关已登记您{a.get_channel_display()}的申请；依照条例第三十一条，以双方确认之日为"
        "收到申请之日，工作人员将与您确认。"
    )


def _confirmed(a: Application) -> str:
    return f"本机关已确认收到您的申请，收到申请之日为{_day(a.received_on)}（条例第三十一条）。"


def _correction(a: Application) -> str:
    items = "；".join(str(i) for i in a.correction_items or []) or "见所附补正告知书"
    return (
        f"您的申请内容不明确，需要补正（条例第三十条）。需补正事项：{items}。请于"
        f"{_day(a.correction_deadline)}前补正，可在案件页面在线提交补正内容和材料。无正当理由逾期"
        "不补正的，视为放弃申请。"
    )


def _correction_received(a: Application) -> str:
    return (
        f"本机关已于{_day(a.correction_received_on)}收到您的补正，答复期限自收到补正之日起计算"
        "（条例第三十条）。"
    )


def _extended(a: Application) -> str:
    return (
        f"经政府信息公开工作机构负责人同意，答复期限延长{a.extension_days}个工作日"
        "（条例第三十三条第二款），理由见所附延期答复告知书。"
    )


def _consulting(a: Application) -> str:
    return (
        "您申请的信息涉及第三方或其他机关，本机关正在书面征求意见（条例第三十二条、第三十四条），"
        "征求意见所需时间不计算在答复期限内。"
    )


def _consulted(a: Application) -> str:
    return "征求意见已结束，答复期限继续计算。"


def _fee(a: Application) -> str:
    return (
        f"您的申请需缴纳信息处理费{a.fee_amount or 0}元（国办函〔2020〕109号），收费依据、标准和"
        "缴纳方式见所附收费通知书。"
    )


def _reasons(a: Application) -> str:
    return "本机关请您说明申请的理由（条例第三十五条），需要说明的事项和期限见所附说明理由通知书。"


def _delayed(a: Application) -> str:
    return (
        f"本机关认为您的申请理由合理，但无法在条例第三十三条规定的期限内答复，延迟答复至"
        f"{_day(a.delayed_until)}（条例第三十五条）。"
    )


def _replied(a: Application) -> str:
    return (
        f"本机关已于{_day(a.replied_on)}答复您的申请：{a.result_title or '已办结'}。"
        "答复告知书附后，也可在案件页面下载；"
        "告知书写明了不服答复时申请行政复议、提起行政诉讼的途径和期限。"
    )


def _reply_letter(a: Application) -> str:
    """The reply's own letter (a 更正申请's by its record outcome, the last of reply_kinds)."""
    kinds = reply_kinds(a)
    return kinds[-1].value if kinds else ""


@dataclass(frozen=True)
class Step:
    topic: str
    title: str
    text: Callable[[Application], str]
    letter: Callable[[Application], str] | str = ""
    # Whether the step is told at all for this case (e.g. a judgement only when it delays).
    applies: Callable[[Application], bool] = lambda a: True


STEPS: dict[str, Step] = {
    "application.register": Step("register", "申请已登记", _registered, Kind.RECEIPT.value),
    "application.confirm": Step("confirm", "已确认收到申请", _confirmed, Kind.RECEIPT.value),
    "application.correction_notice": Step(
        "correction", "申请需要补正", _correction, Kind.CORRECTION.value
    ),
    "application.correction_received": Step(
        "correction_received", "已收到补正", _correction_received
    ),
    "application.extend": Step("extension", "答复期限延长", _extended, Kind.EXTENSION.value),
    "application.consultation_start": Step("consultation", "正在征求意见", _consulting),
    "application.consultation_end": Step("consultation_end", "征求意见结束", _consulted),
    "application.fee_notice": Step("fee", "信息处理费收费通知", _fee, Kind.FEE.value),
    "application.reasons_request": Step(
        "reasons", "请说明申请理由", _reasons, Kind.REASONS_REQUEST.value
    ),
    "application.reasons_record": Step(
        "delay", "延迟答复", _delayed, Kind.DELAY.value, applies=lambda a: bool(a.delayed_until)
    ),
    "application.delay_set": Step("delay", "延迟答复", _delayed, Kind.DELAY.value),
    "application.reply": Step("reply", "申请已答复", _replied, _reply_letter),
    # A reply taken back (gongkai.applications.mend): the applicant is told one will follow.
    "application.step_back": Step(
        "reply_withdrawn",
        "答复已撤回，将重新答复",
        lambda a: (
            "本机关发现此前向您作出的答复需要更正，已撤回该答复，将重新作出答复并告知您。"
            "对重新作出的答复不服的，可以依法申请行政复议或者提起行政诉讼。"
        ),
        applies=lambda a: a.status == "decided",
    ),
}


def on_event(sender, instance, created, raw=False, **kwargs):
    """Queue the message of a step. A message that cannot be written must not undo the step,
    which is the office's act in law: the failure is logged for the administrator."""
    if raw or not created or _quiet.get():
        return
    try:
        # A savepoint: a database error here leaves the step's own transaction usable.
        with transaction.atomic():
            _queue_for(instance)
    except Exception:
        log.exception(
            "the message of event %s (%s) could not be queued", instance.pk, instance.action
        )


def _queue_for(instance) -> None:
    step = STEPS.get(instance.action)
    if step is None:
        return
    if instance.subject_type_id != ContentType.objects.get_for_model(Application).pk:
        return
    application = (
        Application.objects.select_related("agency").filter(pk=instance.subject_id).first()
    )
    if application is None or application.imported or not step.applies(application):
        return
    letter = step.letter(application) if callable(step.letter) else step.letter
    tell(application, step.topic, step.title, step.text(application), letter=letter)


def tell(
    application: Application,
    topic: str,
    title: str,
    text: str,
    *,
    letter: str = "",
    extra: str = "",
    secret: str = "",
) -> None:
    """Queue the message of one step to the applicant: e-mail if they gave an address, else an
    SMS to a mobile number; nothing when they gave neither (the letter goes by post)."""
    agency = application.agency
    link = applicant_access.absolute_link(application)
    subject = f"{title}（{application.tracking_number}，{agency.name}）"
    due_text = _due_text(application) if application.status_enum.is_open else ""
    if application.email:
        body = (
            f"{application.name}：\n\n"
            f"您向{agency.name}提出的{application.get_kind_display()}（申请编号"
            f" {application.tracking_number}）：\n\n{text}\n\n"
            + (f"{extra}\n\n" if extra else "")
            + (f"{due_text}\n\n" if due_text else "")
            + "查看办理进度、下载文书、在线补正，请打开您的案件页面"
            "（链接仅供您本人使用，请勿转发）：\n"
            f"{link}\n\n"
            + ("所附 PDF 为本机关的书面告知书。\n\n" if letter else "")
            + f"{agency.office_name or agency.name}\n"
            + (f"电话：{agency.phone}\n" if agency.phone else "")
            + (f"地址：{agency.address}\n" if agency.address else "")
        )
        outbox.queue(
            topic=topic,
            channel=Channel.EMAIL,
            to=application.email,
            subject=subject,
            body=body,
            application=application,
            letter=letter,
            secret=secret,
        )
        return
    mobile = phones.mobile(application.phone)
    if mobile:
        short = (
            f"【{agency.short_name or agency.name}】您的申请{application.tracking_number}："
            f"{title}。{f'查询码 {secret}。' if secret else ''}详情：{link}"
        )
        outbox.queue(
            topic=topic,
            channel=Channel.SMS,
            to=mobile,
            subject=subject,
            body=short,
            application=application,
            secret=secret,
        )


def receipt(application: Application, code: str) -> None:
    """The receipt of an application made online, with its query code (queued by the form and
    the API, in their transaction)."""
    if application.is_record_correction:
        from gongkai.law import records

        period = f"{records.NO_PERIOD}，本机关审核后及时答复；{records.LITIGATION_NOTE}。"
    else:
        period = "答复期限自确认之日起计算（条例第三十三条）。"
    tell(
        application,
        "receipt",
        f"{application.get_kind_display()}回执",
        f"{application.agency.name}已收到您通过网上提交的{application.get_kind_display()}。依照"
        "《中华人民共和国政府信息公开条例》第三十一条，通过互联网提交的申请以双方确认之日为收到"
        f"申请之日；工作人员将与您联系确认，{period}",
        extra=f"申请编号：{application.tracking_number}\n查询码：{code}\n"
        "请妥善保存查询码：凭申请编号和查询码也可在网站“申请查询”页面打开案件页面。",
        secret=code,
    )
