from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.command import BaseCommand


class Command(BaseCommand):
    help = (
        "运行后台任务（台账导入、批量检查、邮件等）。不带选项时一直运行；"
        "--once 运行完当前待办的任务后退出（供 cron 和测试）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="运行完待办任务后退出")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="队列为空时隔多少秒再看（默认 1）"
        )

    def handle(self, *args, once: bool, interval: float, verbosity: int, **options):
        if interval <= 0:
            raise CommandError("--interval 应大于 0。")
        if settings.JOBS_BACKEND == "redis":
            # RQ's worker, with the job class that reports to Django's Tasks interface.
            call_command(
                "rqworker",
                "default",
                burst=once,
                job_class="django_tasks_rq.Job",
                # The outbox's retries are tasks deferred to a later time (docs/notices.md).
                with_scheduler=True,
                verbosity=verbosity,
            )
            return
        call_command(
            "db_worker",
            batch=once,
            interval=interval,
            startup_delay=not once,
            verbosity=verbosity,
        )
