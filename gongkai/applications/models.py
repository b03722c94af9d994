"""The case file of a disclosure application.

The model holds facts (what was received, noticed, decided, when and by whom) and the due dates
derived from them, stored so that lists of 100,000 cases can filter on them. Every change goes
through ``services``: the fields are never edited directly by a view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.agencies.models import Agency
from gongkai.applications.choices import (
    OPEN_STATUSES,
    PROVISION_MATCHES,
    ApplicantType,
    CaseKind,
    Channel,
    Delivery,
    Disclosure,
    FeeMethod,
    IdType,
    Provision,
    ReasonsJudgement,
    Status,
)
from gongkai.clock import statutory
from gongkai.clock.loader import provisional_years
from gongkai.law import outcomes, periods, records


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Application(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="applications")
    tracking_number = models.CharField("申请编号", max_length=32, unique=True)
    query_code_hash = models.CharField(max_length=64, editable=False)
    # The form's one-time token: the same submission posted twice is one application.
    submission_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    # 第二十九条第（一）项
    kind = models.CharField(
        "申请类型", max_length=20, choices=CaseKind, default=CaseKind.DISCLOSURE, db_index=True
    )
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType)
    name = models.CharField("姓名或名称", max_length=200)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    organisation_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人或负责人", max_length=100, blank=True)
    contact_person = models.CharField("联系人", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    # 第二十九条第（三）项: where a fax delivery goes.
    fax = models.CharField("传真号码", max_length=30, blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    # 第二十九条第（二）项、第（三）项
    description = models.TextField("所需政府信息的名称、文号或特征描述")
    delivery = models.CharField("获取信息的方式", max_length=20, choices=Delivery)

    # 第三十一条: how and when it arrived, and the day of receipt in law
    channel = models.CharField("提交方式", max_length=20, choices=Channel)
    submitted_at = models.DateTimeField("提交时间")
    received_on = models.DateField("收到申请之日", null=True, blank=True)
    receipt_note = models.CharField("收到日期说明", max_length=300, blank=True)
    # 第三十一条第（二）项: an ordinary letter is confirmed with the applicant the day it
    # arrives; a later confirmation says why (docs/law/consultation.md, 平常信函).
    confirmation_late_reason = models.CharField("确认迟延原因", max_length=300, blank=True)

    # 第二十九条第一款: an oral application, written down by the office, is confirmed by the
    # applicant (read back and signed); when.
    applicant_confirmed_at = models.DateTimeField("申请人确认代填内容的时间", null=True, blank=True)
    # 第二十九条第一款: an oral application only where the written form is truly difficult; what
    # the difficulty was. Kept in the case file, never in the history (it may be about health).
    oral_reason = models.CharField(
        "采用书面形式确有困难的情形（条例第二十九条第一款）", max_length=200, blank=True
    )
    # 第四十三条: help for an applicant with reading, sight or hearing difficulties.
    assistance_requested = models.TextField("需要的帮助（条例第四十三条）", blank=True)
    assistance_given = models.TextField("已提供的帮助", blank=True)
    # 第三十三条第一款: answered on the spot, the day it was received.
    answered_on_the_spot = models.BooleanField("当场答复", default=False)

    status = models.CharField("状态", max_length=24, choices=Status, default=Status.PENDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name="承办人",
    )

    # 补正 (第三十条)
    correction_notice_on = models.DateField("补正告知日", null=True, blank=True)
    correction_items = models.JSONField("需补正事项", default=list, blank=True)
    correction_deadline = models.DateField("补正期限", null=True, blank=True)
    correction_received_on = models.DateField("收到补正之日", null=True, blank=True)

    # 延期 (第三十三条第二款)
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="延期批准人",
    )
    extension_approved_on = models.DateField("延期批准日", null=True, blank=True)

    # 信息处理费
    item_count = models.PositiveSmallIntegerField("计费件数", default=1)
    fee_method = models.CharField("收费方式", max_length=10, choices=FeeMethod, blank=True)
    fee_units = models.PositiveIntegerField("计费件数或页数", null=True, blank=True)
    fee_amount = models.PositiveIntegerField("收费金额（元）", null=True, blank=True)
    # 109号第七条: 20 working days from the day after the applicant received the notice. Sent and
    # received are two facts: a notice sent by post is received days later.
    fee_notice_sent_on = models.DateField("收费通知发出日", null=True, blank=True)
    fee_notice_on = models.DateField("收费通知送达日", null=True, blank=True)
    fee_due = models.DateField("缴费期限", null=True, blank=True)
    fee_paid_on = models.DateField("缴费日", null=True, blank=True)

    # Derived due dates (recomputed by services on every change; null while unknown)
    correction_notice_due = models.DateField("补正告知期限", null=True, blank=True)
    reply_due = models.DateField("答复期限", null=True, blank=True, db_index=True)
    clock_error = models.CharField("期限无法计算的原因", max_length=300, blank=True)

    # 第三十五条: many or frequent requests. The office may ask the applicant for reasons (a
    # letter), judges them, and either declines (理由不合理) or, for reasonable ones that cannot
    # be answered in time, sets a reasonable later date (延迟答复).
    reasons_requested_on = models.DateField("要求说明理由日", null=True, blank=True)
    # What the request for reasons said (its letter states them): the requests counted, one
    # line each (they may quote the applicant's requests: kept here, never in the history),
    # what is asked and the date to answer by.
    reasons_counted = models.JSONField("计入的申请", default=list, blank=True)
    reasons_question = models.TextField("需要说明的事项", blank=True)
    reasons_due = models.DateField("说明理由的期限", null=True, blank=True)
    reasons_received_on = models.DateField("收到理由说明之日", null=True, blank=True)
    reasons_text = models.TextField("申请人说明的理由", blank=True)
    reasons_judgement = models.CharField(
        "对理由的判断", max_length=20, choices=ReasonsJudgement, blank=True
    )
    reasons_judged_on = models.DateField("判断日", null=True, blank=True)
    delayed_until = models.DateField("延迟答复期限", null=True, blank=True)
    delay_reason = models.TextField("延迟答复的理由", blank=True)
    delay_decided_on = models.DateField("确定延迟答复之日", null=True, blank=True)

    # 决定与答复
    outcome = models.CharField(
        "办理结果", max_length=40, blank=True, choices=[(o.key, o.title) for o in outcomes.OUTCOMES]
    )
    legal_basis = models.TextField("依据", blank=True)
    decision_text = models.TextField("答复内容", blank=True)
    # 部分公开 (第三十七条): which parts are withheld, and the ground each rests on:
    # [{"part": "…", "ground": key of outcomes.GROUNDS_BY_KEY}, …].
    withheld = models.JSONField("不予公开的部分及理由", default=list, blank=True)
    # 不属于本机关负责公开 (第三十六条第（五）项): the agency that is, where it can be determined:
    # one of the platform's, or its name and contact typed in.
    responsible_agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="负责公开的机关",
    )
    responsible_agency_text = models.CharField(
        "负责公开的机关（名称、联系方式）", max_length=300, blank=True
    )
    # 予以公开、部分公开 (第三十六条第（一）（二）项, 第四十条): how, where and when the
    # information is given (docs/law/outcomes.md, 怎样提供).
    disclosure = models.CharField("公开情形", max_length=20, blank=True, choices=Disclosure)
    provision_form = models.CharField("提供形式", max_length=20, blank=True, choices=Provision)
    provision_reason = models.TextField("未按申请的方式提供的理由", blank=True)
    provision_route = models.TextField("获取途径", blank=True)
    provision_from = models.DateField("提供或获取日期", null=True, blank=True)
    provision_until = models.DateField("获取截止日期", null=True, blank=True)
    # 第十七条: the catalogued information a disclosing reply provides, each through the
    # agency's review chain ending in 保密审查 before the reply can be sent.
    released_items = models.ManyToManyField(
        "catalog.Item", blank=True, related_name="released_by", verbose_name="提供的政府信息"
    )
    # 第四十一条 (更正申请): how it ended (law.records).
    record_outcome = models.CharField(
        "更正申请办理结果", max_length=20, blank=True, choices=records.choices()
    )
    decided_on = models.DateField("决定日", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="决定人",
    )
    replied_on = models.DateField("答复日", null=True, blank=True)
    reply_method = models.CharField("答复送达方式", max_length=20, choices=Delivery, blank=True)
    # A reply after its due date says why it is late (the case file and the history keep it).
    reply_late_reason = models.CharField("逾期答复的原因", max_length=300, blank=True)
    archived_on = models.DateField("归档日", null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported = models.BooleanField("由台账导入", default=False)
    ledger_number = models.CharField("台账编号", max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["agency", "status", "reply_due"]),
            models.Index(fields=["agency", "reply_due", "id"]),
            models.Index(fields=["agency", "-submitted_at"]),
            models.Index(fields=["assignee", "status"]),
            # Table 三 of the annual report for one agency, from the index alone on
            # PostgreSQL (SQLite ignores INCLUDE and uses the first two columns).
            models.Index(
                fields=["agency", "received_on"],
                include=["replied_on", "applicant_type", "outcome"],
                name="application_agency_received",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                # The name keeps the number the law gives today (第三十三条第二款); the value is the
                # law's, so a change of the law shows up as a migration.
                condition=Q(extension_days__lte=periods.EXTENSION_DAYS),
                name="application_extension_at_most_20",
            ),
            models.UniqueConstraint(
                fields=["agency", "ledger_number"],
                condition=~Q(ledger_number=""),
                name="application_ledger_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending"]) | Q(received_on__isnull=False),
                name="application_received_unless_pending",
            ),
            # A decided case has its outcome: of table 三, or of a 更正申请 (第四十一条).
            models.CheckConstraint(
                condition=~Q(status__in=["decided", "replied", "archived"])
                | ~Q(outcome="")
                | ~Q(record_outcome=""),
                name="application_outcome_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def withheld_parts(self) -> list[tuple[str, outcomes.Ground | None]]:
        """部分公开 (第三十七条): each withheld part with the ground it rests on."""
        return [
            (entry.get("part", ""), outcomes.GROUNDS_BY_KEY.get(entry.get("ground", "")))
            for entry in self.withheld or []
        ]

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def outcome_info(self) -> outcomes.Outcome | None:
        return outcomes.BY_KEY.get(self.outcome)

    # 第四十一条: a request to correct a record about the applicant (gongkai.law.records).
    @property
    def is_record_correction(self) -> bool:
        return self.kind == CaseKind.RECORD_CORRECTION

    @property
    def record_outcome_info(self) -> records.RecordOutcome | None:
        return records.BY_KEY.get(self.record_outcome)

    @property
    def result_title(self) -> str:
        """The outcome as the applicant is told it: a 更正申请's record outcome, else the
        disclosure outcome's title; "" before a decision."""
        if self.is_record_correction and self.record_outcome_info is not None:
            return self.record_outcome_info.label
        return self.outcome_info.title if self.outcome_info else ""

    @property
    def request_text(self) -> str:
        """What was asked, without the written evidence of a 更正申请."""
        if not self.is_record_correction:
            return self.description
        return records.split_evidence(self.description)[0]

    @property
    def evidence_text(self) -> str:
        """The evidence a 更正申请 states in writing (empty for other requests)."""
        if not self.is_record_correction:
            return ""
        return records.split_evidence(self.description)[1]

    @property
    def provision_differs(self) -> bool:
        """Whether the form of provision is not what the applicant asked for (第四十条)."""
        if not self.provision_form or not self.delivery:
            return False
        return self.provision_form not in PROVISION_MATCHES.get(self.delivery, ())

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL_PERSON

    # A due date counted over a year whose holiday notice is not loaded is provisional (暂定):
    # asked of the calendar each time, so it is never stale once the notice is loaded.
    def due_start(self, field: str):
        """The day a stored due date is counted from (the day after it is the first counted)."""
        # Only the field asked for is read: the lists load a few columns (``only()``).
        if field == "reply_due":
            return self.correction_received_on or self.received_on
        if field == "correction_notice_due":
            return self.received_on
        if field == "fee_due":
            return self.fee_notice_on
        raise KeyError(field)

    def provisional_years_of(self, field: str) -> list[int]:
        """The years without a notice that the due date ``field`` rests on (empty: final)."""
        start, due = self.due_start(field), getattr(self, field)
        if field == "reply_due" and due is not None and due == self.delayed_until:
            return []  # a date the office set under 第三十五条, not counted over the calendar
        if field == "reply_due" and self.kind == CaseKind.RECORD_CORRECTION:
            return []  # calendar months (law.records.reference_due), no working days
        return provisional_years(start, due) if start and due else []

    def shown_due(self, field: str) -> str:
        """The due date ``field`` as plain text shows it, with （暂定） when provisional."""
        return statutory.marked(getattr(self, field), bool(self.provisional_years_of(field)))

    @property
    def reply_due_provisional(self) -> bool:
        return bool(self.provisional_years_of("reply_due"))

    def reply_provisional_years(self) -> list[int]:
        return self.provisional_years_of("reply_due")

    @property
    def correction_notice_due_provisional(self) -> bool:
        return bool(self.provisional_years_of("correction_notice_due"))

    @property
    def fee_due_provisional(self) -> bool:
        return bool(self.provisional_years_of("fee_due"))

    def public_provisional_years(self) -> list[int]:
        """The years behind the provisional dates the applicant is shown on the status page and
        in the API: the reply date, and the fee date while the fee is awaited."""
        years = set(self.provisional_years_of("reply_due"))
        if self.status == Status.AWAITING_PAYMENT:
            years.update(self.provisional_years_of("fee_due"))
        return sorted(years)

    def provisional_years(self) -> list[int]:
        """The years without a notice that any of the case's due dates rests on."""
        years = {
            y
            for f in ("reply_due", "correction_notice_due", "fee_due")
            for y in self.provisional_years_of(f)
        }
        if self.pk:
            years.update(
                y for p in self.pauses.all() if p.end is None for y in p.provisional_years()
            )
        return sorted(years)

    @property
    def applicant_key(self) -> str:
        """Who the applicant is, for counting 按件 fees per applicant and month."""
        return (self.organisation_code if self.is_organisation else self.id_number).upper()


