import sys

from django.core.management.base import CommandError
from django.db import DatabaseError

from gongkai.core.command import BaseCommand
from gongkai.site import backup


class Command(BaseCommand):
    # A backup (or a restore onto a new machine) must not wait for what the web server needs:
    # the fonts of the PDF letters, the HTTPS proxy. Storage and database errors stop it anyway.
    requires_system_checks = []
    help = (
        "从 gongkai backup 的归档恢复数据库和文件。先核对整个归档；数据库不是空的时须确认"
        "（--yes，或在终端中输入 yes），然后替换全部数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="归档", help="gongkai backup 写的 .zip 文件")
        parser.add_argument(
            "--yes", action="store_true", help="数据库不是空的时不再询问，直接替换其中的数据"
        )
        parser.add_argument(
            "--check", action="store_true", help="只核对归档及能否恢复到这个数据库，不作任何改动"
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="不在终端中询问（数据库不是空的又没有 --yes 时拒绝）",
        )

    def handle(self, *args, archive, yes, check, interactive, verbosity, **options):
        progress = self._progress if verbosity >= 1 else (lambda _text: None)
        try:
            opened = backup.open_archive(archive, progress=progress)
            backup.check_database(opened)
            if check:
                self.stdout.write(
                    f"归档完好：{opened.describe()}，数据库记录 {opened.records} 条，"
                    f"文件 {len(opened.files)} 个，可以恢复到 {backup.describe_database()}。"
                )
                return
            existing = backup.existing_records()
            if existing and not yes:
                self._confirm(existing, opened, interactive=interactive)
            result = backup.restore(opened, replace=bool(existing), progress=progress)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:  # before the restore's transaction: nothing was changed
            raise CommandError(
                f"无法使用 {backup.describe_database()}（数据库没有改变）：{exc}"
            ) from None
        self.stdout.write(result.summary())

    def _confirm(self, existing: int, opened, *, interactive: bool) -> None:
        where = backup.describe_database()
        if not (interactive and sys.stdin.isatty()):
            raise CommandError(
                f"{where} 不是空的（已有 {existing} 条记录）：恢复会删除其中全部数据，换成"
                f"{opened.describe()}的内容。确认要替换时加 --yes。数据库没有改变。"
            )
        self.stdout.write(
            f"{where} 中已有 {existing} 条记录。恢复会删除其中全部数据和登录状态，"
            f"换成{opened.describe()}的内容（{opened.records} 条记录）。"
        )
        self.stdout.flush()
        try:
            answer = input("确认替换请输入 yes：")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("没有确认，数据库没有改变。")

    def _progress(self, text: str) -> None:
        self.stderr.write(text)
        self.stderr.flush()
