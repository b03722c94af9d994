"""``gongkai report build --ledger FILE.xlsx --year Y [--agency NAME] [--json]``: an annual
report from an Excel ledger, with no server. A contract other tools rely on:

- ``--json`` prints ``{"report": <annual-report-data.md>, "findings": [...]}``;
- a ledger with bad rows: exit status 2 and one Chinese line per bad row naming the sheet and
  the row number on stderr; nothing is printed on stdout;
- otherwise exit 0 when the report has no error finding, 1 when it has one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gongkai.ledger import workbook
from gongkai.reports import build as builder
from gongkai.reports.checks import COLUMN_LABELS


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        print(f"gongkai report：参数有误：{message}", file=sys.stderr)
        raise SystemExit(2)


ROW_LABELS = {
    "received_new": "一、本年新收申请",
    "carried_over": "二、上年结转申请",
    "total_processed": "三、（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}


def _print_summary(report: dict, findings: list) -> None:
    agency = report["agency"] or "（未注明机关）"
    print(f"{agency} {report['year']} 年度政府信息公开工作年度报告（2021 格式）")
    rows = report["applications"]["rows"]
    header = "".join(f"{COLUMN_LABELS[c]:>8}" for c in report["applications"]["columns"])
    print(f"\n表三 收到和处理政府信息公开申请情况\n{'':<22}{header}")
    for key, label in ROW_LABELS.items():
        print(f"{label:<22}" + "".join(f"{v:>8}" for v in rows[key]))
    proactive = report["proactive"]
    print("\n表二 主动公开政府信息情况")
    for key, label in (("rules", "规章"), ("normative_documents", "行政规范性文件")):
        cells = proactive.get(key)
        if cells is None:
            print(f"  {label}：台账无“文件”工作表")
        else:
            print(
                f"  {label}：本年制发 {cells['issued']}，本年废止 {cells['repealed']}，"
                f"现行有效 {cells['in_force']}"
            )
    appeals = report["appeals"]
    print("\n表四 行政复议、行政诉讼情况")
    if appeals is None:
        print("  台账无“复议诉讼”工作表")
    else:
        for key, group in appeals.items():
            print(f"  {key}：总计 {group['total']}（尚未审结 {group['pending']}）")
    print()
    if not findings:
        print("检查通过：表格的勾稽关系和合计均无问题。")
    for finding in findings:
        level = {"error": "错误", "warning": "警告"}.get(finding.severity, "提示")
        print(f"[{level}] {finding.code} {finding.where}：{finding.message}")


def report_main(argv: list[str]) -> int:
    parser = _Parser(prog="gongkai report", description="生成政府信息公开工作年度报告的数据。")
    sub = parser.add_subparsers(dest="action", required=True)
    build = sub.add_parser("build", help="从 Excel 台账生成某一年度的年度报告数据并检查")
    build.add_argument("--ledger", type=Path, required=True, help="Excel 台账（.xlsx）")
    build.add_argument("--year", type=int, required=True, help="统计年度，如 2025")
    build.add_argument("--agency", default=None, help="机关名称（写入报告）")
    build.add_argument("--json", action="store_true", help="以 JSON 输出报告数据和检查结果")
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
    return 1 if any(f.severity == "error" for f in findings) else 0
