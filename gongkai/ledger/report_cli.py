"""``gongkai report build --ledger FILE.xlsx --year Y [--agency NAME] [--json]``: an annual
report from an Excel ledger, with no server. A contract other tools rely on:

- ``--json`` prints ``{"report": <docs/annual-report-data.md>, "findings": [...]}``;
- a ledger with bad rows: exit status 2 and one Chinese line per bad row naming the sheet and
  the row number on stderr; nothing is printed on stdout;
- otherwise exit 0 when the report has no error finding, 1 when it has one.

``--docx F``, ``--pdf F`` and ``--html F`` also write the report as a document (the tables
and drafts of sections 一 and 六, ``gongkai.reports.drafts``): only from a good ledger, all or
none of them (each is written to a temporary file beside it and renamed at the end), and even
when the report has errors, which a line on stderr then says. A file that cannot be written:
exit status 2.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from gongkai.argparse_zh import ArgumentParser
from gongkai.core import fonts
from gongkai.ledger import report as builder
from gongkai.ledger import workbook
from gongkai.reports.checks import COLUMN_LABELS

ROW_LABELS = {
    "received_new": "一、本年新收申请",
    "carried_over": "二、上年结转申请",
    "total_processed": "三、（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}


def _cell(value) -> str:
    return "空白" if value is None else str(value)


# 表二's 规章 and 规范性文件 rows: their cells and labels in each format.
DOCUMENT_CELLS = {
    "2021": (
        "行政规范性文件",
        (("issued", "本年制发"), ("repealed", "本年废止"), ("in_force", "现行有效")),
    ),
    "2019": (
        "规范性文件",
        (
            ("made", "本年新制作"),
            ("published", "本年新公开"),
            ("total_published", "对外公开总数量"),
        ),
    ),
}


def _print_summary(report: dict, findings: list) -> None:
    agency = report["agency"] or "（未注明机关）"
    fmt = report.get("format") or "2021"
    print(f"{agency} {report['year']} 年度政府信息公开工作年度报告（{fmt} 格式）")
    applications = report.get("applications")
    print("\n表三 收到和处理政府信息公开申请情况")
    if applications is None:
        print("  台账无申请数据")
    else:
        rows = applications["rows"]
        header = "".join(f"{COLUMN_LABELS[c]:>8}" for c in applications["columns"])
        print(f"{'':<22}{header}")
        for key, label in ROW_LABELS.items():
            values = rows.get(key) or [None] * len(applications["columns"])
            print(f"{label:<22}" + "".join(f"{_cell(v):>8}" for v in values))
    proactive = report.get("proactive") or {}
    print("\n表二 主动公开政府信息情况")
    normative, fields = DOCUMENT_CELLS["2019" if fmt == "2019" else "2021"]
    for key, label in (("rules", "规章"), ("normative_documents", normative)):
        cells = proactive.get(key)
        if cells is None:
            print(f"  {label}：台账无“文件”工作表")
        else:
            print(
                f"  {label}："
                + "，".join(f"{name} {_cell(cells.get(field))}" for field, name in fields)
            )
    appeals = report["appeals"]
    print("\n表四 行政复议、行政诉讼情况")
    if appeals is None:
        print("  台账无“复议诉讼”工作表")
    else:
        for key, group in appeals.items():
            print(f"  {key}：总计 {_cell(group['total'])}（尚未审结 {_cell(group['pending'])}）")
    print()
    if not findings:
        print("检查通过：表格的勾稽关系和合计均无问题。")
    for finding in findings:
        level = {"error": "错误", "warning": "警告"}.get(finding.severity, "提示")
        print(f"[{level}] {finding.code} {finding.where}：{finding.message}")


def document_title(report: dict, agency: str | None) -> str:
    agency = (agency or "").strip()
    return f"{agency}{report['year']}年政府信息公开工作年度报告"


def _write_documents(report: dict, outputs: list[tuple[str, Path]], *, agency) -> bool:
    """Write every requested document, or none: each goes to a temporary file beside its
    target, and the files are renamed into place only when all of them are written. The
    ledger has no figure for 信息处理费, so the draft of section 六 leaves it to be filled in."""
    from gongkai.reports import drafts, render

    for _, path in outputs:
        if path.is_dir():
            print(
                f"gongkai report：{path} 是文件夹，请给出文件名。未写出任何文件。", file=sys.stderr
            )
            return False
    title = document_title(report, agency)
    sections = drafts.default_sections(report)
    makers = {
        "docx": lambda: render.to_docx(report, sections, title=title),
        "pdf": lambda: render.to_pdf(report, sections, title=title),
        "html": lambda: render.document_html(report, sections, title=title).encode("utf-8"),
    }
    written: list[tuple[str, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    mode = 0o666 & ~umask
    try:
        for kind, path in outputs:
            try:
                data = makers[kind]()
            except fonts.MissingFont as exc:
                print(f"gongkai report：{exc}未写出任何文件。", file=sys.stderr)
                return False
            try:
                handle, temporary = tempfile.mkstemp(
                    dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
                )
                written.append((temporary, path))
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.chmod(temporary, mode)  # as an ordinary new file, not mkstemp's 0600
            except OSError as exc:
                reason = exc.strerror or str(exc)
                message = f"gongkai report：无法写入 {path}：{reason}。未写出任何文件。"
                print(message, file=sys.stderr)
                return False
        for temporary, path in written:
            try:
                os.replace(temporary, path)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                print(f"gongkai report：无法写入 {path}：{reason}。", file=sys.stderr)
                return False
    finally:
        for temporary, _ in written:
            if os.path.exists(temporary):
                os.unlink(temporary)
    for _, path in outputs:
        print(f"gongkai report：已写入 {path}", file=sys.stderr)
    return True


def report_main(argv: list[str]) -> int:
    parser = ArgumentParser(
        prog="gongkai report", description="生成政府信息公开工作年度报告的数据。"
    )
    sub = parser.add_subparsers(dest="action", required=True)
    build = sub.add_parser("build", help="从 Excel 台账生成某一年度的年度报告数据并检查")
    build.add_argument("--ledger", type=Path, required=True, help="Excel 台账（.xlsx）")
    build.add_argument("--year", type=int, required=True, help="统计年度，如 2025")
    build.add_argument("--agency", default=None, help="机关名称（写入报告）")
    build.add_argument("--json", action="store_true", help="以 JSON 输出报告数据和检查结果")
    build.add_argument("--docx", type=Path, metavar="F", help="另将报告写成 Word 文件（.docx）")
    build.add_argument("--pdf", type=Path, metavar="F", help="另将报告写成 PDF 文件")
    build.add_argument("--html", type=Path, metavar="F", help="另将报告写成网页文件（.html）")
    args = parser.parse_args(argv)
    if not 2000 <= args.year <= 2200:
        print(f"gongkai report：年度 {args.year} 不合理。", file=sys.stderr)
        return 2
    try:
        ledger = workbook.read(args.ledger)
    except workbook.LedgerError as exc:
        print(f"gongkai report：{exc}", file=sys.stderr)
        return 2
    if ledger.problems:
        print(
            f"gongkai report：台账有 {len(ledger.problems)} 处问题，未生成报告：", file=sys.stderr
        )
        for problem in sorted(ledger.problems, key=workbook.problem_order):
            print(f"  {problem}", file=sys.stderr)
        return 2
    try:
        report, findings = builder.build(ledger, args.year, agency=args.agency)
    except (builder.ReportError, workbook.LedgerError) as exc:
        print(f"gongkai report：{exc}", file=sys.stderr)
        return 2
    outputs = [(kind, getattr(args, kind)) for kind in ("docx", "pdf", "html")]
    outputs = [(kind, path) for kind, path in outputs if path is not None]
    errors = any(f.severity == "error" for f in findings)
    if outputs:
        if not _write_documents(report, outputs, agency=args.agency):
            return 2
        if errors:
            print(
                "gongkai report：报告有错误（见检查结果），已写出的文件仅供核对，"
                "改正之前不得照此公布。",
                file=sys.stderr,
            )
    if args.json:
        print(
            json.dumps(
                {"report": report, "findings": [f.as_json() for f in findings]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_summary(report, findings)
    return 1 if errors else 0
