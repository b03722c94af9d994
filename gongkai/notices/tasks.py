"""The task the job engine runs for the outbox (gongkai worker, or the worker in gongkai serve)."""

from django_tasks import task

from gongkai.notices import outbox


@task()
def deliver_due() -> None:
    outbox.deliver_due()