class PauseKind(models.TextChoices):
    THIRD_PARTY = "third_party", "征求第三方意见（第三十二条）"
    CO_AGENCY = "co_agency", "征求共同制作机关意见（第三十四条）"
    FEE = "fee", "等待缴纳信息处理费"


class ConsultationResult(models.TextChoices):
    AGREED = "agreed", "同意公开"
    OBJECTED = "objected", "不同意公开"
    SILENT = "silent", "逾期未提出意见"


class Pause(models.Model):
    """Time not counted in the reply period (第三十三条第三款): from ``start`` to ``end``,
    both included; ``end`` is empty while the pause lasts.

    A consultation starts the day its letter is sent (``start``); the party's 15 working days
    run from the day it received the letter (``received_on``, 第三十二条、第三十四条), so
    ``answer_due`` is unknown until that day is recorded (docs/law/consultation.md)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField("类型", max_length=20, choices=PauseKind)
    party = models.CharField("被征求意见方", max_length=200, blank=True)
    start = models.DateField("开始日")
    received_on = models.DateField("收到征求意见书之日", null=True, blank=True)
    end = models.DateField("结束日", null=True, blank=True)
    answer_due = models.DateField("答复期限", null=True, blank=True)
    result = models.CharField("意见", max_length=20, choices=ConsultationResult, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="pause_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=models.F("start")),
                name="pause_received_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start}–{self.end or '…'}"

    def provisional_years(self) -> list[int]:
        start = self.received_on or self.start
        return provisional_years(start, self.answer_due) if self.answer_due else []

    @property
    def is_consultation(self) -> bool:
        return self.kind != PauseKind.FEE

    def lapsed(self, day) -> bool:
        """An open consultation whose period ended before ``day``: it is due for closing."""
        return (
            self.is_consultation
            and self.end is None
            and self.answer_due is not None
            and day > self.answer_due
        )

    @property
    def answer_due_provisional(self) -> bool:
        return bool(self.provisional_years())

    def shown_answer_due(self) -> str:
        return statutory.marked(self.answer_due, self.answer_due_provisional)


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the applicant's file name on disk: it is stored in ``original_name``.
    return f"applications/{instance.application.agency_id}/{instance.sha256[:2]}/{instance.sha256}"


class RequestVersion(models.Model):
    """A version of what the applicant asks. 第三十条: the corrected request is what the office
    answers, and the reply period runs from its receipt; the request the 补正 notice was about
    is kept as version 1. The case's ``description`` is always the latest version."""

    class Source(models.TextChoices):
        ORIGINAL = "original", "原申请"
        CORRECTION = "correction", "补正后的申请"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    source = models.CharField("来源", max_length=20, choices=Source)
    description = models.TextField("申请内容")
    note = models.TextField("补正说明", blank=True)
    received_on = models.DateField("收到之日", null=True, blank=True)
    online = models.BooleanField("在线提交", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.application_id} 第{self.number}版"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    # The version of the request it came with (None: the application as first submitted).
    version = models.ForeignKey(
        RequestVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Counter(models.Model):
    """The last tracking number handed out per agency and year; incremented under a row lock
    so that concurrent submissions never get the same number."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="counter_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.value}"


class CalendarYear(models.Model):
    """Who added a year's holiday arrangements, when and from what (the data itself is the
    year file that ``gongkai deadline`` reads too). The subject of the ``calendar.add`` events."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据的通知", max_length=300)
    origin = models.CharField("来自", max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="添加人",
    )
    added_at = models.DateTimeField("添加时间")

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}（{self.source}）"
