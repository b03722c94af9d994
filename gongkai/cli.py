"""The ``gongkai`` command. Each subcommand is a management command of gongkai's own apps, so that
the web pages, the API and the command line call the same code; ``gongkai manage …`` reaches
every Django command (migrate, changepassword, check --deploy, …)."""

from __future__ import annotations

import os
import sys

# Subcommands that need no server and no database: plain Python, run without Django.
# name → ("module:function", description); the function takes argv and returns the exit status.
PLAIN_COMMANDS = {
    "report": (
        "gongkai.ledger.report_cli:report_main",
        "从 Excel 台账生成并检查年度报告数据（不需要服务器）",
    ),
    "check": (
        "gongkai.checker.cli:check_main",
        "读取已公布的年度报告（文本、网页、Word、PDF），提取表格并检查",
    ),
    "deadline": ("gongkai.clock.cli:deadline_main", "计算申请的补正告知、答复和延期期限（工作日）"),
    "calendar": ("gongkai.clock.cli:calendar_main", "添加或查看某一年的节假日安排（工作日历）"),
    "ledger": ("gongkai.ledger.cli:ledger_main", "生成台账模板，检查 Excel 台账并按年度统计"),
    "scan": (
        "gongkai.scan.cli:scan_main",
        "发布前检查文本中的身份证号、手机号、银行卡号、密级标志和敏感词",
    ),
}

# gongkai subcommand → management command. Names are kept apart from Django's own (Django has
# its own "check"), so the table, not the name, decides what runs.
SUBCOMMANDS = {
    "serve": ("serve", "迁移数据库并启动网站（--demo 时载入演示数据）"),
    "demo": ("demo", "载入演示数据（可重复运行）"),
    "createadmin": ("createadmin", "新建系统管理员账号"),
    "import-items": ("import_items", "从原网站导出的 CSV/XLSX 导入已公开的信息目录"),
    "remind": ("remind", "给承办人发送到期、超期申请的提醒邮件（供 cron 每个工作日运行）"),
    "worker": ("worker", "运行后台任务（台账导入、批量检查、邮件等）；--once 运行完待办任务后退出"),
    "outbox": (
        "outbox",
        "显示发件箱中的通知；--send 立即发送到期的通知（无后台任务时供 cron 运行）",
    ),
    "backup": ("backup", "备份数据库和文件到一个归档文件"),
    "restore": ("restore", "从 gongkai backup 的归档恢复数据库和文件"),
}
# Reached as "gongkai calendar add …", listed under "calendar".
HIDDEN_SUBCOMMANDS = {"calendar-add": "calendar_add"}

USAGE = """用法：gongkai <命令> [选项]

命令：
{commands}
  manage       运行任一 Django 管理命令，如 gongkai manage migrate

每个命令的选项见 gongkai <命令> --help。"""


def _usage() -> str:
    table = {**SUBCOMMANDS, **PLAIN_COMMANDS}
    lines = [f"  {name:<12} {text}" for name, (_cmd, text) in table.items()]
    return USAGE.format(commands="\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name == "--version":
        from gongkai import __version__

        print(f"gongkai {__version__}")
        return 0
    if name == "calendar" and rest[:1] == ["add"]:
        # Adding a year records who added it and recomputes the open cases: the server's
        # service, like the back office's page.
        name, rest = "calendar-add", rest[1:]
    if name in PLAIN_COMMANDS:
        import importlib

        module, function = PLAIN_COMMANDS[name][0].split(":")
        try:
            return getattr(importlib.import_module(module), function)(rest)
        except BrokenPipeError:  # output piped into head, less …: not an error
            sys.stderr.close()
            return 0
    if name != "manage" and name not in SUBCOMMANDS and name not in HIDDEN_SUBCOMMANDS:
        print(f"gongkai：未知命令 {name!r}。\n\n{_usage()}", file=sys.stderr)
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        print(f"gongkai：配置错误：{exc}", file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    if name == "manage":
        command_argv = ["gongkai manage", *rest]
    elif name in HIDDEN_SUBCOMMANDS:
        command_argv = ["gongkai", HIDDEN_SUBCOMMANDS[name], *rest]
    else:
        command_argv = ["gongkai", SUBCOMMANDS[name][0], *rest]
    try:
        execute_from_command_line(command_argv)
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0
