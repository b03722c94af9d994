"""The one task the engine knows: run a job. Everything else is a kind of job (engine.KINDS)."""

from django_tasks import task

from gongkai.jobs import engine


@task()
def run_job(job_id: int) -> None:
    engine.run(job_id)
