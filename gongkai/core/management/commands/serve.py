import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gongkai.agencies.models import Agency
from gongkai.core import demo


class Command(BaseCommand):
    help = "迁移数据库（如需要）并用 waitress（生产级 WSGI 服务器）提供网站服务。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数（默认 8）")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="数据库中没有任何机关时载入演示数据",
        )

    def handle(self, *args, host, port, threads, demo: bool, **options):
        if not 0 < port < 65536:
            raise CommandError(f"端口 {port} 无效：应在 1–65535 之间。")
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
        logging.getLogger("waitress").setLevel(logging.INFO)
        try:
            serve(
                application,
                host=host,
                port=port,
                threads=threads,
                ident="gongkai",
                # Five 10 MB attachments and the form: refuse anything far larger unread.
                max_request_body_size=64 * 1024 * 1024,
                **proxy_options(),
            )
        except OSError as exc:
            raise CommandError(f"无法在 {host}:{port} 上监听：{exc}") from exc


def proxy_options() -> dict:
    """Waitress believes the forwarded headers of GONGKAI_TRUSTED_PROXY alone (the client's
    address from X-Forwarded-For, the scheme from X-Forwarded-Proto) and drops them from
    everyone else."""
    if not settings.TRUSTED_PROXY:
        return {"clear_untrusted_proxy_headers": True}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


def demo_password() -> str:
    return demo.DEMO_PASSWORD
