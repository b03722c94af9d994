"""The kinds of letter a case needs, and the wording an agency has chosen for each.

An agency that has not edited a kind uses the built-in default (``defaults.py``); a row here
exists only for the kinds an agency administrator has changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.agencies.models import Agency


class Kind(models.TextChoices):
    """Every letter of a disclosure case. The label is the letter's default title."""

    RECEIPT = "receipt", "政府信息公开申请接收回执"
    CORRECTION = "correction", "政府信息公开申请补正告知书"
    EXTENSION = "extension", "政府信息公开申请延期答复告知书"
    CONSULTATION = "consultation", "政府信息公开申请征求意见书"
    FEE = "fee", "政府信息公开信息处理费收费通知书"
    # 第三十二条: disclosing over a third party's objection, the agency tells it in writing.
    THIRD_PARTY_NOTICE = "third_party_notice", "政府信息公开第三方告知书"
    # 第三十五条: the applicant asked for reasons, and told of a later reply date.
    REASONS_REQUEST = "reasons_request", "政府信息公开申请说明理由通知书"
    DELAY = "delay", "政府信息公开申请延迟答复告知书"
    # The reply letters: each outcome names its own (``gongkai.law.outcomes.Outcome.letter``).
    REPLY_GRANTED = "reply_granted", "政府信息予以公开告知书"
    REPLY_PARTIAL = "reply_partial", "政府信息部分公开告知书"
    REPLY_WITHHELD = "reply_withheld", "政府信息不予公开告知书"
    REPLY_REFERRAL = "reply_referral", "政府信息公开申请告知书（依照有关法律、行政法规办理）"
    REPLY_NOT_EXIST = "reply_not_exist", "政府信息不存在告知书"
    REPLY_NOT_HELD = "reply_not_held", "非本机关负责公开政府信息告知书"
    REPLY_UNABLE = "reply_unable", "政府信息无法提供告知书"
    REPLY_DECLINED = "reply_declined", "政府信息公开申请不予处理告知书"
    REPLY_OTHER = "reply_other", "政府信息公开申请办理结果告知书"
    # 第四十一条: the replies to a request to correct a record about the applicant.
    REPLY_REC_CORRECTED = "reply_rec_corrected", "政府信息予以更正告知书"
    REPLY_REC_REFUSED = "reply_rec_refused", "政府信息不予更正告知书"
    REPLY_REC_TRANSFER = "reply_rec_transfer", "政府信息更正申请转送告知书"
    REPLY_REC_ELSEWHERE = "reply_rec_elsewhere", "政府信息更正申请告知书"

    @property
    def is_reply(self) -> bool:
        return self.value.startswith("reply_")

    @property
    def short_name(self) -> str:
        """The name used in file names and lists: ``补正告知书``, ``不予公开告知书`` …"""
        return SHORT_NAMES[self]


SHORT_NAMES = {
    Kind.RECEIPT: "接收回执",
    Kind.CORRECTION: "补正告知书",
    Kind.EXTENSION: "延期答复告知书",
    Kind.CONSULTATION: "征求意见书",
    Kind.FEE: "收费通知书",
    Kind.THIRD_PARTY_NOTICE: "第三方告知书",
    Kind.REASONS_REQUEST: "说明理由通知书",
    Kind.DELAY: "延迟答复告知书",
    Kind.REPLY_GRANTED: "予以公开告知书",
    Kind.REPLY_PARTIAL: "部分公开告知书",
    Kind.REPLY_WITHHELD: "不予公开告知书",
    Kind.REPLY_REFERRAL: "行政查询事项告知书",
    Kind.REPLY_NOT_EXIST: "信息不存在告知书",
    Kind.REPLY_NOT_HELD: "非本机关负责公开告知书",
    Kind.REPLY_UNABLE: "无法提供告知书",
    Kind.REPLY_DECLINED: "不予处理告知书",
    Kind.REPLY_OTHER: "办理结果告知书",
    Kind.REPLY_REC_CORRECTED: "予以更正告知书",
    Kind.REPLY_REC_REFUSED: "不予更正告知书",
    Kind.REPLY_REC_TRANSFER: "更正申请转送告知书",
    Kind.REPLY_REC_ELSEWHERE: "更正申请告知书",
}

PROCEDURAL_KINDS = (
    Kind.RECEIPT,
    Kind.CORRECTION,
    Kind.EXTENSION,
    Kind.CONSULTATION,
    Kind.FEE,
    Kind.THIRD_PARTY_NOTICE,
    Kind.REASONS_REQUEST,
    Kind.DELAY,
)
# The letters addressed to the third party or agency consulted, never to the applicant: they
# describe the request but do not say who the applicant is (docs/law/consultation.md).
TO_PARTY_KINDS = (Kind.CONSULTATION, Kind.THIRD_PARTY_NOTICE)
REPLY_KINDS = (
    Kind.REPLY_GRANTED,
    Kind.REPLY_PARTIAL,
    Kind.REPLY_WITHHELD,
    Kind.REPLY_REFERRAL,
    Kind.REPLY_NOT_EXIST,
    Kind.REPLY_NOT_HELD,
    Kind.REPLY_UNABLE,
    Kind.REPLY_DECLINED,
    Kind.REPLY_OTHER,
)
# The replies of a 更正申请 (第四十一条), one per way it ends (law.records).
RECORD_REPLY_KINDS = (
    Kind.REPLY_REC_CORRECTED,
    Kind.REPLY_REC_REFUSED,
    Kind.REPLY_REC_TRANSFER,
    Kind.REPLY_REC_ELSEWHERE,
)


class LetterTemplate(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="letter_templates", verbose_name="机关"
    )
    kind = models.CharField("文书种类", max_length=20, choices=Kind)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修改人",
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["agency", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="letter_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.get_kind_display()}"
