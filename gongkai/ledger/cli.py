"""``gongkai ledger``: the blank ledger template and the check of a filled one, with no server
and no database.

Exit status of ``check``: 0 when the ledger has no problems, 1 when it has some, 2 when the file
cannot be read (or the arguments are wrong)."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from gongkai.argparse_zh import ArgumentParser
from gongkai.law import annual_report
from gongkai.ledger import workbook
from gongkai.ledger.workbook import LedgerError


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} 不是四位数的年份")
    year = int(text)
    if not workbook.EARLIEST_YEAR <= year <= workbook.LATEST_YEAR:
        raise argparse.ArgumentTypeError(
            f"年份应在 {workbook.EARLIEST_YEAR}–{workbook.LATEST_YEAR} 之间"
        )
    return year


def _parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="gongkai ledger",
        description="政府信息公开工作台账（Excel）：生成空白模板，检查填好的台账并按年度统计。",
    )
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=ArgumentParser)
    commands.required = True
    template = commands.add_parser(
        "template",
        help="生成空白台账模板（含填写说明和下拉列表）",
        description="生成空白台账模板：说明、申请、复议诉讼、文件、其他统计五个工作表。",
    )
    template.add_argument("file", type=Path, metavar="FILE", help="要生成的 .xlsx 文件")
    template.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    check = commands.add_parser(
        "check",
        help="检查台账，列出有问题的行；加 --year 时统计该年度的申请情况",
        description="检查台账的每一行，按工作表和行号列出问题。"
        "退出状态：0 无问题，1 有问题，2 文件无法读取。",
    )
    check.add_argument("file", type=Path, metavar="FILE", help="台账 .xlsx 文件")
    check.add_argument(
        "--year", type=_year, metavar="YYYY", help="统计该年度（年度报告表三、表四、表二）"
    )
    check.add_argument("--json", action="store_true", help="输出 JSON")
    check.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="统计时跳过有问题的行（不加时，台账有问题就不统计）",
    )
    return parser


def ledger_main(argv: list[str]) -> int:
    # openpyxl warns about workbook features it drops (extensions, print settings); the
    # ledger never needs them, and the warnings would read as errors to the user.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?")
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a wrong argument (2): a status, not an exit
        return exc.code if isinstance(exc.code, int) else 2
    if args.command == "template":
        return _template(args)
    return _check(args)


def _template(args) -> int:
    path: Path = args.file
    if path.suffix.lower() != ".xlsx":
        print(f"gongkai ledger：模板文件名应以 .xlsx 结尾：{path}", file=sys.stderr)
        return 2
    if path.exists() and not args.force:
        print(f"gongkai ledger：{path} 已存在；如要覆盖，请加 --force。", file=sys.stderr)
        return 2
    try:
        workbook.write_template(path)
    except OSError as exc:
        print(f"gongkai ledger：无法写入 {path}：{exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"已生成空白台账模板：{path}")
    return 0


def _check(args) -> int:
    try:
        ledger = workbook.read(args.file)
    except LedgerError as exc:
        if args.json:
            print(json.dumps({"file": str(args.file), "error": str(exc)}, ensure_ascii=False))
        print(f"gongkai ledger：{exc}", file=sys.stderr)
        return 2

    tables, refusal = None, ""
    if args.year is not None:
        try:
            tables = {
                "applications": workbook.count_applications(
                    ledger, args.year, skip_bad_rows=args.skip_bad_rows
                ),
                "appeals": workbook.count_appeals(
                    ledger, args.year, skip_bad_rows=args.skip_bad_rows
                ),
                "proactive": workbook.count_proactive(
                    ledger,
                    args.year,
                    skip_bad_rows=args.skip_bad_rows,
                    fmt=annual_report.format_for(args.year)
                    if annual_report.has_national_format(args.year)
                    else "2021",
                ),
            }
        except LedgerError as exc:
            refusal = str(exc)

    if args.json:
        data = {
            "file": str(args.file),
            "sheets": ledger.sheets,
            "problems": [p.as_json() for p in ledger.problems],
            "notes": [p.as_json() for p in ledger.notes],
        }
        if args.year is not None:
            data["year"] = args.year
            data.update(tables or {"applications": None, "appeals": None, "proactive": None})
            if refusal:
                data["refused"] = refusal
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 1 if ledger.problems else 0

    print(f"台账：{args.file}")
    counts = "，".join(
        f"{sheet} {'（无此工作表）' if n is None else f'{n} 行'}"
        for sheet, n in ledger.sheets.items()
    )
    print(f"工作表：{counts}")
    for note in ledger.notes:
        print(f"提示：{note}")
    if ledger.problems:
        print(f"\n发现 {len(ledger.problems)} 处问题：")
        for problem in ledger.problems:
            column = f"【{problem.column}】" if problem.column else ""
            print(f"  {problem.where}{column}：{problem.message}")
    else:
        print("\n未发现问题。")
    if args.year is not None:
        if refusal:
            print(f"\n未统计 {args.year} 年度：{refusal}")
            print("（如要跳过有问题的行统计，请加 --skip-bad-rows。）")
        else:
            _print_tables(args.year, tables, ledger)
    return 1 if ledger.problems else 0


def _print_tables(year: int, tables: dict, ledger: workbook.Ledger) -> None:
    skipped = sum(len(ledger.bad_rows(s)) for s in workbook.SHEETS)
    print(f"\n{year} 年度 收到和处理政府信息公开申请情况（表三）：")
    if skipped:
        print(f"（已跳过 {skipped} 行有问题的数据）")
    print(workbook.applications_text(tables["applications"]))
    appeals = tables["appeals"]
    print(f"\n{year} 年度 政府信息公开行政复议、行政诉讼情况（表四）：")
    if appeals is None:
        print("  （台账中没有“复议诉讼”工作表，未统计）")
    else:
        names = dict(workbook.APPEAL_KINDS)
        headers = ["维持", "纠正", "其他", "尚未审结", "总计"]
        keys = ["upheld", "corrected", "other", "pending", "total"]
        rows = [(names[g], [cells[k] for k in keys]) for g, cells in appeals.items()]
        print(workbook.text_table(headers, rows))
    proactive = tables["proactive"]
    print(f"\n{year} 年度 主动公开政府信息情况（表二）：")
    for key, label in workbook.DOCUMENT_KINDS:
        cells = proactive[key]
        if cells is None:
            print(f"  {label}：（台账中没有“文件”工作表，未统计）")
        else:
            print(
                f"  {label}：本年制发 {cells['issued']}，本年废止 {cells['repealed']}，"
                f"现行有效 {cells['in_force']}"
            )
    for key, label in workbook.STATISTIC_ITEMS:
        value = proactive[key]
        unit = "万元" if key == "fees_amount_10k_yuan" else "件"
        print(f"  {label}：{'未填写' if value is None else f'{value} {unit}'}")
