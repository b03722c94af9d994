"""The placeholders a letter template may use, their values for one case, and the substitution.

A template is edited by agency staff, so it is plain text: ``{申请编号}`` is replaced by the
case's tracking number and nothing else happens. There is no attribute access, no expression and
no code (not ``str.format``, not the Django template language): a name is looked up in a fixed
table, and a value is inserted once, never substituted again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from gongkai.applications.clock import provisional_years
from gongkai.applications.models import (
    Application,
    Delivery,
    Disclosure,
    FeeMethod,
    Pause,
    PauseKind,
    Provision,
)
from gongkai.clock import statutory
from gongkai.law import outcomes, periods, records
from gongkai.law.privacy import MASK_EXAMPLES, mask_in_text, mask_phone
from gongkai.letters.models import RECORD_REPLY_KINDS, TO_PARTY_KINDS, Kind

# ``{名称}``: anything between braces is read as a placeholder (and refused if unknown), so that a
# typo such as ``{申请编码}`` is caught when the template is saved instead of printed.
TOKEN = re.compile(r"\{([^{}\n]*)\}")

NOT_FILLED = "（未填写）"
ITEM_NUMBER = re.compile(r"^\s*(\d+\s*[.．、)）]|[（(]\s*\d+\s*[)）])\s*")


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    kinds: tuple[Kind, ...]  # the kinds whose templates may use it


ALL = tuple(Kind)
# The consultation letter and the third-party notice go to a third party or another agency:
# they describe the request but do not disclose who the applicant is or how to reach them.
TO_APPLICANT = tuple(k for k in Kind if k not in TO_PARTY_KINDS)
APPLICANT_PLACEHOLDERS = ("申请人", "通信地址", "邮政编码", "联系电话", "获取方式")
REPLIES = tuple(k for k in Kind if k.is_reply)
DECISIONS = (*REPLIES, Kind.THIRD_PARTY_NOTICE)  # the letters that state the decision
# The replies that give information, and what they must keep: how, where and when it is given
# (第三十六条第（一）（二）项, 第四十条).
DISCLOSING = (Kind.REPLY_GRANTED, Kind.REPLY_PARTIAL)
PROVISION_PLACEHOLDERS = ("提供形式", "获取途径", "获取时间")

PLACEHOLDERS: list[Placeholder] = [
    # The case
    Placeholder("申请编号", "申请编号，如 2026-0002-00001", ALL),
    Placeholder("申请内容", "申请公开的政府信息的名称、文号或特征描述", ALL),
    Placeholder("提交方式", "当面提交、邮寄、互联网、传真等", ALL),
    Placeholder("提交日期", "申请人提交申请的日期", ALL),
    Placeholder("收到日期", "依条例第三十一条确定的收到申请之日；尚未确认时为“待确认”", ALL),
    Placeholder("答复期限", "答复期限（含延期）；暂停或待补正时写明如何计算", ALL),
    Placeholder("落款日期", "本文书的落款日期", ALL),
    Placeholder("救济途径", "行政复议、行政诉讼的告知（按办理结果自动生成）", ALL),
    # The applicant (never the ID number)
    Placeholder("申请人", "申请人姓名或名称", TO_APPLICANT),
    Placeholder("通信地址", "申请人的通信地址", TO_APPLICANT),
    Placeholder("邮政编码", "申请人的邮政编码", TO_APPLICANT),
    Placeholder(
        "联系电话", f"申请人的联系电话（部分隐去，如 {MASK_EXAMPLES['mobile']}）", TO_APPLICANT
    ),
    Placeholder("获取方式", "申请人要求的获取信息的方式", TO_APPLICANT),
    # The agency
    Placeholder("机关名称", "本机关全称", ALL),
    Placeholder("工作机构", "本机关政府信息公开工作机构", ALL),
    Placeholder("机关地址", "本机关办公地址", ALL),
    Placeholder("机关邮编", "本机关邮政编码", ALL),
    Placeholder("机关电话", "本机关联系电话", ALL),
    Placeholder("机关邮箱", "本机关电子邮箱", ALL),
    Placeholder("机关网站", "本机关网站", ALL),
    Placeholder("复议机关", "行政复议机关（机关信息中填写）", ALL),
    Placeholder("管辖法院", "管辖法院；未填写时为“有管辖权的人民法院”", ALL),
    # 接收回执
    Placeholder("查询网址", "申请人查询办理进度的网址", (Kind.RECEIPT,)),
    # 补正 (第三十条)
    Placeholder("补正事项", "需要补正的全部事项，逐条编号", (Kind.CORRECTION,)),
    Placeholder("补正期限", "补正期限", (Kind.CORRECTION,)),
    Placeholder("补正告知日期", "发出补正告知的日期", (Kind.CORRECTION,)),
    # 延期 (第三十三条第二款)
    Placeholder("延长天数", "延长的工作日数", (Kind.EXTENSION,)),
    Placeholder("延期理由", "延期理由", (Kind.EXTENSION,)),
    Placeholder("延期批准日期", "负责人同意延期的日期", (Kind.EXTENSION,)),
    # 说明理由、延迟答复 (第三十五条)
    Placeholder(
        "要求说明理由日期",
        "发出说明理由通知书的日期",
        (Kind.REASONS_REQUEST, Kind.DELAY),
    ),
    Placeholder(
        "计入的申请",
        "本机关认为数量、频次明显超过合理范围的申请，逐条编号",
        (Kind.REASONS_REQUEST,),
    ),
    Placeholder("需要说明的事项", "请申请人说明的事项", (Kind.REASONS_REQUEST,)),
    Placeholder(
        "说明理由期限",
        "请申请人在本机关确定的日期（含当日）前书面说明（条例未规定期限，由本机关确定）",
        (Kind.REASONS_REQUEST,),
    ),
    Placeholder("收到理由说明日期", "收到申请人理由说明的日期", (Kind.DELAY,)),
    Placeholder("延迟答复期限", "本机关确定的延迟答复的期限", (Kind.DELAY,)),
    Placeholder("延迟答复理由", "无法在条例第三十三条规定的期限内答复的理由", (Kind.DELAY,)),
    Placeholder(
        "说明理由情况",
        "“无正当理由大量反复申请”：何时要求说明理由、申请人是否说明、本机关认定理由不合理；"
        "其他不予处理的答复为空",
        (Kind.REPLY_DECLINED,),
    ),
    # 征求意见 (第三十二条、第三十四条)
    Placeholder("被征求意见方", "被征求意见的第三方或机关", (Kind.CONSULTATION,)),
    Placeholder(
        "征求意见事由",
        "为何征求意见及所依据的条文（按第三方或共同制作机关生成）",
        (Kind.CONSULTATION,),
    ),
    Placeholder(
        "意见答复期限",
        f"被征求意见方应当提出意见的期限（自收到征求意见书之日起{periods.CONSULTATION_DAYS}个"
        "工作日）的最后一日；收到日期尚未登记时写明如何计算",
        (Kind.CONSULTATION,),
    ),
    Placeholder(
        "逾期未提出意见",
        "逾期不提出意见的后果（第三方：由本机关决定；共同制作机关：视为同意公开）",
        (Kind.CONSULTATION,),
    ),
    # 第三方告知书 (第三十二条)
    Placeholder("征求意见日期", "发出征求意见书的日期", (Kind.THIRD_PARTY_NOTICE,)),
    Placeholder("第三方意见日期", "第三方提出不同意公开意见的日期", (Kind.THIRD_PARTY_NOTICE,)),
    Placeholder(
        "决定公开的内容",
        "决定公开的政府信息（部分公开的，写明不予公开的部分）",
        (Kind.THIRD_PARTY_NOTICE,),
    ),
    Placeholder(
        "决定公开的理由",
        "作出决定时写明的理由（不含申请人姓名、证件号码和联系方式）",
        (Kind.THIRD_PARTY_NOTICE,),
    ),
    # 收费 (国办函〔2020〕109号)
    Placeholder("收费方式", "按件计收或按量计收", (Kind.FEE,)),
    Placeholder("计费数量", "计费的件数或页数，如 12件、45页", (Kind.FEE,)),
    Placeholder("收费金额", "收费金额（元，数字）", (Kind.FEE,)),
    Placeholder("收费标准", "所适用的收费标准（办法原文）", (Kind.FEE,)),
    Placeholder(
        "计费说明",
        "为什么收费：按件的，同一申请人本月此前已申请的件数和累计件数；按量的，提供的页数",
        (Kind.FEE,),
    ),
    Placeholder("缴纳方式", "本机关的信息处理费缴纳方式（机关信息中填写）", (Kind.FEE,)),
    Placeholder("收费通知日期", "发出收费通知的日期", (Kind.FEE,)),
    Placeholder("缴费期限", "缴费期限", (Kind.FEE,)),
    # 答复
    Placeholder("办理结果", "办理结果，如“不予公开（属于国家秘密）”", DECISIONS),
    Placeholder("依据", "答复所依据的法律条文", REPLIES),
    Placeholder("答复内容", "答复内容（理由、提供的信息或获取途径）", REPLIES),
    Placeholder("决定日期", "作出决定的日期", DECISIONS),
    # 部分公开 (第三十七条)
    Placeholder("不予公开的部分", "不予公开的内容", (Kind.REPLY_PARTIAL,)),
    Placeholder("不予公开的理由", "不予公开部分所依据的情形和条文", (Kind.REPLY_PARTIAL,)),
    # 予以公开、部分公开: how, where and when (第三十六条第（一）（二）项, 第四十条)
    Placeholder(
        "公开情形",
        "已经主动公开的，告知获取的方式、途径；向申请人提供的，告知提供的方式、途径和时间",
        DISCLOSING,
    ),
    Placeholder(
        "提供形式",
        "提供政府信息的形式；与申请人要求的方式不同的，写明理由（条例第四十条）",
        DISCLOSING,
    ),
    Placeholder("获取途径", "获取信息的途径：网址，或地点和办公时间等", DISCLOSING),
    Placeholder("获取时间", "提供或可以获取信息的日期或期间", DISCLOSING),
    # 更正申请 (第四十一条)
    Placeholder(
        "证据",
        "申请人提供的证明记录不准确的证据：写明的证据说明和上传的证据材料",
        RECORD_REPLY_KINDS,
    ),
    Placeholder(
        "有权更正的机关",
        "有权更正该记录的行政机关的名称和联系方式（转送或告知另行提出时）",
        (Kind.REPLY_REC_TRANSFER, Kind.REPLY_REC_ELSEWHERE),
    ),
    Placeholder(
        "转送日期",
        "本机关将更正申请转送有权更正的行政机关的日期（作出转送决定之日）",
        (Kind.REPLY_REC_TRANSFER,),
    ),
    # 不属于本机关负责公开 (第三十六条第（五）项)
    Placeholder(
        "负责公开的机关",
        "负责公开该信息的行政机关名称和联系方式；无法确定时如实说明",
        (Kind.REPLY_NOT_HELD,),
    ),
]

BY_NAME = {p.name: p for p in PLACEHOLDERS}


def allowed(kind: Kind) -> list[Placeholder]:
    return [p for p in PLACEHOLDERS if Kind(kind) in p.kinds]


def problems(text: str, kind: Kind, *, body: bool = True) -> list[str]:
    """What is wrong with the placeholders of ``text`` for a template of ``kind``, in Chinese;
    empty when every placeholder is known."""
    names = {p.name for p in allowed(kind)}
    unknown = list(
        dict.fromkeys(m.group(1) for m in TOKEN.finditer(text) if m.group(1) not in names)
    )
    messages = []
    if unknown:
        listed = "、".join(f"{{{n}}}" for n in unknown)
        elsewhere = [n for n in unknown if n in BY_NAME]
        message = f"模板中有不能使用的占位符：{listed}。"
        if elsewhere:
            message += (
                f"其中 {'、'.join(f'{{{n}}}' for n in elsewhere)} 不适用于“{Kind(kind).label}”。"
            )
        message += "可以使用的占位符：" + "、".join(f"{{{n}}}" for n in allowed_names(kind)) + "。"
        messages.append(message)
    if body and Kind(kind).is_reply and "{救济途径}" not in text:
        messages.append(
            "答复告知书必须保留 {救济途径}：依条例第十四条、第十五条、第十六条不予公开的答复须告知"
            "申请人先申请行政复议（行政复议法第二十三条第一款第（四）项），其他答复须告知复议和"
            "诉讼的途径与期限。"
        )
    if body and Kind(kind) is Kind.REPLY_DECLINED and "{说明理由情况}" not in text:
        messages.append(
            "“政府信息公开申请不予处理告知书”必须保留 {说明理由情况}：依条例第三十五条不予处理的，"
            "须写明本机关何时要求申请人说明理由，以及认定理由不合理。"
        )
    if (
        body
        and Kind(kind) in (Kind.REPLY_REC_TRANSFER, Kind.REPLY_REC_ELSEWHERE)
        and "{有权更正的机关}" not in text
    ):
        messages.append(
            f"“{Kind(kind).label}”必须保留 {{有权更正的机关}}：条例第四十一条要求转送有权更正的"
            "行政机关或告知申请人向其提出，申请人须知道是哪个机关、如何联系。"
        )
    kept = [n for n in ("不予公开的部分", "不予公开的理由") if f"{{{n}}}" not in text]
    if body and Kind(kind) is Kind.REPLY_PARTIAL and kept:
        messages.append(
            "“政府信息部分公开告知书”必须保留 "
            + "、".join(f"{{{n}}}" for n in kept)
            + "：条例第三十七条要求对不予公开的内容说明理由。"
        )
    missing = [n for n in PROVISION_PLACEHOLDERS if f"{{{n}}}" not in text]
    if body and Kind(kind) in DISCLOSING and missing:
        messages.append(
            f"“{Kind(kind).label}”必须保留 "
            + "、".join(f"{{{n}}}" for n in missing)
            + "：条例第三十六条第（一）（二）项、第四十条要求告知申请人获取信息的方式、途径和时间。"
        )
    if "{" in TOKEN.sub("", text) or "}" in TOKEN.sub("", text):
        messages.append(
            "模板中有不成对的花括号：占位符应写成 {申请编号} 的形式，花括号须成对出现。"
        )
    return messages


def allowed_names(kind: Kind) -> list[str]:
    return [p.name for p in allowed(kind)]


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace each known ``{名称}`` by its value in one pass; an unknown one stays as written
    (saving refuses those, but a template saved before a placeholder was retired still
    renders)."""
    return TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


