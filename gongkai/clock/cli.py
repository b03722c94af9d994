"""``gongkai deadline`` and ``gongkai calendar``: the statutory clock on the command line, with no
server and no database."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from gongkai import config
from gongkai.argparse_zh import ArgumentParser
from gongkai.clock import deadlines, grid, notice, statutory
from gongkai.clock.workcalendar import CalendarError, WorkCalendar, YearData
from gongkai.law import periods


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} 不是 YYYY-MM-DD 格式的日期") from None


def _pause(text: str) -> deadlines.Pause:
    start, sep, end = text.partition(":")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r} 应写成 开始日:结束日，如 2026-03-02:2026-03-13")
    try:
        return deadlines.Pause(_date(start), _date(end))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def calendars_folder() -> Path:
    """Where administrators' year files live: ``<data folder>/calendars``."""
    return config.data_dir() / "calendars"


def _step_json(step: deadlines.Step) -> dict:
    return {
        "date": step.day.isoformat(),
        "kind": step.kind.value,
        "paused": step.paused,
        "counted": step.counted,
        "note": step.note,
        "provisional": step.provisional,
    }


def _print_steps(title: str, steps: list[deadlines.Step]) -> None:
    print(f"\n{title}")
    for step in steps:
        print(f"  {step.day.isoformat()} 周{'一二三四五六日'[step.day.weekday()]}  {step.note}")


