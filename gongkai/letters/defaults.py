"""The built-in wording of every letter, used until an agency administrator edits it.

Plain text with ``{占位符}`` (see ``placeholders.PLACEHOLDERS``). Paragraphs are separated by a
blank line; a line that starts with a number (``1.``、``（一）``) stays a line of its own.
Procedural letters carry no remedy clause: they decide nothing on the request (the agency may
add ``{救济途径}``; docs/law/outcomes.md, 救济途径).
"""

from __future__ import annotations

import re

from gongkai.law import periods
from gongkai.letters.models import Kind

_CONTACT = "联系机构：{工作机构}；联系电话：{机关电话}；地址：{机关地址}。"

_RECEIPT = (
    """\
本机关已收到您提交的政府信息公开申请，现将有关事项告知如下：

申请编号：{申请编号}

提交方式：{提交方式}

提交日期：{提交日期}

收到申请之日：{收到日期}

所需政府信息：{申请内容}

根据《中华人民共和国政府信息公开条例》第三十一条的规定，当面提交申请的，以提交之日为收到
申请之日；以邮寄方式提交的，以本机关签收之日为收到申请之日；以平常信函、互联网或者传真提交的，
以双方确认之日为收到申请之日；口头提出、由本机关代为填写并经您确认的，与当面提交相同。
本机关将自收到申请之日起[[REPLY_DAYS]]个工作日内依法答复；需要延长答复期限的，将另行书面告知。申请内容不明确、需要您补正的，
本机关将另行告知，答复期限自收到补正的申请之日起计算（第三十条）；依照条例规定征求第三方或者其他机关意见
所需的时间，不计算在答复期限内（第三十三条第三款）。

您可以凭申请编号和查询码在 {查询网址} 查询办理进度。查询码已在您提交申请时告知，请妥善保管，
不要告诉他人。

本机关登记的您的通信地址为：{通信地址}，联系电话为：{联系电话}。如有变更，请及时告知本机关。

"""
    + _CONTACT
)

_CORRECTION = (
    """\
本机关于{收到日期}收到您提交的政府信息公开申请（申请编号：{申请编号}）。经审查，您的申请内容
不明确。根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您对下列事项作出补正：

{补正事项}

请您于{补正期限}（含当日）前向本机关提交补正后的申请。答复期限自本机关收到补正后的申请之日起
计算。

您无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。

"""
    + _CONTACT
)

_EXTENSION = (
    """\
本机关于{收到日期}收到您提交的政府信息公开申请（申请编号：{申请编号}）。本机关不能在《中华人民
共和国政府信息公开条例》第三十三条第二款规定的[[REPLY_DAYS]]个工作日内作出答复，理由如下：

{延期理由}

根据条例第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意（{延期批准日期}），答复
期限延长{延长天数}个工作日，延长后的答复期限为{答复期限}。征求第三方和其他机关意见所需时间不计算
在答复期限内。

"""
    + _CONTACT
)

# 第三十五条: many or frequent requests; the applicant is asked for reasons. The 条例 sets no
# period for the answer: the date, if any, is the office's (docs/law/excessive.md).
_REASONS_REQUEST = (
    """\
本机关于{收到日期}收到您提交的政府信息公开申请（申请编号：{申请编号}）。经统计，您向本机关提出的
下列政府信息公开申请，数量、频次明显超过合理范围：

{计入的申请}

根据《中华人民共和国政府信息公开条例》第三十五条的规定，请您说明理由：

{需要说明的事项}

{说明理由期限}

本机关认为申请理由不合理的，将告知您不予处理；认为申请理由合理，但是无法在条例第三十三条规定的期限内答复的，
可以确定延迟答复的合理期限并告知您。

"""
    + _CONTACT
)