# --- values -----------------------------------------------------------------------------


def day(value: dt.date | None, missing: str = NOT_FILLED) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else missing


def result_text(info: outcomes.Outcome) -> str:
    """The outcome as a letter states it, in the words of its article: ``予以公开``,
    ``不予公开（属于国家秘密）``; a referral (行政查询事项, 第三十六条第（七）项) and 其他处理
    by their own words, addressed to the applicant."""
    words = info.wording or info.label
    if info.label == info.group:
        return info.group
    if info.group == "不予公开" and not info.refusal:
        return words  # a referral, not a refusal
    if info.group == "其他处理":
        return "其他处理（具体情况见下文）" if info.label == "其他" else words
    return f"{info.group}（{words}）"


def remedy_clause(application: Application | None, agency) -> str:
    """The 救济途径 of a reply (docs/law/outcomes.md, 救济途径).

    A refusal to disclose under 第十四条、第十五条、第十六条 — and a partial disclosure whose
    withheld part rests on one of them — must first go to administrative reconsideration
    (复议前置: 行政复议法第二十三条第一款第（四）项, 法释〔2025〕8号第一条); the applicant may go to
    court within 15 days of the reconsideration decision (行政诉讼法第四十五条). Every other reply
    may go to reconsideration within 60 days (行政复议法第二十条) or to court within six months
    (行政诉讼法第四十六条). ``application`` None (a procedural letter) gets the two routes. An
    agency without a 复议机关 on file gets the generic wording, never an invented body; the
    office pages warn about it.
    """
    body = agency.reconsideration_body.strip() or "行政复议机关"
    info = application.outcome_info if application is not None else None
    grounds = [ground for _, ground in application.withheld_parts] if info else []
    court = agency.court.strip() or "有管辖权的人民法院"
    two_routes = (
        f"可以自收到本答复之日起{periods.RECONSIDERATION_DAYS}日内向{body}"
        f"申请行政复议，也可以自收到本答复之日起{periods.LITIGATION_MONTHS}个月内向{court}"
        "提起行政诉讼。"
    )
    if info is not None and grounds and outcomes.review_first(info, grounds):
        # 部分公开: only the withheld part is a 不予公开 decision; the part provided (its
        # content, its form) is contested by either route (法释〔2025〕8号第一条).
        return (
            f"如对本答复中不予公开的部分不服，应当自收到本答复之日起{periods.RECONSIDERATION_DAYS}"
            f"日内先向{body}申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起"
            f"{periods.LITIGATION_AFTER_RECONSIDERATION_DAYS}日内依法向人民法院提起行政诉讼"
            "（《中华人民共和国行政复议法》第二十三条第一款第（四）项，《中华人民共和国行政诉讼法》"
            f"第四十五条）。对本答复的其他内容不服的，{two_routes}"
        )
    if info is not None and outcomes.review_first(info, grounds):
        return (
            f"如对本答复不服，应当自收到本答复之日起{periods.RECONSIDERATION_DAYS}日内先向{body}"
            f"申请行政复议；对行政复议决定不服的，可以自收到行政复议决定书之日起"
            f"{periods.LITIGATION_AFTER_RECONSIDERATION_DAYS}日内依法向人民法院提起行政诉讼；"
            "行政复议机关逾期不作决定的，可以在复议期满之日起"
            f"{periods.LITIGATION_AFTER_RECONSIDERATION_DAYS}日内向人民法院提起行政诉讼"
            "（《中华人民共和国行政复议法》第二十三条第一款第（四）项，《中华人民共和国行政诉讼法》"
            "第四十五条）。"
        )
    return f"如对本答复不服，{two_routes}"


