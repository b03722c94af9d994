"""The catalog of government information (政府信息公开目录) and its review before publication.

An ``Item`` is one piece of information with a stable 索引号; its content lives in numbered
``Revision``s. ``Item.draft`` is the revision being written or reviewed, ``Item.published`` the
one the public sees: a published item can be revised and reviewed again while the public keeps
seeing the last approved text. Every change goes through ``catalog.services``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.agencies.models import Agency, Role
from gongkai.clock.loader import provisional_years

DEFAULT_INDEX_FORMAT = "{code}/{year}-{serial:05d}"
# 初审 → 复审 → 终审, then the confidentiality review that is never skipped (条例第十七条).
DEFAULT_CHAIN = [Role.REVIEWER_1, Role.REVIEWER_2, Role.REVIEWER_3, Role.SECRECY_REVIEWER]


class DocumentKind(models.TextChoices):
    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    DOCUMENT = "document", "其他文件"
    INFORMATION = "information", "其他信息"


class Validity(models.TextChoices):
    IN_FORCE = "in_force", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"


class Disclosure(models.TextChoices):
    PROACTIVE = "proactive", "主动公开"
    ON_REQUEST = "on_request", "依申请公开"
    NOT_PUBLIC = "not_public", "不予公开"


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤销"


class CatalogSettings(models.Model):
    """Per agency: the 索引号 format and the review chain."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="catalog_settings")
    index_format = models.CharField("索引号格式", max_length=80, default=DEFAULT_INDEX_FORMAT)
    chain = models.JSONField("审核流程", default=list)
    sensitive_words = models.TextField(
        "敏感词", blank=True, help_text="每行一个；发布前检查会提示含有这些词的内容。"
    )

    class Meta:
        verbose_name = "目录设置"

    def __str__(self) -> str:
        return f"{self.agency}：{self.index_format}"