# 第三十五条: reasonable reasons, but no reply possible within 第三十三条's period.
_DELAY = (
    """\
本机关于{收到日期}收到您提交的政府信息公开申请（申请编号：{申请编号}）。本机关于{要求说明理由日期}
要求您说明申请理由，您于{收到理由说明日期}作出了说明。

经审查，本机关认为您的申请理由合理，但是无法在《中华人民共和国政府信息公开条例》第三十三条规定的期限内答复，
理由如下：

{延迟答复理由}

根据条例第三十五条的规定，本机关确定延迟答复的合理期限，将于{延迟答复期限}（含当日）前答复您。

"""
    + _CONTACT
)

_CONSULTATION = (
    """\
本机关于{收到日期}收到一件政府信息公开申请（申请编号：{申请编号}），申请公开的政府信息为：
“{申请内容}”。

{征求意见事由}

请自收到本征求意见书之日起[[CONSULTATION_DAYS]]个工作日内，以书面形式向本机关提出是否同意公开的意见；不同意公开的，
请一并说明理由。上述期限的最后一日为{意见答复期限}。

{逾期未提出意见}

"""
    + _CONTACT
)

_FEE = (
    """\
本机关于{收到日期}收到您提交的政府信息公开申请（申请编号：{申请编号}）。根据《政府信息公开信息
处理费管理办法》（国办函〔2020〕109号）的规定，本申请应当缴纳信息处理费，现通知如下：

收费方式：{收费方式}

计费数量：{计费数量}（{计费说明}）

收费金额：{收费金额}元

收费标准：{收费标准}

缴纳方式：{缴纳方式}

请您自收到本通知的次日起[[FEE_PAYMENT_DAYS]]个工作日内缴纳上述费用，即不晚于{缴费期限}。对收费有疑问的，请与{工作机构}联系，联系电话：{机关电话}。

您逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。

"""
    + _CONTACT
)

# 第三十二条: disclosing over the third party's objection, the agency tells it in writing what
# it decided to disclose and why. The third party may challenge the decision: the two routes
# (docs/law/consultation.md, 第三方告知书).
_THIRD_PARTY_NOTICE = (
    """\
本机关于{收到日期}收到一件政府信息公开申请（申请编号：{申请编号}），申请公开的政府信息为：
“{申请内容}”。本机关于{征求意见日期}就此书面征求您（贵单位）的意见，您（贵单位）于{第三方意见日期}
提出不同意公开的意见。

经审查，根据《中华人民共和国政府信息公开条例》第三十二条的规定，本机关于{决定日期}决定：{办理结果}。
现将决定公开的政府信息内容和理由书面告知如下：

决定公开的政府信息内容：{决定公开的内容}

决定公开的理由：{决定公开的理由}

如对本决定不服，可以自收到本告知书之日起[[RECONSIDERATION_DAYS]]日内向{复议机关}申请行政复议，也可以自收到
本告知书之日起[[LITIGATION_MONTHS]]个月内向{管辖法院}提起行政诉讼。

特此告知。

"""
    + _CONTACT
)

_REPLY_OPENING = """\
本机关于{收到日期}收到您提交的政府信息公开申请（申请编号：{申请编号}），申请公开的政府信息为：
“{申请内容}”。

"""

_REPLY_CLOSING = (
    """

{救济途径}

特此告知。

"""
    + _CONTACT
)

_REPLY_GRANTED = (
    _REPLY_OPENING
    + """\
经审查，您申请公开的政府信息属于可以公开的政府信息。根据{依据}的规定，本机关决定予以公开。
{公开情形}

提供形式：{提供形式}

获取途径：{获取途径}

获取时间：{获取时间}

{答复内容}"""
    + _REPLY_CLOSING
)

_REPLY_PARTIAL = (
    _REPLY_OPENING
    + """\
经审查，您申请公开的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。根据
{依据}的规定，本机关向您提供可以公开的政府信息内容，对不予公开的内容说明如下：

不予公开的内容：{不予公开的部分}

不予公开的理由和依据：{不予公开的理由}

{公开情形}

提供形式：{提供形式}

获取途径：{获取途径}

获取时间：{获取时间}

{答复内容}"""
    + _REPLY_CLOSING
)