def fee_reason(application: Application, method: FeeMethod | None) -> str:
    """Why this request is charged (国办函〔2020〕109号第二条、第四条、第五条): 按件, the items
    the same applicant asked of this agency earlier in the calendar month and the running
    total; 按量, the pages provided."""
    from gongkai.applications.services import earlier_items_this_month

    units = application.fee_units or 0
    if method is FeeMethod.PER_ITEM and application.received_on:
        earlier = earlier_items_this_month(application)
        month = f"{application.received_on.year}年{application.received_on.month}月"
        return (
            f"您于{month}此前已向本机关申请{earlier}件，本申请按“一事一申请”计{units}件，"
            f"本月累计{earlier + units}件；同一申请人一个自然月内累计10件以下（含10件）的不收费"
        )
    if method is FeeMethod.PER_PAGE:
        return f"本次提供的政府信息共{units}页；30页以下（含30页）的不收费"
    return NOT_FILLED


def withheld_text(application: Application) -> tuple[str, str]:
    """部分公开 (第三十七条): the withheld parts and their grounds as a letter states them, in
    the words of the articles. A part withheld on two grounds is stated once with both; when
    there are several parts, each goes on a line of its own, numbered alike in both lists so
    that each ground reads against its part."""
    grouped: dict[str, list[str]] = {}
    for part, ground in application.withheld_parts:
        grouped.setdefault(part, [])
        if ground is not None:
            grouped[part].append(f"{ground.text}（{ground.basis}）")
    if len(grouped) == 1:
        part, grounds = next(iter(grouped.items()))
        return part, "；".join(grounds)
    numbers = "一二三四五六七八九十"
    parts = "\n".join(f"（{numbers[i]}）{part}；" for i, part in enumerate(grouped))
    grounds = "\n".join(
        f"（{numbers[i]}）{'；'.join(g) or NOT_FILLED}；" for i, g in enumerate(grouped.values())
    )
    return parts.removesuffix("；"), grounds.removesuffix("；")


