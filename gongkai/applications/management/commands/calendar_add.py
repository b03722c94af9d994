"""gongkai calendar add FILE: add or correct a year's holiday arrangements from a year file
(JSON) or from the text of the State Council's notice, through the same service as the back
office: saved, recorded, and every open case recomputed."""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection

from gongkai.applications.calendar_years import add_year
from gongkai.applications.models import CalendarYear
from gongkai.clock.cli import read_year_or_notice
from gongkai.clock.workcalendar import CalendarError
from gongkai.core.command import BaseCommand


class Command(BaseCommand):
    help = "添加或更正某一年的节假日安排，并重新计算办理中的申请"

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Run as "gongkai calendar add" (gongkai.cli), and so named in its help.
        return super().create_parser("gongkai calendar", "add", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="数据文件（JSON）或国务院办公厅通知全文")
        parser.add_argument("--year", type=int, help="通知中没有写年份时指定")
        parser.add_argument(
            "--accept-missing",
            action="store_true",
            help="通知中确实没有放假办法规定的某个节日时，仍然保存",
        )

    def handle(self, *args, file, year, accept_missing, **options):
        try:
            data, _notice = read_year_or_notice(file, year)
        except CalendarError as exc:
            raise CommandError(str(exc), returncode=2) from None
        try:
            if CalendarYear._meta.db_table not in connection.introspection.table_names():
                # A fresh data folder: the same migrations gongkai serve runs first.
                call_command("migrate", verbosity=0, interactive=False)
        except DatabaseError as exc:
            raise CommandError(f"无法连接数据库：{exc}", returncode=2) from None
        who = (
            f"命令行 gongkai calendar add {file.name}（{getpass.getuser()}@{socket.gethostname()}）"
        )
        try:
            added = add_year(None, data, origin=who, accept_missing=accept_missing)
        except CalendarError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except OSError as exc:
            raise CommandError(
                f"无法保存 {data.year} 年的日历文件：{exc.strerror or exc}", returncode=2
            ) from None
        self.stdout.write(added.summary())
        if added.unchanged:
            return
        if added.moved:
            self.stdout.write(f"{len(added.moved)} 件办理中的申请期限随之变动：")
            for moved in added.moved:
                changes = "；".join(f"{label} {a} → {b}" for label, a, b in moved.changes)
                self.stdout.write(
                    f"  {moved.application.tracking_number}"
                    f"（{moved.application.agency.name}）：{changes}"
                )
        else:
            self.stdout.write("没有办理中的申请期限因此变动。")
        if added.items_moved:
            self.stdout.write(f"{added.items_moved} 条待发布信息的应公开日期随之变动。")