_REPLY_WITHHELD = (
    _REPLY_OPENING
    + """\
经审查，本机关决定：{办理结果}。理由如下：

{答复内容}

依据：{依据}。"""
    + _REPLY_CLOSING
)

_REPLY_REFERRAL = (
    _REPLY_OPENING
    + """\
经审查，您申请获取的信息{办理结果}，有关法律、行政法规对该信息的获取有特别规定。根据{依据}的
规定，请您依照有关法律、行政法规的规定办理。具体情况如下：

{答复内容}"""
    + _REPLY_CLOSING
)

_REPLY_NOT_EXIST = (
    _REPLY_OPENING
    + """\
经本机关检索，没有您申请公开的政府信息。根据{依据}的规定，现告知您：该政府信息不存在。
检索的情况如下：

{答复内容}"""
    + _REPLY_CLOSING
)

_REPLY_NOT_HELD = (
    _REPLY_OPENING
    + """\
经审查，您申请公开的政府信息不属于本机关负责公开。理由如下：

{答复内容}

{负责公开的机关}

依据：{依据}。"""
    + _REPLY_CLOSING
)

_REPLY_UNABLE = (
    _REPLY_OPENING
    + """\
经审查，本机关决定：{办理结果}。具体情况如下：

{答复内容}

依据：{依据}。"""
    + _REPLY_CLOSING
)

_REPLY_DECLINED = (
    _REPLY_OPENING
    + """\
{说明理由情况}

经审查，本机关决定：{办理结果}。理由如下：

{答复内容}

依据：{依据}。"""
    + _REPLY_CLOSING
)

_REPLY_OTHER = (
    _REPLY_OPENING
    + """\
本机关对您的申请作如下处理：{办理结果}。具体情况如下：

{答复内容}

依据：{依据}。"""
    + _REPLY_CLOSING
)

# 第四十一条: the replies to a request to correct a record about the applicant (更正申请). Each
# cites the article and states what was corrected, why not, or which agency may correct the
# record and how to reach it; the remedy clause is the two routes (docs/law/records.md).
_REC_OPENING = """\
本机关于{收到日期}收到您提交的政府信息更正申请（申请编号：{申请编号}），要求更正的政府信息记录
为：“{申请内容}”。您提供的证据：{证据}。

"""

_REPLY_REC_CORRECTED = (
    _REC_OPENING
    + """\
经审核，您提供的证据证明上述政府信息记录不准确，情况属实。根据《中华人民共和国政府信息公开条例》
第四十一条的规定，本机关于{决定日期}决定：{办理结果}。更正的情况如下：

{答复内容}"""
    + _REPLY_CLOSING
)

_REPLY_REC_REFUSED = (
    _REC_OPENING
    + """\
经审核，本机关于{决定日期}决定：{办理结果}。理由如下：

{答复内容}

依据：{依据}。"""
    + _REPLY_CLOSING
)

_REPLY_REC_TRANSFER = (
    _REC_OPENING
    + """\
经审核，您要求更正的政府信息记录不属于本机关职能范围。根据《中华人民共和国政府信息公开条例》
第四十一条的规定，本机关已于{转送日期}将您的更正申请转送有权更正的行政机关处理，由该机关依法
审核。接收转送的机关：{有权更正的机关}。

{答复内容}"""
    + _REPLY_CLOSING
)

_REPLY_REC_ELSEWHERE = (
    _REC_OPENING
    + """\
经审核，您要求更正的政府信息记录不属于本机关职能范围。根据《中华人民共和国政府信息公开条例》
第四十一条的规定，请您向有权更正的行政机关提出更正申请：{有权更正的机关}。

{答复内容}"""
    + _REPLY_CLOSING
)

