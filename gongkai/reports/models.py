"""The records of the annual report that the applications and the catalog do not hold: the
register of reconsiderations and lawsuits (table 四), the figures kept in other systems
(table 二), and the report itself (its sections' text, and its figures once published)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application


class AppealKind(models.TextChoices):
    # The groups of table 四 (docs/annual-report-data.md).
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER = "litigation_after_reconsideration", "行政诉讼（复议后起诉）"


class AppealResult(models.TextChoices):
    UPHELD = "upheld", "维持"
    CORRECTED = "corrected", "纠正"
    OTHER = "other", "其他"


class Appeal(models.Model):
    """A reconsideration or lawsuit about the agency's disclosure work. When the 复议机关 is a
    co-defendant, only the original agency counts the case (国办公开办函〔2016〕201号): a case
    is registered by the agency whose act is contested."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="appeals")
    application = models.ForeignKey(
        Application,
        verbose_name="相关申请",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    number = models.CharField("案号", max_length=100)
    kind = models.CharField("类型", max_length=40, choices=AppealKind)
    body = models.CharField("复议机关或法院", max_length=200, blank=True)
    filed_on = models.DateField("立案日期")
    result = models.CharField("结果", max_length=20, choices=AppealResult, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "行政复议、行政诉讼案件"
        verbose_name_plural = "行政复议、行政诉讼案件"
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["agency", "filed_on"])]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="appeal_number_once"),
            # A result and a conclusion date come together, and not before the filing.
            models.CheckConstraint(
                condition=(Q(result="") & Q(closed_on__isnull=True))
                | (~Q(result="") & Q(closed_on__isnull=False)),
                name="appeal_result_with_date",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("filed_on")),
                name="appeal_closed_after_filed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.get_kind_display()}）"


class YearlyFigures(models.Model):
    """Figures of table 二 that come from other systems, entered per agency and year. A blank
    field is unknown (the report shows it blank and the checks say so), never zero."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="yearly_figures")
    year = models.PositiveSmallIntegerField("年度")
    licensing_decisions = models.PositiveIntegerField("行政许可处理决定数量", null=True, blank=True)
    penalty_decisions = models.PositiveIntegerField("行政处罚处理决定数量", null=True, blank=True)
    coercion_decisions = models.PositiveIntegerField("行政强制处理决定数量", null=True, blank=True)
    fees_amount_10k_yuan = models.DecimalField(
        "行政事业性收费金额（万元）",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
    )
    # Format 2019 (reports for 2019 and 2020) only.
    licensing_previous_items = models.PositiveIntegerField(
        "行政许可上一年项目数量", null=True, blank=True
    )
    licensing_change = models.IntegerField("行政许可本年增/减", null=True, blank=True)
    other_services_previous_items = models.PositiveIntegerField(
        "其他对外管理服务事项上一年项目数量", null=True, blank=True
    )
    other_services_change = models.IntegerField(
        "其他对外管理服务事项本年增/减", null=True, blank=True
    )
    other_services_decisions = models.PositiveIntegerField(
        "其他对外管理服务事项处理决定数量", null=True, blank=True
    )
    penalty_previous_items = models.PositiveIntegerField(
        "行政处罚上一年项目数量", null=True, blank=True
    )
    penalty_change = models.IntegerField("行政处罚本年增/减", null=True, blank=True)
    coercion_previous_items = models.PositiveIntegerField(
        "行政强制上一年项目数量", null=True, blank=True
    )
    coercion_change = models.IntegerField("行政强制本年增/减", null=True, blank=True)
    fees_previous_items = models.PositiveIntegerField(
        "行政事业性收费上一年项目数量", null=True, blank=True
    )
    fees_change = models.IntegerField("行政事业性收费本年增/减", null=True, blank=True)
    procurement_items = models.PositiveIntegerField("政府集中采购项目数量", null=True, blank=True)
    procurement_amount = models.DecimalField(
        "政府集中采购总金额（万元）", max_digits=14, decimal_places=4, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    FIELDS_2021 = [
        "licensing_decisions",
        "penalty_decisions",
        "coercion_decisions",
        "fees_amount_10k_yuan",
    ]
    FIELDS_2019 = [
        "licensing_previous_items",
        "licensing_change",
        "licensing_decisions",
        "other_services_previous_items",
        "other_services_change",
        "other_services_decisions",
        "penalty_previous_items",
        "penalty_change",
        "penalty_decisions",
        "coercion_previous_items",
        "coercion_change",
        "coercion_decisions",
        "fees_previous_items",
        "fees_change",
        "procurement_items",
        "procurement_amount",
    ]

    class Meta:
        verbose_name = "其他年度统计数据"
        verbose_name_plural = "其他年度统计数据"
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="figures_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} 年度统计数据"

    def as_dict(self) -> dict:
        """The figures by the names ``counting.proactive_table`` reads; blanks are left out."""
        names = dict.fromkeys([*self.FIELDS_2021, *self.FIELDS_2019])
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class AnnualReport(models.Model):
    """One agency's report for one year. While a draft, its figures are computed from the
    records each time it is shown; publishing freezes them (``figures``) with the findings
    of that moment, so the published report never changes under its readers."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    # A people's government's report covers itself and the agencies below it.
    consolidated = models.BooleanField("汇总本级及下级机关", default=False)
    state = models.CharField("状态", max_length=12, choices=ReportState, default=ReportState.DRAFT)
    section1 = models.TextField("一、总体情况", blank=True)
    section2 = models.TextField("二、主动公开政府信息情况（表前说明）", blank=True)
    section3 = models.TextField("三、收到和处理政府信息公开申请情况（表前说明）", blank=True)
    section4 = models.TextField("四、政府信息公开行政复议、行政诉讼情况（表前说明）", blank=True)
    section5 = models.TextField("五、存在的主要问题及改进情况", blank=True)
    section6 = models.TextField("六、其他需要报告的事项", blank=True)
    figures = models.JSONField("发布时的数据", null=True, blank=True)
    findings = models.JSONField("发布时的检查结果", default=list, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    SECTIONS = ["section1", "section2", "section3", "section4", "section5", "section6"]

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="report_once_a_year"),
            models.CheckConstraint(
                condition=Q(state="draft")
                | (Q(figures__isnull=False) & Q(published_on__isnull=False)),
                name="report_published_with_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} 年政府信息公开工作年度报告"

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"

    def sections(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.SECTIONS}
