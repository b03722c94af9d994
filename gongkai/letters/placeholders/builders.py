"""The value of every placeholder for one case and one kind of letter: the values common to
every letter (``common_values``), then those of the letter's own kind (``BY_KIND``, one function
per kind; the replies in ``reply_values`` and ``record_values``).

Personal data is limited to what the letter's recipient needs (``values``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from gongkai.applications.models import (
    Application,
    Delivery,
    Disclosure,
    FeeMethod,
    Pause,
    PauseKind,
    Provision,
)
from gongkai.law import periods, records
from gongkai.law.privacy import mask_in_text, mask_phone
from gongkai.letters.models import RECORD_REPLY_KINDS, TO_PARTY_KINDS, Kind
from gongkai.letters.placeholders.catalogue import APPLICANT_PLACEHOLDERS
from gongkai.letters.placeholders.text import (
    ITEM_NUMBER,
    NOT_FILLED,
    answer_due_text,
    dated,
    day,
    evidence_text,
    fee_reason,
    reasons_stated,
    remedy_clause,
    reply_due_text,
    responsible_agency_text,
    result_text,
    withheld_text,
)


def values(
    application: Application,
    kind: Kind,
    *,
    letter_date: dt.date | None,
    query_url: str = "",
    pause: Pause | None = None,
) -> dict[str, str]:
    """The value of every placeholder for this case and kind. Personal data is limited to what
    the letter's recipient needs: the applicant's name and address, a masked phone number, and
    never the ID number."""
    kind = Kind(kind)
    v = common_values(application, kind, letter_date=letter_date, query_url=query_url)
    v.update(kind_values(application, kind, pause))
    if kind in TO_PARTY_KINDS:
        # Nothing that identifies or reaches the applicant, even from an edited template.
        for name in APPLICANT_PLACEHOLDERS:
            v[name] = "（不予告知）"
    # No ID or mobile number is printed, the applicant's own document number (whatever its
    # type) included, even where it was written into the request (a consultation letter goes
    # to a third party; docs/law/privacy.md).
    return {k: mask_in_text(text, known=[application.id_number]) for k, text in v.items()}


def request_text(application: Application) -> str:
    """The request as the letters quote it: without its own final full stop. (A 更正申请's
    written evidence is its own placeholder, {证据}.)"""
    return application.request_text.strip().rstrip("。．.；;")


def common_values(
    application: Application, kind: Kind, *, letter_date: dt.date | None, query_url: str
) -> dict[str, str]:
    """The placeholders of every letter: the case, the applicant, the agency."""
    agency = application.agency
    submitted = timezone.localdate(application.submitted_at) if application.submitted_at else None
    return {
        "申请编号": application.tracking_number,
        "申请内容": request_text(application),
        "提交方式": application.get_channel_display(),
        "提交日期": day(submitted),
        "收到日期": day(application.received_on, "待确认"),
        "答复期限": reply_due_text(application),
        "落款日期": day(letter_date),
        # A procedural notice decides nothing on the request: the generic two-route clause,
        # used only if the agency adds {救济途径} to such a template.
        "救济途径": remedy_clause(application if kind.is_reply else None, agency),
        "申请人": application.name,
        "通信地址": application.address or NOT_FILLED,
        "邮政编码": application.postcode or NOT_FILLED,
        "联系电话": mask_phone(application.phone) if application.phone else NOT_FILLED,
        "获取方式": application.get_delivery_display() or NOT_FILLED,
        "机关名称": agency.name,
        "工作机构": agency.office_name or agency.name,
        "机关地址": agency.address or NOT_FILLED,
        "机关邮编": agency.postcode or NOT_FILLED,
        "机关电话": agency.phone or NOT_FILLED,
        "机关邮箱": agency.email or NOT_FILLED,
        "机关网站": agency.website or NOT_FILLED,
        "复议机关": agency.reconsideration_body.strip() or "行政复议机关",
        "管辖法院": agency.court.strip() or "有管辖权的人民法院",
        "查询网址": query_url or "本机关政府信息公开栏目的“申请查询”页面（/status/）",
    }


def kind_values(application: Application, kind: Kind, pause: Pause | None) -> dict[str, str]:
    """The placeholders of this kind of letter: its function in ``BY_KIND``; a consultation
    letter or third-party notice without its ``pause`` is treated as any other kind. Any other
    letter of a 更正申请 has ``record_values``, any other reply ``reply_values``."""
    build = BY_KIND.get(kind)
    if build is not None and (pause is not None or kind not in ABOUT_A_PAUSE):
        return build(application, pause)
    if application.is_record_correction:
        return record_values(application, kind)
    if kind.is_reply:
        return reply_values(application, kind)
    return {}


def correction_values(application: Application, pause: Pause | None) -> dict[str, str]:
    """补正 (第三十条): the items to correct, numbered, and the dates."""
    items = application.correction_items or []
    # Numbered here; a number the clerk typed in front of an item is dropped.
    items = [ITEM_NUMBER.sub("", item) for item in items]
    return {
        "补正事项": "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1)),
        "补正期限": day(application.correction_deadline),
        "补正告知日期": day(application.correction_notice_on),
    }


def extension_values(application: Application, pause: Pause | None) -> dict[str, str]:
    """延期 (第三十三条第二款): how long, why, approved when."""
    return {
        "延长天数": str(application.extension_days),
        "延期理由": application.extension_reason or NOT_FILLED,
        "延期批准日期": day(application.extension_approved_on),
    }


def reasons_values(application: Application, pause: Pause | None) -> dict[str, str]:
    """The request for reasons and the delayed reply (第三十五条) as their letters state them."""
    from gongkai.applications import reasons

    asked = reasons.asked(application)
    counted = [ITEM_NUMBER.sub("", item) for item in (asked.counted if asked else [])]
    answer_by = asked.answer_by if asked else None
    return {
        "要求说明理由日期": day(application.reasons_requested_on),
        "计入的申请": "\n".join(f"{n}. {item}" for n, item in enumerate(counted, 1)) or NOT_FILLED,
        "需要说明的事项": (asked.question if asked else "") or reasons.DEFAULT_QUESTION,
        "说明理由期限": (
            f"请您于{day(answer_by)}（含当日）前向本机关说明；逾期未说明理由的，"
            "本机关将视为理由不合理，告知您不予处理。"
            if answer_by
            else "请您向本机关说明。"
        ),
        "收到理由说明日期": day(application.reasons_received_on),
        "延迟答复期限": day(application.delayed_until),
        "延迟答复理由": application.delay_reason.strip() or NOT_FILLED,
    }


def consultation_values(application: Application, pause: Pause | None) -> dict[str, str]:
    """征求意见 (第三十二条、第三十四条): the party consulted, by when it answers, and why it is
    asked, which differs for a third party and for an agency that made the information too."""
    v = {"被征求意见方": pause.party, "意见答复期限": answer_due_text(pause)}
    if pause.kind == PauseKind.CO_AGENCY:
        v["征求意见事由"] = (
            "该政府信息由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》"
            "第三十四条的规定，现征求贵机关对公开该政府信息的意见。"
        )
        v["逾期未提出意见"] = "根据条例第三十四条的规定，贵机关逾期未提出意见的，视为同意公开。"
    else:
        v["征求意见事由"] = (
            "本机关认为，公开该政府信息可能损害您（贵单位）的合法权益。根据《中华人民共和国"
            "政府信息公开条例》第三十二条的规定，现书面征求您（贵单位）的意见。"
        )
        v["逾期未提出意见"] = (
            "根据条例第三十二条的规定，逾期未提出意见的，由本机关依照条例的规定决定是否公开。"
            "不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大"
            "影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知您（贵单位）。"
        )
    return v


def third_party_notice_values(application: Application, pause: Pause | None) -> dict[str, str]:
    """第三方告知书 (第三十二条): the consultation, the decision to disclose over the party's
    objection, what is disclosed and why (without naming the applicant)."""
    info = application.outcome_info
    v = {
        "被征求意见方": pause.party,
        "征求意见日期": day(pause.start),
        "第三方意见日期": day(pause.end),
        "办理结果": result_text(info) if info else NOT_FILLED,
        "决定日期": day(application.decided_on),
    }
    disclosed = request_text(application)
    if application.withheld_parts:
        parts = dict.fromkeys(part for part, _ in application.withheld_parts)
        disclosed += f"（其中不予公开的部分：{'；'.join(parts)}）"
    v["决定公开的内容"] = disclosed
    reason = application.decision_text.strip()
    if application.name.strip():
        reason = reason.replace(application.name.strip(), "申请人")
    v["决定公开的理由"] = reason or NOT_FILLED
    return v


FEE_STANDARDS = {
    FeeMethod.PER_ITEM: (
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第四条：同一申请人一个自然月内"
        "累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，100元/件；31件以上的"
        "部分，以10件为一档，每增加一档，收费标准提高100元/件。"
    ),
    FeeMethod.PER_PAGE: (
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第五条：30页以下（含30页）的，"
        "不收费；31—100页（含100页）的部分，10元/页；101—200页（含200页）的部分，20元/页；"
        "201页以上的部分，40元/页。"
    ),
}


def fee_values(application: Application, pause: Pause | None) -> dict[str, str]:
    """收费 (国办函〔2020〕109号): how it is charged, how much and why, how to pay and by when."""
    agency = application.agency
    method = FeeMethod(application.fee_method) if application.fee_method else None
    unit = "件" if method is FeeMethod.PER_ITEM else "页"
    return {
        "收费方式": method.label if method else NOT_FILLED,
        "计费数量": f"{application.fee_units}{unit}" if application.fee_units else NOT_FILLED,
        "收费金额": str(application.fee_amount or 0),
        "收费标准": FEE_STANDARDS.get(method, NOT_FILLED),
        "计费说明": fee_reason(application, method),
        "缴纳方式": agency.fee_payment.strip()
        or (f"请与{agency.office_name or agency.name}联系办理缴费手续"),
        "收费通知日期": day(application.fee_notice_sent_on or application.fee_notice_on),
        "缴费期限": (
            dated(application.fee_due, application.fee_notice_on)
            if application.fee_due
            else f"您收到本通知之日后的第{periods.FEE_PAYMENT_DAYS}个工作日"
        ),
    }


def reply_values(application: Application, kind: Kind) -> dict[str, str]:
    """答复: the outcome, its basis and the reply; how the information is given
    (``provision_values``); the withheld parts (第三十七条); the reasons asked (第三十五条);
    the agency responsible (第三十六条第（五）项)."""
    info = application.outcome_info
    v = {"办理结果": result_text(info) if info else NOT_FILLED}
    basis = application.legal_basis.strip() or (info.basis if info else "")
    v["依据"] = basis.rstrip("。．.；;") or NOT_FILLED
    v["答复内容"] = application.decision_text
    v["决定日期"] = day(application.decided_on)
    v.update(provision_values(application, kind))
    parts, grounds = withheld_text(application)
    v["不予公开的部分"] = parts or NOT_FILLED
    v["不予公开的理由"] = grounds or NOT_FILLED
    v["说明理由情况"] = reasons_stated(application)
    named = responsible_agency_text(application)
    v["负责公开的机关"] = (
        f"经核实，负责公开该政府信息的行政机关为{named}，您可以向其提出申请。"
        if named
        else "本机关无法确定负责公开该政府信息的行政机关。"
    )
    return v


def provision_values(application: Application, kind: Kind) -> dict[str, str]:
    """How, where and when a disclosing reply gives the information (条例第三十六条第（一）项:
    the 方式、途径 of obtaining what is already published; 第（二）项: the 方式、途径和时间 of
    what is provided; 第四十条: the form, and why it is not the one asked for)."""
    what = "可以公开的内容" if kind is Kind.REPLY_PARTIAL else "该政府信息"
    if application.disclosure == Disclosure.PUBLISHED:
        situation = f"{what}已经主动公开，您可以通过下列方式、途径获取。"
    elif application.disclosure == Disclosure.PROVIDED:
        situation = f"本机关向您提供{what}，提供的方式、途径和时间如下。"
    else:
        situation = ""
    form = Provision(application.provision_form) if application.provision_form else None
    asked = application.get_delivery_display()
    if form is None:
        form_text = NOT_FILLED
    elif application.provision_differs:
        reason = application.provision_reason.strip().rstrip("。．.；;")
        form_text = (
            f"{form.label}。您要求的获取方式为“{asked}”，因{reason}，根据条例第四十条的规定，"
            f"本机关以{form.label}的形式提供"
        )
    else:
        form_text = f"{form.label}（按您要求的获取方式“{asked}”提供）" if asked else form.label
    since, until = application.provision_from, application.provision_until
    sent = form is Provision.EMAIL or (
        form in (Provision.PAPER, Provision.MEDIA) and application.delivery != Delivery.PICKUP
    )
    if since and until:
        when = f"{day(since)}至{day(until)}"
    elif since and sent:
        when = f"{day(since)}（本机关寄出或发送之日）"
    elif since:
        when = f"{day(since)}起"
    elif application.disclosure == Disclosure.PUBLISHED:
        when = "该信息已经主动公开，您可以随时获取"
    else:
        when = NOT_FILLED
    return {
        "公开情形": situation,
        "提供形式": form_text,
        "获取途径": application.provision_route.strip().rstrip("。．.；;") or NOT_FILLED,
        "获取时间": when,
    }


def record_values(application: Application, kind: Kind) -> dict[str, str]:
    """The placeholders of a 更正申请's letters (第四十一条, docs/law/records.md)."""
    info = application.record_outcome_info
    v = {"证据": evidence_text(application)}
    if kind in RECORD_REPLY_KINDS:
        v["办理结果"] = info.wording if info else NOT_FILLED
        basis = application.legal_basis.strip() or records.BASIS
        v["依据"] = basis.rstrip("。．.；;")
        v["答复内容"] = application.decision_text
        v["决定日期"] = day(application.decided_on)
        v["有权更正的机关"] = responsible_agency_text(application) or NOT_FILLED
    if Kind(kind) is Kind.REPLY_REC_TRANSFER:
        # 第四十一条: what this agency did, and when; the decision of a transfer is the day the
        # request went to the other agency (docs/law/records.md).
        v["转送日期"] = day(application.decided_on)
    return v


# The letters with placeholders of their own, and the function that fills them in.
BY_KIND: dict[Kind, Callable[[Application, Pause | None], dict[str, str]]] = {
    Kind.CORRECTION: correction_values,
    Kind.EXTENSION: extension_values,
    Kind.REASONS_REQUEST: reasons_values,
    Kind.DELAY: reasons_values,
    Kind.CONSULTATION: consultation_values,
    Kind.THIRD_PARTY_NOTICE: third_party_notice_values,
    Kind.FEE: fee_values,
}
# The letters about a consultation (``pause``).
ABOUT_A_PAUSE = (Kind.CONSULTATION, Kind.THIRD_PARTY_NOTICE)
