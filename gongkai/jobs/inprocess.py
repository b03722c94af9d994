"""The worker inside ``gongkai serve`` on the embedded default: a one-machine install runs its
background jobs without a second program. It is django-tasks-db's own worker loop, in a daemon
thread (signals stay with the server, which owns the main thread)."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def _worker(*, batch: bool, interval: float = 1.0):
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"serve-{threading.get_native_id()}",
        excluded_queue_names=[],
    )


def run_due() -> int:
    """Run every job waiting now, in this thread and this database connection, and return
    how many ran: the worker of the tests, which run inside a transaction (the worker loop
    proper closes and reopens its connection, which a test's transaction cannot survive)."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    worker, ran = _worker(batch=True), 0
    while True:
        with transaction.atomic():
            result = DBTaskResult.objects.ready().filter(backend_name="default").get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1


def start(interval: float = 1.0) -> threading.Thread:
    worker = _worker(batch=False, interval=interval)
    thread = threading.Thread(target=_run, args=(worker,), name="gongkai-jobs", daemon=True)
    thread.start()
    return thread


def _run(worker) -> None:
    try:
        worker.run()
    except Exception:  # the site goes on; the jobs page shows jobs waiting
        log.exception("the in-process job worker stopped")