def reasons_values(application: Application) -> dict[str, str]:
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
            f"请您于{day(answer_by)}（含当日）前以书面形式向本机关说明；逾期未说明理由的，"
            "本机关将视为理由不合理，告知您不予处理。"
            if answer_by
            else "请您以书面形式向本机关说明。"
        ),
        "收到理由说明日期": day(application.reasons_received_on),
        "延迟答复期限": day(application.delayed_until),
        "延迟答复理由": application.delay_reason.strip() or NOT_FILLED,
    }


def reasons_stated(application: Application) -> str:
    """第三十五条: a 不予处理 of many or frequent requests states that reasons were asked, when,
    and that they were judged unreasonable (or not given by the date set). Empty for every other
    outcome, and for a case recorded without those steps (imported from a ledger)."""
    if application.outcome != "declined_excessive" or not application.reasons_requested_on:
        return ""
    from gongkai.applications import reasons

    text = f"本机关于{day(application.reasons_requested_on)}书面要求您说明申请理由。"
    judged = day(application.reasons_judged_on)
    if application.reasons_received_on:
        return text + (
            f"您于{day(application.reasons_received_on)}作出了说明，本机关于{judged}审查认为，"
            "您的申请理由不合理。"
        )
    asked = reasons.asked(application)
    by = f"（{day(asked.answer_by)}）" if asked and asked.answer_by else ""
    return text + f"您未在本机关确定的期限{by}内说明理由，本机关于{judged}认定您的申请理由不合理。"


