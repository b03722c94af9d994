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

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from gongkai.argparse_zh import ArgumentParser
from gongkai.checker import batch
from gongkai.checker.check import Result
from gongkai.law import annual_report
from gongkai.reports import figures as report_figures
from gongkai.reports import finding_codes

LEVELS = finding_codes.SEVERITY_LABELS
FORMATS = {
    **{f.key: f.name for f in reversed(annual_report.FORMATS)},
    None: "非全国统一格式（无统一表格）",
}


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
    value = report_figures.key_figures(report)[key]
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
    order = finding_codes.SEVERITY_ORDER
    for finding in sorted(result.findings, key=lambda f: order.get(f.severity, 3)):
        level = LEVELS.get(finding.severity, finding.severity)
        print(f"  [{level}] {finding.code}（{finding.where}）：{finding.message}", file=out)


@dataclass(frozen=True)
class Options:
    """What ``gongkai check`` was asked to do: the reports to check (``items``, as
    ``batch.inputs`` found them) and those of the year before (``previous``)."""

    items: list[batch.Input]
    previous: list[dict]
    json: bool
    jobs: int
    timeout: int
    out: Path | None


class Refused(Exception):
    """Arguments ``gongkai check`` cannot run with; the message says why (exit status 2)."""


def check_main(argv: list[str]) -> int:
    """``gongkai check``: parse the arguments, check the reports, print the results; the exit
    status of the module docstring."""
    try:
        options = parse(argv)
    except Refused as exc:
        print(f"gongkai check：{exc}", file=sys.stderr)
        return 2
    progress = Progress() if len(options.items) > 1 else None
    try:
        results = run(options, progress=progress, on_result=lambda r: show(r, options, progress))
    except KeyboardInterrupt:
        print("\ngongkai check：已中断。", file=sys.stderr)
        return 130
    return output(results, options, progress)


def parse(argv: list[str]) -> Options:
    """The command line as ``Options``: the arguments checked and the input files found.
    Raises ``Refused`` when they cannot be run; warns on stderr when no ``--previous`` file
    could be read as a report."""
    parser = ArgumentParser(
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
        raise Refused(f"--jobs {args.jobs} 不合理。")
    if not 1 <= args.timeout <= 3600:
        raise Refused(f"--timeout {args.timeout} 不合理（1 到 3600 秒）。")
    if args.out is not None and args.out.suffix.lower() not in (".xlsx", ".csv", ".html", ".htm"):
        raise Refused("--out 只能是 .xlsx、.csv 或 .html 文件。")
    if args.out is not None and not args.out.resolve().parent.is_dir():
        raise Refused(f"汇总表所在的文件夹 {args.out.parent} 不存在。")
    try:
        items = batch.inputs(args.paths)
        previous = batch.previous_reports(args.previous) if args.previous else []
    except batch.InputError as exc:
        raise Refused(str(exc)) from exc
    if not items:
        raise Refused("没有找到可检查的报告文件（.txt .md .html .docx .pdf）。")
    if args.previous and not previous:
        print(
            "gongkai check：--previous 给出的文件都无法读取为报告，不核对上年结转。",
            file=sys.stderr,
        )
    return Options(
        items=items,
        previous=previous,
        json=args.json,
        jobs=args.jobs,
        timeout=args.timeout,
        out=args.out,
    )


def run(options: Options, *, progress: Progress | None = None, on_result=None) -> list[Result]:
    """Check every input of ``options``, in parallel when asked, and return the results in
    the order ``batch.run`` gives them; ``on_result`` is called with each result as soon as it is
    done, ``progress`` with the count done. KeyboardInterrupt passes through."""
    results: list[Result] = []
    for result in batch.run(
        options.items,
        previous=options.previous,
        jobs=options.jobs,
        time_limit=options.timeout,
        progress=progress,
    ):
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def show(result: Result, options: Options, progress: Progress | None) -> None:
    """Print one result as soon as it is done: a JSON line with ``--json``, else the readable
    summary unless a progress bar is drawn (then ``output`` prints them all at the end)."""
    if options.json:
        if progress and progress.enabled:
            sys.stderr.write("\r\033[K")
        print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
    elif not progress or not progress.enabled:
        print_result(result)


def output(results: list[Result], options: Options, progress: Progress | None) -> int:
    """Print what ``show`` held back and the totals, write the ``--out`` summary, and return
    the exit status: 2 when a file could not be read (or the summary not written), 1 when
    some report has an error, else 0."""
    if not options.json and progress and progress.enabled:
        for result in results:
            print_result(result)
    unreadable = sum(1 for r in results if r.unreadable)
    with_errors = sum(1 for r in results if not r.unreadable and r.errors)
    if not options.json and len(results) > 1:
        clean = len(results) - unreadable - with_errors
        print(
            f"\n共检查 {len(results)} 个文件：无错误 {clean} 个，有错误 {with_errors} 个，"
            f"无法读取 {unreadable} 个。"
        )
    if options.out is not None:
        from gongkai.checker import summary

        try:
            summary.write(results, options.out)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            print(f"gongkai check：无法写入汇总表 {options.out}：{reason}", file=sys.stderr)
            return 2
        if not options.json:
            print(f"汇总表已写入 {options.out}")
    if unreadable:
        return 2
    return 1 if with_errors else 0
