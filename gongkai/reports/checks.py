"""The checks of a report's figures (docs/annual-report-data.md, 检查结果): one
implementation for the generator before publication and for the checker of published reports.

``check(report)`` takes the JSON shape (a dict) and returns findings; it never changes the
report and never turns a blank (None) into a zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from gongkai.law import annual_report, applicants
from gongkai.reports import counting, finding_codes

COLUMNS = applicants.KEYS
COLUMN_LABELS = applicants.COLUMN_LABELS
# A row of table 三: the six applicant columns, then 总计.
ROW_WIDTH = len(applicants.COLUMNS)
TOTAL = applicants.TOTAL_INDEX
OUTCOME_ROWS_2021 = counting.OUTCOME_KEYS_2021
OUTCOME_ROWS_2019 = counting.OUTCOME_KEYS_2019
APPEAL_GROUPS = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_reconsideration": "行政诉讼（复议后起诉）",
}
APPEAL_CELLS = ["upheld", "corrected", "other", "pending"]


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # error, warning, info
    message: str
    where: str

    def __post_init__(self):
        finding_codes.check(self.code, self.severity)

    def as_json(self) -> dict:
        return asdict(self)


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _numbers(values, where: str, findings: list[Finding], label: str) -> list:
    """Report blanks and impossible counts once per cell; return the values with them as None."""
    clean = []
    for index, value in enumerate(values):
        cell = f"{where}[{index}]" if len(values) > 1 else where
        if value is None:
            findings.append(Finding("BLANK_CELL", "warning", f"{label}：有空白单元格。", cell))
            clean.append(None)
        elif not _is_count(value) or value < 0:
            findings.append(
                Finding("NEGATIVE_VALUE", "error", f"{label}：{value!r} 不是非负整数。", cell)
            )
            clean.append(None)
        else:
            clean.append(value)
    return clean


def _sum(values) -> int | None:
    return None if any(v is None for v in values) else sum(values)


def _check_applications(table: dict, fmt: str, findings: list[Finding]) -> None:
    rows = table.get("rows") or {}
    outcome_keys = OUTCOME_ROWS_2021 if fmt == "2021" else OUTCOME_ROWS_2019
    clean: dict[str, list] = {}
    for key in [
        "received_new",
        "carried_over",
        *outcome_keys,
        "total_processed",
        "carried_forward",
    ]:
        values = rows.get(key)
        where = f"applications.{key}"
        if values is None:
            findings.append(Finding("BLANK_CELL", "warning", f"表三缺少“{key}”一行。", where))
            clean[key] = [None] * ROW_WIDTH
            continue
        clean[key] = _numbers(
            list(values)[:ROW_WIDTH] + [None] * (ROW_WIDTH - len(values)),
            where,
            findings,
            f"表三 {key}",
        )
    # TOTAL_MISMATCH: each row's 总计 = the sum of the six columns.
    for key, values in clean.items():
        parts = _sum(values[:TOTAL])
        if parts is not None and values[TOTAL] is not None and parts != values[TOTAL]:
            findings.append(
                Finding(
                    "TOTAL_MISMATCH",
                    "error",
                    f"表三“{key}”一行：六类申请人之和为 {parts}，总计栏为 {values[TOTAL]}。",
                    f"applications.{key}",
                )
            )
    for index, column in enumerate(applicants.COLUMNS):
        label = COLUMN_LABELS[column]

        def cell(key, index=index):
            return clean[key][index]

        # OUTCOME_SUM_MISMATCH: （七）总计 = the sum of the outcome rows.
        outcomes_sum = _sum([cell(k) for k in outcome_keys])
        total = cell("total_processed")
        if outcomes_sum is not None and total is not None and outcomes_sum != total:
            findings.append(
                Finding(
                    "OUTCOME_SUM_MISMATCH",
                    "error",
                    f"{label}列：各项办理结果之和为 {outcomes_sum}，（七）总计为 {total}。",
                    f"applications.{column}",
                )
            )
        # BALANCE_MISMATCH: 一 + 二 = 三（七）+ 四 (the 勾稽关系 printed in the table).
        left = _sum([cell("received_new"), cell("carried_over")])
        right = _sum([cell("total_processed"), cell("carried_forward")])
        if left is not None and right is not None and left != right:
            findings.append(
                Finding(
                    "BALANCE_MISMATCH",
                    "error",
                    f"{label}列：一+二={left}，三（七）+四={right}。",
                    f"applications.{column}",
                )
            )


def _check_appeals(table: dict, findings: list[Finding]) -> None:
    for group, label in APPEAL_GROUPS.items():
        cells = table.get(group) or {}
        values = _numbers(
            [cells.get(c) for c in [*APPEAL_CELLS, "total"]],
            f"appeals.{group}",
            findings,
            f"表四 {label}",
        )
        parts, total = _sum(values[:4]), values[4]
        if parts is not None and total is not None and parts != total:
            findings.append(
                Finding(
                    "APPEAL_SUM_MISMATCH",
                    "error",
                    f"表四{label}：维持、纠正、其他、尚未审结之和为 {parts}，总计为 {total}。",
                    f"appeals.{group}",
                )
            )


def _check_amount(value, where: str, label: str, findings: list[Finding]) -> None:
    if value is None:
        findings.append(Finding("BLANK_CELL", "warning", f"表二“{label}”金额空白。", where))
        return
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        findings.append(
            Finding("NEGATIVE_VALUE", "error", f"表二“{label}”金额 {value!r} 不是非负的数。", where)
        )


PROACTIVE_2019 = {
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
}


def _check_proactive_2019(table: dict, findings: list[Finding]) -> None:
    for group in ("rules", "normative_documents"):
        label = "规章" if group == "rules" else "规范性文件"
        cells = table.get(group)
        if cells is None:
            findings.append(
                Finding("BLANK_CELL", "warning", f"表二“{label}”一行空白。", f"proactive.{group}")
            )
            continue
        _numbers(
            [cells.get(c) for c in ("made", "published", "total_published")],
            f"proactive.{group}",
            findings,
            f"表二 {label}",
        )
    for block, label in PROACTIVE_2019.items():
        cells = table.get(block) or {}
        where = f"proactive.{block}"
        # 本年增/减 may be negative: only blanks and fractions are wrong there.
        change = cells.get("change")
        if change is None:
            findings.append(
                Finding("BLANK_CELL", "warning", f"表二 {label}：有空白单元格。", where)
            )
        elif not _is_count(change):
            findings.append(
                Finding(
                    "NEGATIVE_VALUE",
                    "error",
                    f"表二 {label}：本年增/减 {change!r} 不是整数。",
                    where,
                )
            )
        others = [cells.get("previous_items")]
        if block != "fees":
            others.append(cells.get("decisions"))
        _numbers(others, where, findings, f"表二 {label}")
    procurement = table.get("procurement") or {}
    _numbers([procurement.get("items")], "proactive.procurement", findings, "表二 政府集中采购")
    _check_amount(
        procurement.get("amount"), "proactive.procurement.amount", "政府集中采购", findings
    )


def _check_proactive(table: dict, fmt: str, findings: list[Finding]) -> None:
    if fmt == "2019":
        _check_proactive_2019(table, findings)
        return
    if fmt != "2021":
        return
    for group in ("rules", "normative_documents"):
        cells = table.get(group)
        label = "规章" if group == "rules" else "行政规范性文件"
        if cells is None:
            findings.append(
                Finding("BLANK_CELL", "warning", f"表二“{label}”一行空白。", f"proactive.{group}")
            )
            continue
        _numbers(
            [cells.get(c) for c in ("issued", "repealed", "in_force")],
            f"proactive.{group}",
            findings,
            f"表二 {label}",
        )
    for key, label in (
        ("licensing_decisions", "行政许可"),
        ("penalty_decisions", "行政处罚"),
        ("coercion_decisions", "行政强制"),
    ):
        _numbers([table.get(key)], f"proactive.{key}", findings, f"表二 {label}")
    _check_amount(
        table.get("fees_amount_10k_yuan"),
        "proactive.fees_amount_10k_yuan",
        "行政事业性收费",
        findings,
    )


def check(
    report: dict,
    *,
    previous: dict | None = None,
    agency_kind: str = annual_report.DEPARTMENT,
    township_deadline: tuple[int, int] | None = None,
) -> list[Finding]:
    """Every finding of the report's figures. ``previous`` is last year's report of the same
    agency, for CARRYOVER_MISMATCH; ``agency_kind`` decides the publication deadline
    (``gongkai.law.annual_report``), with ``township_deadline`` the (month, day) configured for
    乡镇 and 街道 (none by default: the 条例 sets none)."""
    findings: list[Finding] = []
    fmt = report.get("format")
    year = report.get("year")
    if fmt is None:
        return findings  # a free-form report before 2019: no tables to check
    for key, label in (("proactive", "二"), ("applications", "三"), ("appeals", "四")):
        if report.get(key) is None:
            findings.append(Finding("MISSING_TABLE", "error", f"缺少表{label}（{key}）。", key))
    if isinstance(year, int) and annual_report.outdated(year, fmt):
        expected, used = annual_report.layout_for(year), annual_report.BY_FORMAT[fmt]
        findings.append(
            Finding(
                "OUTDATED_FORMAT",
                "error",
                f"{year} 年度报告应使用{expected.notice}的格式，而不是 {used.name}。",
                "format",
            )
        )
    if report.get("proactive") is not None:
        _check_proactive(report["proactive"], fmt, findings)
    if report.get("applications") is not None:
        _check_applications(report["applications"], fmt, findings)
    if report.get("appeals") is not None:
        _check_appeals(report["appeals"], findings)
    published = report.get("published_on")
    rule = annual_report.deadline_rule(agency_kind, township_deadline)
    known = isinstance(year, int) and dt.MINYEAR <= year < dt.MAXYEAR
    deadline = rule.on(year) if rule and known else None
    if published and deadline:
        try:
            day = dt.date.fromisoformat(published)
        except ValueError:
            day = None
        if day is not None and day > deadline:
            findings.append(
                Finding(
                    "LATE_PUBLICATION",
                    "warning",
                    f"{year} 年度报告应于 {deadline} 前公布（{rule.basis}），"
                    f"实际公布于 {published}。",
                    "published_on",
                )
            )
    if previous and previous.get("applications") and report.get("applications"):
        last = (previous["applications"].get("rows") or {}).get("carried_forward")
        now = (report["applications"].get("rows") or {}).get("carried_over")
        if last and now and list(last) != list(now):
            findings.append(
                Finding(
                    "CARRYOVER_MISMATCH",
                    "warning",
                    f"上年结转 {now} 与上一年度报告的结转下年度 {last} 不一致。",
                    "applications.carried_over",
                )
            )
    return findings
