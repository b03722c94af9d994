"""Every finding code a check of an annual report can give (docs/annual-report-data.md), with
its short Chinese name, and the one set of severity labels. ``checks.Finding`` refuses a code or
a severity that is not here; the checker's summaries, the office's pages and the command line
read their names from here."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class FindingCode:
    code: str
    label: str  # a few words, for the charts and tables of the summaries


_ALL = [
    FindingCode("BALANCE_MISMATCH", "表三勾稽关系不平"),
    FindingCode("TOTAL_MISMATCH", "表三总计与各类之和不符"),
    FindingCode("OUTCOME_SUM_MISMATCH", "表三办理结果之和与总计不符"),
    FindingCode("APPEAL_SUM_MISMATCH", "表四总计与各项之和不符"),
    FindingCode("NEGATIVE_VALUE", "数值为负数或非整数"),
    FindingCode("MISSING_TABLE", "缺少统计表"),
    FindingCode("MISSING_SECTION", "缺少报告章节"),
    FindingCode("OUTDATED_FORMAT", "使用了旧版表格格式"),
    FindingCode("BLANK_CELL", "表格有空白单元格"),
    FindingCode("CARRYOVER_MISMATCH", "上年结转与上年报告不符"),
    FindingCode("LATE_PUBLICATION", "晚于法定时间发布"),
    FindingCode("UNREADABLE", "无法读取"),
    FindingCode("VALUE_READ_AS", "带单位的数值已换算"),
    FindingCode("NEAR_LABEL", "表格标签与统一格式相近"),
    FindingCode("RECONSTRUCTED", "连在一起的数字已拆分"),
    FindingCode("UNCERTAIN", "无法确定的单元格"),
]

CODES: dict[str, FindingCode] = {c.code: c for c in _ALL}
CODE_LABELS: dict[str, str] = {c.code: c.label for c in _ALL}


def check(code: str, severity: str) -> None:
    """A programming error (ValueError) when ``code`` or ``severity`` is not registered here."""
    if code not in CODES:
        raise ValueError(f"{code!r} is not a finding code of gongkai.reports.finding_codes")
    if severity not in SEVERITY_LABELS:
        raise ValueError(f"{severity!r} is not a severity of gongkai.reports.finding_codes")