def responsible_agency_text(application: Application) -> str:
    """第三十六条第（五）项: the agency responsible for the information and how to reach it,
    where it can be determined."""
    if application.responsible_agency_id:
        other = application.responsible_agency
        contact = "，".join(
            part
            for part in (
                f"联系电话：{other.phone}" if other.phone else "",
                f"地址：{other.address}" if other.address else "",
            )
            if part
        )
        typed = application.responsible_agency_text.strip()
        return other.name + (f"（{contact}）" if contact else "") + (f"，{typed}" if typed else "")
    return application.responsible_agency_text.strip()


def evidence_text(application: Application) -> str:
    """第四十一条 "有证据证明": the evidence of a 更正申请 as its letters state it — what the
    applicant wrote, and how many files came with the request."""
    written = application.evidence_text.strip().rstrip("。．.；;")
    count = application.attachments.count() if application.pk else 0
    files = f"证据材料 {count} 份（随申请上传或提交）" if count else ""
    return "；".join(part for part in (written, files) if part) or NOT_FILLED


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


def objected_consultation(application: Application) -> Pause | None:
    """The latest third-party consultation that ended with an objection (第三十二条), if the
    case has one."""
    pauses = [
        p
        for p in application.pauses.all()
        if p.kind == PauseKind.THIRD_PARTY and p.end is not None and p.result == "objected"
    ]
    return max(pauses, key=lambda p: (p.start, p.id), default=None)


