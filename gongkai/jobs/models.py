"""A background job as the people who asked for it see it: what it is, for which agency, how far
it has got and what came of it.

The task engine (django-tasks, see docs/jobs.md) decides where and when the work runs; this row
is what the pages read. Progress is written in short updates of its own, never inside the
work's transactions, so a page polling it never waits for the work.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

# A running job whose worker has said nothing for this long has been interrupted (the worker
# was killed or the machine restarted): the page says so and offers to run it again. A job
# queued this long has no worker to run it: the page says to ask the administrator.
SILENT_AFTER = dt.timedelta(minutes=10)
# Finished jobs (their results, and the input of one that failed unexpectedly) are deleted
# this long after they finished, by ``jobs.engine.prune``; so are jobs abandoned as long (a run
# interrupted and never run again, a job queued and never taken), with their inputs.
KEEP_FOR = dt.timedelta(days=30)


class State(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    kind = models.CharField("任务类型", max_length=40)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    # Who the work runs as: the submitter, or whoever ran it again.
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="运行人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    queued_at = models.DateTimeField("排队时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.QUEUED)
    title = models.CharField("名称", max_length=200)
    stage = models.CharField("当前步骤", max_length=200, blank=True)
    done = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    params = models.JSONField("参数", default=dict, blank=True)
    # The uploaded input, saved in the default storage (the data folder or object storage).
    input_name = models.CharField("输入文件", max_length=300, blank=True)
    input_label = models.CharField("输入文件名", max_length=200, blank=True)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("错误", blank=True)
    attempts = models.PositiveSmallIntegerField("运行次数", default=0)
    # Whether running it again may help: yes after an interruption or an unexpected error, no
    # after a failure the input explains (a broken file fails again).
    retry_helps = models.BooleanField("可重新运行", default=False)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "kind", "state"])]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in (State.DONE, State.FAILED)

    @property
    def silent(self) -> bool:
        """Running, but its worker has not been heard of for SILENT_AFTER."""
        if self.state != State.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at or self.created_at
        return timezone.now() - last > SILENT_AFTER

    @property
    def stalled(self) -> bool:
        """Queued for SILENT_AFTER and not taken: no worker is running."""
        return self.state == State.QUEUED and timezone.now() - self.queued_at > SILENT_AFTER

    @property
    def may_run_again(self) -> bool:
        return self.silent or (self.state == State.FAILED and self.retry_helps)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    @property
    def percent_said(self) -> int | None:
        """The percent in tenths, as the page's script says it (job.js), so that a screen
        reader never hears the figure go back when the script takes over."""
        if not self.total:
            return None
        return min(100, 10 * (10 * self.done // self.total))
