"""Requests to correct a record about oneself (条例第四十一条): who may ask, and how such a
request ends. docs/law/records.md explains each.

A 更正申请 is not a 政府信息公开申请: table 三 of the annual report does not count it, and it
has no period of its own in the 条例 (docs/law/records.md says what the case file shows instead).

Plain Python, read by the case file, its forms and its letters.
"""

from __future__ import annotations

from dataclasses import dataclass

REGULATION = "《中华人民共和国政府信息公开条例》"
ARTICLE = "第四十一条"
BASIS = f"{REGULATION}{ARTICLE}"

# 第四十一条 sets no period for answering a 更正申请 (第三十三条 speaks of 政府信息公开申请):
# the case file has no reply due date, and says why.
NO_PERIOD = "条例未规定更正申请的答复期限"
NO_PERIOD_NOTE = (
    f"{NO_PERIOD}（第三十三条的答复期限适用于政府信息公开申请）；本机关应当及时审核并答复，"
    "案卷不计算到期日，也不标记超期。"
)

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
        text_label="转送的情况（可选：转送日期、方式等）",
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
