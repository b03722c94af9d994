import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.agencies.models import Agency
from gongkai.core.command import BaseCommand
from gongkai.core.middleware import MAX_REQUEST_BYTES
from gongkai.site import demo


class Command(BaseCommand):
    help = (
        "迁移数据库（如需要）并提供网站服务：一个进程时用 waitress（生产级 WSGI 服务器），"
        "--processes N（N > 1）时用 gunicorn 运行 N 个进程。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="每个进程的工作线程数（默认 8）")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="应用进程数（默认 1，用 waitress）；大于 1 时用 gunicorn 运行多个进程，"
            "须设置 GONGKAI_REDIS_URL（仅 Linux），见 docs/processes.md",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="数据库中没有任何机关时载入演示数据",
        )

    def handle(self, *args, host, port, threads, processes, demo: bool, **options):
        if not 0 < port < 65536:
            raise CommandError(f"端口 {port} 无效：应在 1–65535 之间。")
        if threads < 1:
            raise CommandError(f"线程数 {threads} 无效：应为 1 或更大的整数。")
        refuse_processes(processes)
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("check", fail_level="ERROR")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo and not Agency.objects.exists():
            call_command("demo", stdout=self.stdout)
        from waitress import serve

        from gongkai.wsgi import application

        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        self.stdout.write(f"公开栏目：http://{shown}:{port}/")
        self.stdout.write(f"工作人员后台：http://{shown}:{port}/office/")
        if demo:
            self.stdout.write(
                f"演示账号：yunxi-clerk、yunxi-admin、sysadmin 等，密码 {demo_password()}"
            )
        self.stdout.write("按 Ctrl+C 停止。")
        self.stdout.flush()
        if processes > 1:
            serve_processes(application, host=host, port=port, processes=processes, threads=threads)
            return
        logging.getLogger("waitress").setLevel(logging.INFO)
        if settings.JOBS_IN_SERVE:
            from gongkai.jobs import inprocess

            inprocess.start()
            self.stdout.write(
                "后台任务：由本进程运行（GONGKAI_JOBS_IN_SERVE=false 时改由 gongkai worker 运行）。"
            )
        try:
            serve(
                application,
                host=host,
                port=port,
                threads=threads,
                ident="gongkai",
                # The app refuses bodies over MAX_REQUEST_BYTES itself, in Chinese; waitress
                # reads a body before the app sees it, so its own (English) refusal is kept
                # for far larger ones, which it refuses unread.
                max_request_body_size=2 * MAX_REQUEST_BYTES,
                # The proxy's headers are left to gongkai.wsgi.TrustedProxy, the one rule for
                # waitress and gunicorn (waitress would drop them before the app saw them).
                clear_untrusted_proxy_headers=False,
            )
        except OSError as exc:
            raise CommandError(f"无法在 {host}:{port} 上监听：{exc}") from exc


def refuse_processes(processes: int) -> None:
    """The combinations of --processes that cannot work, refused before any start-up work."""
    from gongkai.core.checks import check_processes

    problems = check_processes(processes)
    if problems:
        raise CommandError("\n".join(f"{p.id}：{p.msg}\n  {p.hint}" for p in problems))


def serve_processes(application, *, host: str, port: int, processes: int, threads: int):
    """N processes under gunicorn (gongkai.core.appserver), after the start-up work, which
    ran once, above. The background jobs that waitress's process runs on the embedded
    default (GONGKAI_JOBS_IN_SERVE) run in a thread of each worker process instead."""
    from gongkai.core import appserver

    try:
        appserver.check_listen(host, port)
    except OSError as exc:
        raise CommandError(f"无法在 {host}:{port} 上监听：{exc}") from exc
    in_each_worker = None
    if getattr(settings, "JOBS_IN_SERVE", False):
        from gongkai.jobs import inprocess

        in_each_worker = inprocess.start
    appserver.run_gunicorn(
        application,
        host=host,
        port=port,
        processes=processes,
        threads=threads,
        in_each_worker=in_each_worker,
    )


def demo_password() -> str:
    return demo.DEMO_PASSWORD