# The receipt and the 补正 notice of a 更正申请: built in, not the agency's edited letters of a
# 政府信息公开申请 (those state 第三十三条's period, which a 更正申请 does not have).
_REC_RECEIPT = (
    """\
本机关已收到您提交的政府信息更正申请，现将有关事项告知如下：

申请编号：{申请编号}

提交方式：{提交方式}

提交日期：{提交日期}

收到申请之日：{收到日期}

要求更正的政府信息记录：{申请内容}

您提供的证据：{证据}

根据《中华人民共和国政府信息公开条例》第四十一条的规定，本机关将审核您要求更正的记录和提供的
证据：审核属实的，予以更正并告知您；不属于本机关职能范围的，将转送有权更正的行政机关处理并告知
您，或者告知您向有权更正的行政机关提出。条例未规定更正申请的答复期限，本机关将及时审核并答复；
自本机关收到申请之日起两个月内未答复的，您可以依照《中华人民共和国行政诉讼法》第四十七条第一款的
规定提起行政诉讼。

您可以凭申请编号和查询码在 {查询网址} 查询办理进度。查询码已在您提交申请时告知，请妥善保管，
不要告诉他人。

本机关登记的您的通信地址为：{通信地址}，联系电话为：{联系电话}。如有变更，请及时告知本机关。

"""
    + _CONTACT
)

_REC_CORRECTION = (
    """\
本机关于{收到日期}收到您提交的政府信息更正申请（申请编号：{申请编号}）。经审查，您的申请需要补正。
请您对下列事项作出补正：

{补正事项}

请您于{补正期限}（含当日）前向本机关提交补正后的申请或证据。逾期未补正的，本机关将根据已有的
申请内容和证据审核（《中华人民共和国政府信息公开条例》第四十一条）。

"""
    + _CONTACT
)

RECORD_TITLES: dict[Kind, str] = {
    Kind.RECEIPT: "政府信息更正申请接收回执",
    Kind.CORRECTION: "政府信息更正申请补正告知书",
}
RECORD_BODIES: dict[Kind, str] = {
    Kind.RECEIPT: _REC_RECEIPT,
    Kind.CORRECTION: _REC_CORRECTION,
}

_BODIES: dict[Kind, str] = {
    Kind.RECEIPT: _RECEIPT,
    Kind.CORRECTION: _CORRECTION,
    Kind.EXTENSION: _EXTENSION,
    Kind.CONSULTATION: _CONSULTATION,
    Kind.FEE: _FEE,
    Kind.THIRD_PARTY_NOTICE: _THIRD_PARTY_NOTICE,
    Kind.REASONS_REQUEST: _REASONS_REQUEST,
    Kind.DELAY: _DELAY,
    Kind.REPLY_GRANTED: _REPLY_GRANTED,
    Kind.REPLY_PARTIAL: _REPLY_PARTIAL,
    Kind.REPLY_WITHHELD: _REPLY_WITHHELD,
    Kind.REPLY_REFERRAL: _REPLY_REFERRAL,
    Kind.REPLY_NOT_EXIST: _REPLY_NOT_EXIST,
    Kind.REPLY_NOT_HELD: _REPLY_NOT_HELD,
    Kind.REPLY_UNABLE: _REPLY_UNABLE,
    Kind.REPLY_DECLINED: _REPLY_DECLINED,
    Kind.REPLY_OTHER: _REPLY_OTHER,
    Kind.REPLY_REC_CORRECTED: _REPLY_REC_CORRECTED,
    Kind.REPLY_REC_REFUSED: _REPLY_REC_REFUSED,
    Kind.REPLY_REC_TRANSFER: _REPLY_REC_TRANSFER,
    Kind.REPLY_REC_ELSEWHERE: _REPLY_REC_ELSEWHERE,
}


def _with_periods(text: str) -> str:
    """``[[REPLY_DAYS]]`` and the like: the period of ``gongkai.law.periods`` of that name."""
    return re.sub(r"\[\[([A-Z_]+)\]\]", lambda m: str(getattr(periods, m.group(1))), text)


BODIES: dict[Kind, str] = {kind: _with_periods(text) for kind, text in _BODIES.items()}


def title(kind: Kind) -> str:
    return Kind(kind).label


def body(kind: Kind) -> str:
    return BODIES[Kind(kind)]
