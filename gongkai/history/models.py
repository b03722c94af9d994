"""The append-only event history every workflow writes to: who, when, what, why, before/after.

Rows are only ever inserted. The model refuses updates and deletes, and a database trigger
(migration 0002) refuses UPDATE on both SQLite and PostgreSQL, so that even raw SQL cannot
rewrite what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.history import kinds


class AppendOnlyError(Exception):
    """Raised on an attempt to change or remove a recorded event."""


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("操作记录只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("操作记录只能追加，不能删除。")

    def for_object(self, obj):
        return self.filter(
            subject_type=ContentType.objects.get_for_model(obj), subject_id=str(obj.pk)
        )


class Event(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The name as it was when the event happened (accounts get renamed; the record must not).
    actor_name = models.CharField(_("操作人姓名"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    summary = models.CharField(_("摘要"), max_length=300)
    reason = models.TextField(_("理由"), blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "at"]),
            models.Index(fields=["agency", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("操作记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("操作记录只能追加，不能删除。")

    @property
    def kind_label(self) -> str:
        """The name of the event's kind in the back office (``gongkai.history.kinds``)."""
        return kinds.label(self.action)

    def changes(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each field whose value differs; the label is the
        field's name as the subject's model calls it (电话, not ``phone``) where there is one."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        # get_for_id is cached per process: no query per event on a history page.
        model = (
            ContentType.objects.get_for_id(self.subject_type_id).model_class()
            if self.subject_type_id
            else None
        )
        return [
            (_label(model, k), before.get(k), after.get(k))
            for k in keys
            if before.get(k) != after.get(k)
        ]


STATE_LABELS = {
    "status": "状态",
    "state": "状态",
    "reply_due": "答复期限",
    "received_on": "收到申请之日",
    "outcome": "办理结果",
    "revision": "修订版",
    "review_step": "审核环节",
    "index_number": "索引号",
    "chain": "审核流程",
    "index_format": "索引号格式",
    "sensitive_words": "敏感词",
}


def _label(model, key: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(key).verbose_name)
        except Exception:  # noqa: S110 - not a field of the model: fall back to the table
            pass
    return STATE_LABELS.get(key, key)


def _fit(text: str, length: int) -> str:
    """``text`` cut to the column's length, with … where it was cut (a 300-character title in
    a summary, a long full name): the event is recorded, never refused."""
    return text if len(text) <= length else text[: length - 1] + "…"


def actor_display(user) -> str:
    if user is None or not user.is_authenticated:
        return "公众"
    full = user.get_full_name().strip()
    return f"{full}（{user.username}）" if full else user.username


def record(
    actor,
    action: str,
    subject: models.Model,
    *,
    summary: str,
    agency=None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> Event:
    """Append one event of a kind that ``gongkai.history.kinds`` names, carrying only that
    kind's fields. ``actor`` is the user who acted, or ``None`` for the public or the
    system (then ``actor_name`` says which)."""
    kinds.check(action, before, after)
    user = actor if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        actor=user,
        actor_name=_fit(actor_display(actor) if actor is not None else "系统", 150),
        agency=agency,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=str(subject.pk),
        action=action,
        summary=_fit(summary, 300),
        reason=reason,
        before=before,
        after=after,
    )
