"""The outbox: every message to an applicant or a clerk is a row here first, written in the
transaction of the step it tells of, and sent afterwards by the background jobs
(gongkai.notices.outbox). A mail server that is down loses nothing: the row waits and is
tried again. docs/notices.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class State(models.TextChoices):
    QUEUED = "queued", "待发送"
    RETRY = "retry", "发送失败，等待重试"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败，已停止重试"

    @property
    def is_waiting(self) -> bool:
        return self in (State.QUEUED, State.RETRY)


class Message(models.Model):
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    # A message to a member of staff (the daily digest) rather than about one case.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.CASCADE)
    topic = models.CharField("事由", max_length=40)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    to = models.CharField("收件人", max_length=254)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    # The letter (gongkai.letters.models.Kind) attached as PDF, rendered when sent.
    letter = models.CharField("附件文书", max_length=40, blank=True)
    # A secret the body carries only until it is sent (the query code of a receipt, which is
    # stored nowhere else in clear): replaced by asterisks once the message is out.
    secret = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试时间", default=timezone.now)
    # Who holds it now and until when: a worker claims a row by one conditional UPDATE; a
    # worker that died lets its claim lapse and another takes the row.
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.CharField("最近一次失败的原因", max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="notice_due")]
        verbose_name = "通知"
        verbose_name_plural = "通知"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def masked_to(self) -> str:
        from gongkai.law import privacy

        if self.channel == Channel.SMS:
            return privacy.mask_phone(self.to)
        return privacy.mask_email(self.to)
