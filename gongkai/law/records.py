"""Requests to correct a record about oneself (条例第四十一条): who may ask, and how such a
request ends. docs/law/records.md explains each.

A 更正申请 is not a 政府信息公开申请: table 三 of the annual report does not count it, and it
has no period of its own in the 条例. The case file keeps a reference date instead: the two
months of 行政诉讼法第四十七条第一款 (docs/law/records.md).

Plain Python, read by the case file, its forms and its letters.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

REGULATION = "《中华人民共和国政府信息公开条例》"
ARTICLE = "第四十一条"
BASIS = f"{REGULATION}{ARTICLE}"

# 第四十一条 sets no period for answering a 更正申请 (第三十三条 speaks of 政府信息公开申请).
NO_PERIOD = "条例未规定更正申请的答复期限"

# 行政诉讼法第四十七条第一款: where no period is set for an agency to act on a request to protect
# 人身权、财产权等合法权益, the applicant may sue for its inaction once two months from its
# receipt of the request have passed (法律、法规另有规定的除外; 第四十一条 sets none). The case
# file keeps that day as a reference date in ``reply_due``: the lists, the overdue view and the
# reminders read it, but it is never shown as a 第三十三条 period and table 三 never counts it.
LITIGATION_LAW = "《中华人民共和国行政诉讼法》第四十七条第一款"
REFERENCE_MONTHS = 2
REFERENCE_LABEL = "参考期限（行政诉讼法第四十七条：两个月内不履行的可以起诉）"
NO_PERIOD_NOTE = (
    f"{NO_PERIOD}（第三十三条的答复期限适用于政府信息公开申请），本机关应当及时审核并答复。"
    "自收到申请之日起两个月内不答复的，申请人可以依照行政诉讼法第四十七条第一款提起诉讼；"
    "这一日期是参考期限，不是第三十三条的答复期限。"
)
# What the applicant is told of it (the receipt, the e-mail, the page after submitting).
LITIGATION_NOTE = (
    f"自本机关收到申请之日起两个月内未答复的，您可以依照{LITIGATION_LAW}的规定提起行政诉讼"
)


def add_months(day: dt.date, months: int) -> dt.date:
    """The day ``months`` calendar months after ``day``: the same day of the month it ends in,
    or that month's last day where it has none (民法典第二百零一条、第二百零二条: the first
    day is not counted; a period of months ends on the corresponding day, else the month end)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reference_due(received_on: dt.date | None) -> dt.date | None:
    """The reference date of a 更正申请 received on ``received_on`` (行政诉讼法第四十七条第一款:
    two months from the agency's receipt of the request; a 补正 does not move it, that rule of
    条例第三十条 is for 第三十三条's period). Not moved off a rest day: it is a warning, and
    the earlier day is the safer one. None before receipt."""
    return add_months(received_on, REFERENCE_MONTHS) if received_on else None


# "有证据证明": the request states its evidence, in writing or as attached files. A written
# statement is kept after the request's own text, under this heading.
EVIDENCE_HEADING = "证据说明："
EVIDENCE_SEPARATOR = f"\n\n{EVIDENCE_HEADING}"
NO_EVIDENCE = (
    f"要求更正政府信息记录，须有证据证明该记录不准确（条例{ARTICLE}）：请上传证据材料，"
    "或写明证据的名称和内容。"
)

# What the request describes, in place of 第二十九条第（二）项's description of information.
DESCRIPTION_LABEL = "需要更正的政府信息记录、不准确之处和更正内容"
EVIDENCE_LABEL = "证据说明"


@dataclass(frozen=True)
class RecordOutcome:
    key: str
    label: str
    basis: str
    letter: str  # a key of letters.models.Kind
    # How the reply states the decision, to the applicant.
    wording: str = ""
    # What the clerk writes into the reply (答复内容), and whether it must.
    text_label: str = "答复内容"
    # The reply names the agency that may correct the record (not this agency's function).
    names_agency: bool = False
    needs_reason: bool = True


OUTCOMES: list[RecordOutcome] = [
    # "审核属实的，应当予以更正并告知申请人": the letter says what was corrected.
    RecordOutcome(
        "corrected",
        "审核属实，予以更正",
        BASIS,
        "reply_rec_corrected",
        wording="予以更正",
        text_label="更正的内容（告知申请人更正了哪些记录、更正后的内容）",
    ),
    # Not 属实 (the evidence does not show the record to be inaccurate): the reasons are told.
    RecordOutcome(
        "refused",
        "经审核不予更正",
        BASIS,
        "reply_rec_refused",
        wording="不予更正",
        text_label="不予更正的理由",
    ),
    # "不属于本行政机关职能范围的，行政机关可以转送有权更正的行政机关处理并告知申请人".
    RecordOutcome(
        "transferred",
        "转送有权更正的行政机关处理",
        BASIS,
        "reply_rec_transfer",
        wording="转送有权更正的行政机关处理",
        text_label="转送的情况（可选：转送方式、文号等；决定日期即转送日期）",
        names_agency=True,
        needs_reason=False,
    ),
    # "…或者告知申请人向有权更正的行政机关提出".
    RecordOutcome(
        "elsewhere",
        "告知向有权更正的行政机关提出",
        BASIS,
        "reply_rec_elsewhere",
        wording="请向有权更正的行政机关提出",
        text_label="补充说明（可选）",
        names_agency=True,
        needs_reason=False,
    ),
]

BY_KEY: dict[str, RecordOutcome] = {o.key: o for o in OUTCOMES}


def choices() -> list[tuple[str, str]]:
    return [(o.key, o.label) for o in OUTCOMES]


def with_evidence(description: str, evidence: str) -> str:
    """The request as stored: its text, then the written evidence under its heading."""
    description, evidence = description.strip(), evidence.strip()
    return f"{description}{EVIDENCE_SEPARATOR}{evidence}" if evidence else description


def split_evidence(text: str) -> tuple[str, str]:
    """(the request's text, the written evidence) of a stored request."""
    request, _, evidence = text.partition(EVIDENCE_SEPARATOR)
    return request.strip(), evidence.strip()