def answer_due_text(pause: Pause) -> str:
    """The last day of the party's period, as the consultation letter states it: a date once
    the day of receipt is recorded, else how it is counted (第三十二条、第三十四条)."""
    if pause.received_on is None:
        return (
            f"您（贵单位）收到本征求意见书之日后的第{periods.CONSULTATION_DAYS}个工作日"
            "（以签收或送达记录上的日期为准）"
        )
    if pause.answer_due is None:
        return (
            f"自{day(pause.received_on)}（收到本征求意见书之日）起的第"
            f"{periods.CONSULTATION_DAYS}个工作日"
        )
    return dated(pause.answer_due, pause.received_on)


def consultation_pause(application: Application) -> Pause | None:
    """The open consultation, else the latest one; None if the case has none."""
    pauses = [p for p in application.pauses.all() if p.kind != PauseKind.FEE]
    open_ = [p for p in pauses if p.end is None]
    if open_:
        return open_[-1]
    return max(pauses, key=lambda p: (p.start, p.id), default=None)


def dated(value: dt.date | None, start: dt.date | None) -> str:
    """A due date as a letter states it: provisional dates (counted from ``start`` over a
    year whose holiday notice is not loaded) say so, and what decides them."""
    if value is None:
        return NOT_FILLED
    years = provisional_years(start, value) if start else []
    return day(value) + (statutory.letter_note(years) if years else "")


