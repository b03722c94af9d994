"""Long work off the request: submit a job, run it in a worker, follow its progress.

``submit`` saves the job (and its uploaded input, in the default storage) and hands it to the
task engine once the transaction commits; a worker (``gongkai worker``, or the one inside
``gongkai serve`` on the embedded default) calls ``run``, which looks the job's kind up in
KINDS and gives the work a ``Progress``. The work itself writes in short transactions of its
own; ``Progress`` writes outside them, so the page that polls it never waits.

Which engine and where the workers are is configuration (docs/jobs.md); this module and every
kind of work are the same code for all of them.
"""

from __future__ import annotations

import importlib
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from gongkai.jobs.models import KEEP_FOR, Job, State

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    """A kind of background work: its name for people, the function that does it
    (``"module:function"``, called with the job and a Progress, returning what the result
    page shows) and whether two of its jobs may run for one agency at once."""

    label: str
    runner: str
    # Who may submit it and run it again: ``"module:function"`` called with (user, agency).
    may_submit: str
    one_per_agency: bool = False
    # What its result page shows beyond ``job.result``: ``"module:function"`` called with the
    # finished job, returning template context; empty when the result is shown as it is.
    result_context: str = ""


KINDS: dict[str, Kind] = {
    "ledger.import": Kind(
        "导入台账",
        "gongkai.ledger.importer:run_import_job",
        "gongkai.applications.services:can_handle",
        one_per_agency=True,
    ),
    "checker.batch": Kind(
        "年报检查",
        "gongkai.checker.job:run",
        "gongkai.checker.job:may_submit",
        result_context="gongkai.checker.job:result_context",
    ),
    "mail.code_link": Kind(
        "发送找回查询码的邮件",
        "gongkai.portal.lost_code:run_send_link",
        "gongkai.portal.lost_code:anyone",
    ),
}


def _function(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def may_submit(user, kind: str, agency) -> bool:
    return bool(_function(KINDS[kind].may_submit)(user, agency))


class JobRefused(Exception):
    """The job cannot be submitted now; the message says why, in Chinese."""


class JobFailed(Exception):
    """Raised by a job's work for a failure its user can act on; the message is shown."""


class Superseded(Exception):
    """Raised by Progress.check when the job was run again elsewhere: this run stops."""


class Progress:
    """How far a job has got. ``stage`` names a step (and how many units it has); ``advance``
    counts units done. Written to the job row at most every ``every`` seconds, and only while
    the row is still this run's (a job run again after it was judged interrupted belongs to
    the new run; the old one, if it is alive after all, no longer writes)."""

    def __init__(self, job: Job, every: float = 0.5):
        self.job, self.every = job, every
        self._written = 0.0

    def check(self) -> None:
        """Stop (Superseded) if the job now belongs to another run; work calls this between
        its transactions."""
        if not _this_run(self.job).exists():
            raise Superseded

    def stage(self, text: str, total: int = 0) -> None:
        self.job.stage, self.job.total, self.job.done = text[:200], total, 0
        self._write()

    def advance(self, units: int = 1) -> None:
        self.job.done += units
        if time.monotonic() - self._written >= self.every or self.job.done >= self.job.total:
            self._write()

    def _write(self) -> None:
        self._written = time.monotonic()
        _this_run(self.job).update(
            stage=self.job.stage,
            done=self.job.done,
            total=self.job.total,
            heartbeat_at=timezone.now(),
        )


def label(kind: str) -> str:
    return KINDS[kind].label


def result_context(job: Job) -> dict:
    """The extra context of a finished job's result page (see ``Kind.result_context``)."""
    path = KINDS[job.kind].result_context
    if not path or job.state != State.DONE:
        return {}
    return _function(path)(job)


def submit(
    actor,
    kind: str,
    *,
    title: str,
    agency=None,
    params: dict | None = None,
    upload=None,
) -> Job:
    """Save a job and queue it once the surrounding transaction commits. ``upload`` (a Django
    UploadedFile) is kept in the default storage for the worker. Raises JobRefused when a job
    of a one-per-agency kind is already waiting or running for the agency."""
    spec = KINDS[kind]
    stored = ""
    if upload is not None:
        stored = default_storage.save(f"jobs/{uuid.uuid4().hex}.input", upload)
    try:
        with transaction.atomic():
            if spec.one_per_agency and agency is not None:
                # Two submissions at once for one agency: the row lock makes them take turns.
                type(agency).objects.select_for_update().filter(pk=agency.pk).first()
                busy = Job.objects.filter(
                    kind=kind, agency=agency, state__in=[State.QUEUED, State.RUNNING]
                )
                for other in busy:
                    if not (other.silent or other.stalled):
                        when = timezone.localtime(other.created_at)
                        raise JobRefused(
                            f"{agency.name}已有一个“{spec.label}”任务{other.get_state_display()}"
                            f"（{when:%Y-%m-%d %H:%M} 提交），请等它完成后再提交。"
                        )
            job = Job.objects.create(
                kind=kind,
                agency=agency,
                created_by=_user(actor),
                run_by=_user(actor),
                title=title[:200],
                params=params or {},
                input_name=stored,
                input_label=(getattr(upload, "name", "") or "")[:200],
            )
            transaction.on_commit(lambda: enqueue(job))
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return job


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _this_run(job: Job):
    return Job.objects.filter(pk=job.pk, attempts=job.attempts)


def enqueue(job: Job) -> None:
    from gongkai.jobs.tasks import run_job

    run_job.enqueue(job.pk)


def again(actor, job: Job) -> Job:
    """Queue an interrupted job, or one that failed for a reason another run may not meet,
    once more with the same input; it then runs as ``actor``."""
    if not job.may_run_again:
        raise JobRefused("只有已中断或意外出错的任务可以重新运行；文件有问题的，请改正后重新上传。")
    with transaction.atomic():
        changed = Job.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts).update(
            state=State.QUEUED,
            error="",
            stage="",
            done=0,
            total=0,
            finished_at=None,
            queued_at=timezone.now(),
            run_by=_user(actor),
            retry_helps=False,
        )
        if changed:
            transaction.on_commit(lambda: enqueue(job))
    job.refresh_from_db()
    log.info("job %s queued again by %s", job.pk, getattr(actor, "pk", None))
    return job