def deadline_main(argv: list[str]) -> int:
    parser = ArgumentParser(
        prog="gongkai deadline",
        description="按国务院节假日安排计算政府信息公开申请的补正告知期限、答复期限和延期后的期限。",
    )
    parser.add_argument("--received", type=_date, required=True, help="收到申请之日（第三十一条）")
    parser.add_argument(
        "--correction-received", type=_date, help="收到补正后申请之日（答复期限自此起算）"
    )
    parser.add_argument(
        "--pause",
        type=_pause,
        action="append",
        default=[],
        metavar="START:END",
        help="不计入答复期限的期间（征求意见、等待缴费），首尾两日都不计；可重复",
    )
    parser.add_argument(
        "--extended",
        action="store_true",
        help=f"经负责人同意延期 {periods.EXTENSION_DAYS} 个工作日",
    )
    parser.add_argument(
        "--calendar",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="某一年的节假日数据文件（JSON）；可重复",
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.add_argument("--explain", action="store_true", help="逐日说明计算过程")
    args = parser.parse_args(argv)

    try:
        calendar = WorkCalendar.default(files=args.calendar, folder=calendars_folder())
        result = deadlines.compute(
            calendar,
            args.received,
            correction_received=args.correction_received,
            pauses=args.pause,
            extension_days=periods.EXTENSION_DAYS if args.extended else 0,
        )
    except (CalendarError, ValueError) as exc:
        print(f"gongkai deadline：{exc}", file=sys.stderr)
        return 2

    provisional = result.provisional_years
    if args.json:
        data = result.as_json()
        if args.explain:
            data["explanation"] = {
                "correction_notice": [_step_json(s) for s in result.correction_steps],
                "reply": [_step_json(s) for s in result.reply_steps],
            }
        print(json.dumps(data, ensure_ascii=False))
        return 0

    mark = f"（{statutory.MARK}）"
    print(f"收到申请：{result.received.isoformat()}")
    print(
        f"补正告知最迟：{result.correction_notice_due.isoformat()}"
        f"{mark if result.correction_notice_provisional else ''}"
        f"（收到申请后第 {periods.CORRECTION_NOTICE_DAYS} 个工作日）"
    )
    if result.correction_received:
        print(f"收到补正：{result.correction_received.isoformat()}（答复期限自此起算）")
    assert result.reply_due is not None  # computed without ``as_of``: never paused
    print(
        f"答复期限：{result.reply_due.isoformat()}"
        f"{mark if result.reply_provisional else ''}（第 {periods.REPLY_DAYS} 个工作日）"
    )
    if result.extended_due:
        print(
            f"延期后答复期限：{result.extended_due.isoformat()}"
            f"{mark if result.extended_provisional else ''}"
            f"（再延 {periods.EXTENSION_DAYS} 个工作日）"
        )
    if provisional:
        print(f"{statutory.MARK}：{statutory.why(provisional)}")
    if args.explain:
        _print_steps("补正告知期限的计算：", result.correction_steps)
        _print_steps("答复期限的计算：", result.reply_steps)
    return 0


def read_year_or_notice(
    path: Path, year: int | None = None
) -> tuple[YearData, notice.Notice | None]:
    """A year from the file at ``path``: a year file (JSON) or the notice's text."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise CalendarError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    where = f"日历文件 {path} "
    return notice.read_year(notice.decode(raw, where), year=year, where=where)


def print_notice(read: notice.Notice, calendar: WorkCalendar) -> None:
    """What was read of a notice, for the person who confirms it: each holiday, what was
    passed over, warnings, and the year as month grids."""
    data = read.data
    print(f"{data.year} 年（{data.source}）")

    def day(d: dt.date) -> str:  # the year only where it is not the notice's own
        return f"{d.month}月{d.day}日" if d.year == data.year else f"{d.year}年{d.month}月{d.day}日"

    for item in read.arrangements:
        off = "、".join(day(d) for d in item.rest_days)
        line = f"  {item.holiday}：放假 {off}（{len(item.rest_days)} 天）"
        if item.make_up_workdays:
            line += "；上班 " + "、".join(day(d) for d in item.make_up_workdays)
        print(line)
    earlier = sorted(d for d in data.rest_days | data.make_up_workdays if d.year < data.year)
    if earlier:
        listed = "、".join(day(d) for d in earlier)
        print(f"  通知也安排了上一年的 {listed}：保存后这些日期按本通知计算。")
    for sentence in read.ignored:
        print(f"  未作为放假安排：“{sentence}”")
    for warning in read.warnings:
        print(f"  注意：{warning}")
    print()
    print(grid.as_text(calendar, data.year))


def calendar_main(argv: list[str]) -> int:
    parser = ArgumentParser(
        prog="gongkai calendar", description="管理工作日历（国务院节假日安排）。"
    )
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser(
        "add", help="添加或更正某一年的节假日安排：数据文件（JSON）或通知全文；重新计算办理中的申请"
    )
    add.add_argument("file", type=Path)
    add.add_argument("--year", type=int, help="通知中没有写年份时指定")
    parse = sub.add_parser("parse", help="读取国务院办公厅放假安排通知的全文，显示全年日历以便核对")
    parse.add_argument("file", type=Path, help="通知全文（文本文件，UTF-8 或 GBK）")
    parse.add_argument("--year", type=int, help="通知中没有写年份时指定")
    parse.add_argument(
        "--json", action="store_true", help="输出 gongkai calendar add 可读的数据文件"
    )
    sub.add_parser("list", help="列出已有数据的年份及来源")
    show = sub.add_parser("show", help="以 JSON 显示某一年的数据")
    show.add_argument("year", type=int)
    args = parser.parse_args(argv)

    folder = calendars_folder()
    try:
        if args.action == "add":
            # Reached only when called directly: ``gongkai calendar add`` runs the server's
            # service (gongkai.cli), which records who added the year and recomputes the cases.
            print("gongkai calendar add 须经 gongkai 命令运行。", file=sys.stderr)
            return 2
        calendar = WorkCalendar.default(folder=folder)
        if args.action == "parse":
            data, read = read_year_or_notice(args.file, args.year)
            if args.json:
                print(json.dumps(data.to_json(), ensure_ascii=False, indent=2))
                return 0
            years = dict(calendar.years)
            years[data.year] = data
            preview = WorkCalendar(years.values())
            if read is None:
                print(f"{data.year} 年（{data.source}）")
                for problem in statutory.missing_festivals(data.year, data.rest_days):
                    print(f"  注意：{problem}")
                print(grid.as_text(preview, data.year))
            else:
                print_notice(read, preview)
            print(
                f"\n核对无误后：gongkai calendar add {args.file}"
                + (f" --year {args.year}" if args.year else "")
            )
            return 0
        if args.action == "list":
            for year in sorted(calendar.years):
                print(f"{year}  {calendar.years[year].source}")
            this_year = dt.date.today().year
            for year in range(this_year, this_year + 2):
                if calendar.is_provisional(year) and statutory.FIRST_YEAR <= year:
                    print(f"{year}  {statutory.MARK}：{statutory.SOURCE}")
            return 0
        print(json.dumps(calendar.year(args.year).to_json(), ensure_ascii=False, indent=2))
        return 0
    except CalendarError as exc:
        print(f"gongkai calendar：{exc}", file=sys.stderr)
        return 2
