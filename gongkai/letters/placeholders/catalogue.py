"""The placeholders a letter template may use, which kinds of letter may use each, and the
check and substitution of a template's text.

A template is edited by agency staff, so it is plain text: ``{申请编号}`` is replaced by the
case's tracking number and nothing else happens. There is no attribute access, no expression and
no code (not ``str.format``, not the Django template language): a name is looked up in a fixed
table, and a value is inserted once, never substituted again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gongkai.law import periods
from gongkai.law.privacy import MASK_EXAMPLES
from gongkai.letters.models import RECORD_REPLY_KINDS, TO_PARTY_KINDS, Kind

# ``{名称}``: anything between braces is read as a placeholder (and refused if unknown), so that a
# typo such as ``{申请编码}`` is caught when the template is saved instead of printed.
TOKEN = re.compile(r"\{([^{}\n]*)\}")


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