def reply_due_text(application: Application) -> str:
    """The reply due date as the applicant should read it: a date whenever one is known, else
    the period counted from the day it runs from, with the extension in it (第三十三条)."""
    total = periods.REPLY_DAYS + application.extension_days
    start = application.correction_received_on or application.received_on
    if application.reply_due:
        return dated(application.reply_due, start)
    if application.received_on is None:
        return f"自收到申请之日起{total}个工作日内（收到申请之日待确认）"
    if application.correction_notice_on and not application.correction_received_on:
        return f"自本机关收到补正后的申请之日起{total}个工作日内"
    since = "收到补正后的申请之日" if application.correction_received_on else "收到申请之日"
    period = f"自{since}起{total}个工作日内"
    if application.pk:
        # While a pause lasts no date can be known: the period, and what is not counted in it.
        open_ = [p for p in application.pauses.all() if p.end is None]
        if open_:
            if open_[0].kind == PauseKind.FEE:
                return f"{period}（等待缴纳信息处理费的期间不计算在内，具体日期待缴费后确定）"
            # The letters say themselves that consultation time is not counted.
            return f"{period}（目前正在征求意见，具体日期待征求意见结束后确定）"
    return period


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
    agency = application.agency
    info = application.outcome_info
    submitted = timezone.localdate(application.submitted_at) if application.submitted_at else None
    v = {
        "申请编号": application.tracking_number,
        # Quoted in the letters: without its own final full stop.
        # (a 更正申请's written evidence is its own placeholder, {证据})
        "申请内容": application.request_text.strip().rstrip("。．.；;"),
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
    if kind is Kind.CORRECTION:
        items = application.correction_items or []
        # Numbered here; a number the clerk typed in front of an item is dropped.
        items = [ITEM_NUMBER.sub("", item) for item in items]
        v["补正事项"] = "\n".join(f"{n}. {item}" for n, item in enumerate(items, 1))
        v["补正期限"] = day(application.correction_deadline)
        v["补正告知日期"] = day(application.correction_notice_on)
    elif kind is Kind.EXTENSION:
        v["延长天数"] = str(application.extension_days)
        v["延期理由"] = application.extension_reason or NOT_FILLED
        v["延期批准日期"] = day(application.extension_approved_on)
    elif kind in (Kind.REASONS_REQUEST, Kind.DELAY):
        v.update(reasons_values(application))
    elif kind is Kind.CONSULTATION and pause is not None:
        v["被征求意见方"] = pause.party
        v["意见答复期限"] = answer_due_text(pause)
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
    elif kind is Kind.THIRD_PARTY_NOTICE and pause is not None:
        v["被征求意见方"] = pause.party
        v["征求意见日期"] = day(pause.start)
        v["第三方意见日期"] = day(pause.end)
        v["办理结果"] = result_text(info) if info else NOT_FILLED
        v["决定日期"] = day(application.decided_on)
        disclosed = v["申请内容"]
        if application.withheld_parts:
            parts = dict.fromkeys(part for part, _ in application.withheld_parts)
            disclosed += f"（其中不予公开的部分：{'；'.join(parts)}）"
        v["决定公开的内容"] = disclosed
        reason = application.decision_text.strip()
        if application.name.strip():
            reason = reason.replace(application.name.strip(), "申请人")
        v["决定公开的理由"] = reason or NOT_FILLED
    elif kind is Kind.FEE:
        method = FeeMethod(application.fee_method) if application.fee_method else None
        unit = "件" if method is FeeMethod.PER_ITEM else "页"
        v["收费方式"] = method.label if method else NOT_FILLED
        v["计费数量"] = f"{application.fee_units}{unit}" if application.fee_units else NOT_FILLED
        v["收费金额"] = str(application.fee_amount or 0)
        v["收费标准"] = FEE_STANDARDS.get(method, NOT_FILLED)
        v["计费说明"] = fee_reason(application, method)
        v["缴纳方式"] = agency.fee_payment.strip() or (
            f"请与{agency.office_name or agency.name}联系办理缴费手续"
        )
        v["收费通知日期"] = day(application.fee_notice_sent_on or application.fee_notice_on)
        v["缴费期限"] = (
            dated(application.fee_due, application.fee_notice_on)
            if application.fee_due
            else f"您收到本通知之日后的第{periods.FEE_PAYMENT_DAYS}个工作日"
        )
    elif application.is_record_correction:
        v.update(record_values(application, kind))
    elif kind.is_reply:
        v["办理结果"] = result_text(info) if info else NOT_FILLED
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
    if kind in TO_PARTY_KINDS:
        # Nothing that identifies or reaches the applicant, even from an edited template.
        for name in APPLICANT_PLACEHOLDERS:
            v[name] = "（不予告知）"
    # No ID or mobile number is printed, the applicant's own document number (whatever its
    # type) included, even where it was written into the request (a consultation letter goes
    # to a third party; docs/law/privacy.md).
    return {k: mask_in_text(text, known=[application.id_number]) for k, text in v.items()}
