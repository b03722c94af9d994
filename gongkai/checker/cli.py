"""``gongkai check FILE_OR_FOLDER... [--json] [--previous FILE] [--out SUMMARY] [--jobs N]``:
read published annual reports, extract their tables and say what is wrong. A contract other
tools rely on:

- ``--json`` prints one JSON object per input file, one per line:
  ``{"file": ..., "report": <annual-report-data or null>, "findings": [...]}``;
- exit status 0 when no file has an error finding, 1 when some has, 2 when some file could
  not be read at all (its findings then hold UNREADABLE with the reason) or the arguments
  are wrong;
- without ``--json``, a readable Chinese summary per file, and a progress bar on a terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from gongkai.checker import batch
from gongkai.checker.check import Result
from gongkai.law import annual_report

LEVELS = {"error": "错误", "warning": "警告", "info": "提示"}
FORMATS = {
    **{f.key: f.name for f in reversed(annual_report.FORMATS)},
    None: "非全国统一格式（无统一表格）",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"gongkai check：参数有误：{message}", file=sys.stderr)
        raise SystemExit(2)


class Progress:
    """A one-line progress bar on stderr, only on a terminal."""

    def __init__(self, stream=sys.stderr):
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.shown < 0.1:
            return
        self.shown = now
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(now - self.started, 1e-6)
        bar = "█" * filled + "░" * (width - filled)
        self.stream.write(f"\r检查中 {bar} {done}/{total}（{rate:.0f} 份/秒）")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()


def _figure(report: dict, key: str) -> str:
    rows = (report.get("applications") or {}).get("rows") or {}
    values = rows.get(key)
    value = values[6] if values and len(values) > 6 else None
    return "—" if value is None else str(value)


def print_result(result: Result, out=None) -> None:
    out = out or sys.stdout
    print(f"\n■ {result.file}", file=out)
    report = result.report
    if report is not None:
        agency, year = report.get("agency") or "（未识别）", report.get("year") or "（未识别）"
        print(
            f"  机关：{agency}　年度：{year}"
            f"　格式：{FORMATS.get(report.get('format'), report.get('format'))}"
            f"　发布日期：{report.get('published_on') or '（未识别）'}",
            file=out,
        )
        if report.get("applications"):
            print(
                f"  表三：本年新收 {_figure(report, 'received_new')}，"
                f"上年结转 {_figure(report, 'carried_over')}，"
                f"办结 {_figure(report, 'total_processed')}，"
                f"结转下年度 {_figure(report, 'carried_forward')}",
                file=out,
            )
    if not result.findings:
        print("  未发现问题。", file=out)
        return
    print(f"  错误 {result.errors} 项，警告 {result.warnings} 项：", file=out)
    order = {"error": 0, "warning": 1, "info": 2}
    for finding in sorted(result.findings, key=lambda f: order.get(f.severity, 3)):
        level = LEVELS.get(finding.severity, finding.severity)
        print(f"  [{level}] {finding.code}（{finding.where}）：{finding.message}", file=out)


def check_main(argv: list[str]) -> int:
    parser = _Parser(
        prog="gongkai check",
        description="读取已公布的政府信息公开工作年度报告（文本、网页、Word、PDF），提取表格并检查。",
    )
    parser.add_argument(
        "paths", nargs="+", metavar="FILE_OR_FOLDER", help="报告文件、文件夹或 zip 压缩包"
    )
    parser.add_argument("--json", action="store_true", help="每个文件输出一行 JSON")
    parser.add_argument(
        "--previous",
        action="append",
        default=[],
        metavar="FILE",
        help="上一年度的报告（文件或文件夹，可多次给出），用于核对上年结转",
    )
    parser.add_argument("--out", type=Path, help="汇总表：.xlsx、.csv 或 .html")
    parser.add_argument("--jobs", type=int, default=1, help="并行进程数（默认 1）")
    parser.add_argument(
        "--timeout", type=int, default=batch.TIME_LIMIT, help="每个文件的时间上限（秒）"
    )
    args = parser.parse_args(argv)
    if args.jobs < 1 or args.jobs > (os.cpu_count() or 1) * 4:
        print(f"gongkai check：--jobs {args.jobs} 不合理。", file=sys.stderr)
        return 2
    if not 1 <= args.timeout <= 3600:
        print(f"gongkai check：--timeout {args.timeout} 不合理（1 到 3600 秒）。", file=sys.stderr)
        return 2
    if args.out is not None and args.out.suffix.lower() not in (".xlsx", ".csv", ".html", ".htm"):
        print("gongkai check：--out 只能是 .xlsx、.csv 或 .html 文件。", file=sys.stderr)
        return 2
    if args.out is not None and not args.out.resolve().parent.is_dir():
        print(f"gongkai check：汇总表所在的文件夹 {args.out.parent} 不存在。", file=sys.stderr)
        return 2
    try:
        items = batch.inputs(args.paths)
        previous = batch.previous_reports(args.previous) if args.previous else []
    except batch.InputError as exc:
        print(f"gongkai check：{exc}", file=sys.stderr)
        return 2
    if not items:
        print(
            "gongkai check：没有找到可检查的报告文件（.txt .md .html .docx .pdf）。",
            file=sys.stderr,
        )
        return 2
    if args.previous and not previous:
        print(
            "gongkai check：--previous 给出的文件都无法读取为报告，不核对上年结转。",
            file=sys.stderr,
        )
    progress = Progress() if len(items) > 1 else None
    results: list[Result] = []
    try:
        for result in batch.run(
            items, previous=previous, jobs=args.jobs, time_limit=args.timeout, progress=progress
        ):
            results.append(result)
            if args.json:
                if progress and progress.enabled:
                    sys.stderr.write("\r\033[K")
                print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
            elif not progress or not progress.enabled:
                print_result(result)
    except KeyboardInterrupt:
        print("\ngongkai check：已中断。", file=sys.stderr)
        return 130
    if not args.json and progress and progress.enabled:
        for result in results:
            print_result(result)
    unreadable = sum(1 for r in results if r.unreadable)
    with_errors = sum(1 for r in results if not r.unreadable and r.errors)
    if not args.json and len(results) > 1:
        clean = len(results) - unreadable - with_errors
        print(
            f"\n共检查 {len(results)} 个文件：无错误 {clean} 个，有错误 {with_errors} 个，"
            f"无法读取 {unreadable} 个。"
        )
    if args.out is not None:
        from gongkai.checker import summary

        try:
            summary.write(results, args.out)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            print(f"gongkai check：无法写入汇总表 {args.out}：{reason}", file=sys.stderr)
            return 2
        if not args.json:
            print(f"汇总表已写入 {args.out}")
    if unreadable:
        return 2
    return 1 if with_errors else 0