def run(job_id: int) -> None:
    """Run one job (the worker's entry point). A job another worker has taken, or one that is
    finished, is left alone, so a task delivered twice does its work once."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1
    )
    if not taken:
        log.info("job %s is not waiting; nothing to do", job_id)
        return
    job = Job.objects.get(pk=job_id)
    work = _function(KINDS[job.kind].runner)
    try:
        result = work(job, Progress(job))
    except Superseded:
        log.warning("job %s was run again elsewhere; this run stopped", job.pk)
    except JobFailed as exc:
        if _finish(job, State.FAILED, error=str(exc)):
            _drop_input(job)  # the same input would fail again: it is not kept
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            State.FAILED,
            error=f"任务运行出错（{type(exc).__name__}），已记入服务器日志（任务编号 {job.pk}）。"
            "可以重新运行；再次出错请联系系统管理员。",
            retry_helps=True,
        )
    else:
        if _finish_done(job, result):
            _drop_input(job)
    try:
        prune()
    except Exception:  # pruning waits for the next job; this one is done
        log.exception("pruning old jobs failed")


def prune(now=None) -> int:
    """Delete the jobs that finished more than KEEP_FOR ago, and those abandoned as long (a
    run interrupted and never run again, a job queued and never taken), with any input they
    still keep, and the task engine's own records of the same age; return how many jobs
    went. Runs after every job, so whatever runs the jobs keeps the tables small; two queries
    when there is nothing to delete."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    old = Job.objects.filter(
        Q(state__in=[State.DONE, State.FAILED], finished_at__lt=cutoff)
        | Q(state=State.RUNNING, heartbeat_at__lt=cutoff)
        | Q(state=State.QUEUED, queued_at__lt=cutoff)
    )
    for name in old.exclude(input_name="").values_list("input_name", flat=True):
        default_storage.delete(name)
    deleted, _ = old.delete()
    if settings.JOBS_BACKEND == "database":
        from django_tasks_db.models import DBTaskResult

        # Finished, or taken by a worker that died with it (a job run again is a new task).
        DBTaskResult.objects.filter(
            Q(finished_at__lt=cutoff) | Q(finished_at=None, started_at__lt=cutoff)
        ).delete()
    if deleted:
        log.info("pruned %s jobs finished before %s", deleted, cutoff)
    return deleted


def _finish(job: Job, state: str, *, result=None, error: str = "", retry_helps=False) -> bool:
    """Record how the run ended, if the job is still this run's; says whether it was."""
    return bool(
        _this_run(job).update(
            state=state,
            result=result,
            error=error,
            retry_helps=retry_helps,
            finished_at=timezone.now(),
        )
    )


def _finish_done(job: Job, result) -> bool:
    """``_finish`` as done; a result the database refuses (its JSON takes no NUL character
    and no infinite number) fails the job instead of leaving it running for ever. The same
    input would give the same result: running it again would not help."""
    try:
        with transaction.atomic():  # a savepoint: the connection stays usable after a refusal
            return _finish(job, State.DONE, result=result)
    except (DatabaseError, TypeError, ValueError):
        log.exception("job %s (%s): its result could not be saved", job.pk, job.kind)
        return _finish(
            job,
            State.FAILED,
            error=f"任务已运行完，但结果无法保存，已记入服务器日志（任务编号 {job.pk}）。"
            "请联系系统管理员。",
        )


def _drop_input(job: Job) -> None:
    if job.input_name:
        default_storage.delete(job.input_name)


def open_input(job: Job) -> File:
    """The job's uploaded input, opened for reading in binary mode, under the name the user
    gave it (which messages about the file then show)."""
    if not job.input_name or not default_storage.exists(job.input_name):
        raise JobFailed("任务的输入文件已不存在，请重新上传。")
    return File(default_storage.open(job.input_name, "rb"), name=job.input_label or "上传的文件")


def actor(job: Job):
    """Who the work runs as: whoever last asked for it to run."""
    return job.run_by or job.created_by
