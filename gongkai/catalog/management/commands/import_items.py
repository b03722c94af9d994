"""gongkai manage import_items --agency <slug> --user <username> FILE [--dry-run]: bring the
catalog of an existing website into the platform as published items (see
``gongkai.catalog.importer``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from gongkai.agencies.models import Agency
from gongkai.catalog import importer
from gongkai.core.command import BaseCommand


class Command(BaseCommand):
    help = "从原网站导入已发布的政府信息（CSV 或 .xlsx，第一行为列名）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8 或 GB18030 编码）或 Excel 工作簿（.xlsx）")
        parser.add_argument("--agency", required=True, help="发布这些信息的机关的网址标识")
        parser.add_argument(
            "--user", required=True, help="导入人的用户名（须为该机关的信息公开工作人员或负责人）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查文件，不导入")

    def handle(self, *args, file, agency, user, dry_run, **options):
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"没有网址标识为“{agency}”的机关。")
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"没有用户名为“{user}”的有效账号。")
        try:
            content = importer.read_file(file)
            result = importer.import_items(
                actor,
                found,
                content,
                name=file,
                dry_run=dry_run,
            )
        except importer.ImportFileError as exc:
            raise CommandError(str(exc)) from None
        except PermissionDenied as exc:
            raise CommandError(f"{user}：{exc}") from None
        if result.problems:
            self.stderr.write(f"文件有 {len(result.problems)} 处问题，没有导入任何信息：")
            for problem in result.problems:
                self.stderr.write(f"  {problem}")
            raise CommandError("请修改文件后重新导入。")
        flagged = [row for row in result.rows if row.findings]
        if dry_run:
            self.stdout.write(
                f"检查通过：共 {len(result.rows)} 条信息可以导入到{found.name}"
                + (
                    f"，其中 {len(flagged)} 条有发布前检查发现，导入后将送审核而不直接发布"
                    f"（第 {_numbers(flagged)}）"
                    if flagged
                    else ""
                )
                + "（未导入，去掉 --dry-run 即导入）。"
            )
            return
        if result.created:
            self.stdout.write(
                f"已导入 {len(result.created)} 条信息到{found.name}，均已发布"
                + (f"，其中 {result.generated} 条由平台编制索引号" if result.generated else "")
                + f"：{result.created[0].index_number} 至 {result.created[-1].index_number}。"
            )
        if result.in_review:
            self.stdout.write(
                f"{len(result.in_review)} 条有发布前检查发现（个人信息、密级标志或敏感词），"
                "已送本机关审核，经审核（保密审查为最后一环）后发布"
                f"（第 {_numbers(flagged)}）。"
            )


def _numbers(rows) -> str:
    """The row numbers, the first 20 of them: 2、5、9 行, or 2、5、…、88 等 31 行."""
    shown = "、".join(str(row.number) for row in rows[:20])
    return shown + (f" 等 {len(rows)} 行" if len(rows) > 20 else " 行")