class Item(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="items")
    index_number = models.CharField("索引号", max_length=60, blank=True)
    state = models.CharField("状态", max_length=12, choices=State, default=State.DRAFT)
    draft = models.OneToOneField(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published = models.OneToOneField(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_step = models.PositiveSmallIntegerField("当前审核环节", default=0)
    first_published_on = models.DateField("首次发布日期", null=True, blank=True)
    last_published_on = models.DateField("最近发布日期", null=True, blank=True, db_index=True)
    # By when the current revision is to be published: law.categories.publication_period
    # (条例第二十六条, or 预算法第十四条 for an approved budget), kept by catalog.services.
    due_on = models.DateField("应公开日期", null=True, blank=True)
    clock_error = models.CharField(max_length=300, blank=True)
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    withdrawal_reason = models.TextField("撤销理由", blank=True)
    imported = models.BooleanField("由原网站导入", default=False)
    # The public listing, kept by services at each publication and withdrawal so that the
    # column's lists are one index scan: shown publicly (``is_public``) and under which category.
    listed = models.BooleanField("在公开栏目中", default=False)
    listed_category = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "政府信息"
        verbose_name_plural = "政府信息"
        ordering = ["-last_published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~Q(index_number=""),
                name="item_index_number_unique",
            )
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"]),
            models.Index(
                fields=["agency", "listed_category", "-last_published_on", "-id"],
                condition=Q(listed=True),
                name="item_listed_by_category",
            ),
            models.Index(
                fields=["-last_published_on", "-id"],
                condition=Q(listed=True),
                name="item_listed_newest",
            ),
        ]

    def __str__(self) -> str:
        revision = self.published or self.draft
        return f"{self.index_number or '（未编号）'} {revision.title if revision else ''}"

    @property
    def due_on_provisional(self) -> bool:
        """The 第二十六条 date falls in a year whose holiday notice is not loaded (the 20 working
        days from the day formed reach at most into that year from the one before, which is
        then loaded: provisional years are the ones after the last notice)."""
        return bool(self.provisional_years)

    @property
    def provisional_years(self) -> list[int]:
        if self.due_on is None:
            return []
        return provisional_years(self.due_on - dt.timedelta(days=1), self.due_on)

    @property
    def current(self) -> Revision | None:
        """What the office works on: the draft if there is one, else the published text."""
        return self.draft or self.published

    @property
    def is_public(self) -> bool:
        return (
            self.published is not None
            and self.state != State.WITHDRAWN
            and self.published.disclosure == Disclosure.PROACTIVE
        )


class Revision(models.Model):
    """The content of an item at one revision, with its catalog metadata."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("修订号")
    title = models.CharField("名称", max_length=300)
    document_number = models.CharField("文号", max_length=100, blank=True)
    publisher = models.CharField("发布机构", max_length=200)
    topic = models.CharField("主题分类", max_length=100, blank=True)
    category = models.CharField("法定主动公开内容类别", max_length=10)
    kind = models.CharField("文件类型", max_length=12, choices=DocumentKind)
    written_on = models.DateField("成文日期", null=True, blank=True)
    formed_on = models.DateField("形成或变更日期")
    # A budget or final account: the day it was approved (批准) or the department's budget
    # approved by the finance department (批复); its period runs from then (预算法第十四条,
    # law.categories.APPROVAL_PERIODS). Empty for every other item.
    approved_on = models.DateField("批准或批复日期", null=True, blank=True)
    disclosure = models.CharField(
        "公开属性", max_length=12, choices=Disclosure, default=Disclosure.PROACTIVE
    )
    nondisclosure_basis = models.TextField("不公开的依据", blank=True)
    validity = models.CharField(
        "有效性", max_length=10, choices=Validity, default=Validity.IN_FORCE
    )
    validity_changed_on = models.DateField("废止或修改日期", null=True, blank=True)
    summary = models.TextField("内容概述", blank=True, max_length=500)
    keywords = models.CharField("主题词", max_length=200, blank=True)
    body = models.TextField("正文", blank=True)  # sanitised HTML
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Everyone who wrote any of this text since it was last reviewed: none of them may review it.
    editors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    due_on = models.DateField("应公开日期", null=True, blank=True)
    # Published after its due date, for a revision whose formed/changed date is new (第二十六条);
    # a correction that keeps the date is not a new publication of changed information.
    late = models.BooleanField("逾期发布", default=False)
    findings = models.JSONField("发布前检查发现", default=list, blank=True)
    findings_reason = models.TextField("带着检查发现发布的理由", blank=True)
    note = models.CharField("修订说明", max_length=200, blank=True)

    class Meta:
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="revision_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.number} 版）"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"catalog/{instance.revision.item.agency_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class ReviewDecision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", "通过"
        RETURNED = "returned", "退回"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="decisions")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="decisions")
    step = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=20, choices=Role)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    outcome = models.CharField(max_length=10, choices=Outcome)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.get_outcome_display()}"


class FindingAcknowledgement(models.Model):
    """A reviewer's answer, at their step, to one finding of the pre-publication scan
    (条例第十七条, 保守国家秘密法第三十五条): removed or changed (a re-scan confirms the text no
    longer holds it) or kept, with the reason. ``key`` names the finding within its revision
    (``catalog.services.finding_key``); ``kind`` and ``masked`` keep what was seen."""

    class Action(models.TextChoices):
        REMOVED = "removed", "已删除/已修改"
        KEPT = "kept", "保留"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="acknowledgements")
    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    key = models.CharField(max_length=40)
    kind = models.CharField("发现类别", max_length=20)
    masked = models.CharField("发现内容（脱敏）", max_length=300)
    step = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=20, choices=Role)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    action = models.CharField("处理", max_length=10, choices=Action)
    reason = models.TextField("理由", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "发布前检查发现的确认"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["revision", "role"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.masked} {self.get_action_display()}"


class IndexCounter(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="index_counter_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.value}"
