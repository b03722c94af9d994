"""Drafts of the text of an annual report (政府信息公开工作年度报告) from its figures
(docs/annual-report-data.md): section 一 (总体情况) and section 六 (其他需要报告的事项).

Plain Python, no Django. A draft quotes only figures that are in the report's tables, exactly
as they are there; a blank cell (None) is never quoted, and anything the figures cannot say is
left as a placeholder in 【】 for the office to write or delete before publication.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongkai.law import annual_report, applicants
from gongkai.reports import figures as report_figures

SECTION_KEYS = [f"section{n}" for n in range(1, 7)]
TOTAL = applicants.TOTAL_INDEX  # the 总计 column of table 三

SECTION5_PLACEHOLDER = "【请填写：本年度政府信息公开工作存在的主要问题及改进情况。】"


def _sum(values: Iterable) -> int | None:
    total = 0
    for value in values:
        if report_figures.count(value) is None:
            return None
        total += value
    return total


def _total(report: dict | None, key: str) -> int | None:
    return report_figures.table_total(report, key)


def _agency(report: dict) -> str:
    return (report.get("agency") or "").strip() or "本机关"


def _year(report: dict) -> str:
    year = report.get("year")
    return f"{year}年" if isinstance(year, int) else "本年度"


# --- section 一 ---------------------------------------------------------------------------------


def _documents_sentence(proactive: dict, fmt: str | None) -> str:
    """规章 and (行政)规范性文件 of table 二 in words, or "" when the table has neither."""
    if fmt == "2019":
        labels = {"rules": "规章", "normative_documents": "规范性文件"}
        fields = [("made", "新制作"), ("published", "新公开")]
        fields.append(("total_published", "对外公开总数量"))
    else:
        labels = {"rules": "规章", "normative_documents": "行政规范性文件"}
        fields = [("issued", "制发"), ("repealed", "废止"), ("in_force", "现行有效")]
    groups = []
    for key, label in labels.items():
        cells = proactive.get(key)
        if not isinstance(cells, dict):
            continue
        values = [(verb, report_figures.count(cells.get(name))) for name, verb in fields]
        if all(v is None for _, v in values):
            continue
        groups.append((key, label, values))
    # Most agencies make no 规章: a line of zeros about them says nothing.
    if len(groups) == 2 and all(v == 0 for _, v in groups[0][2]):
        groups = groups[1:]
    clauses = []
    for _, label, values in groups:
        # 本年度制发行政规范性文件5件、废止1件，截至年底现行有效25件
        this_year = [(verb, v) for verb, v in values[:2] if v is not None]
        parts = []
        if this_year:
            parts.append(
                "本年度"
                + "、".join(
                    f"{verb}{label if i == 0 else ''}{v}件" for i, (verb, v) in enumerate(this_year)
                )
            )
        verb, end = values[2]
        if end is not None:
            parts.append(f"截至年底{verb}{'' if this_year else label}{end}件")
        clauses.append("，".join(parts))
    return "；".join(clauses) + "。" if clauses else ""


def _decisions_sentence(proactive: dict, fmt: str | None) -> str:
    if fmt == "2019":
        pairs = [
            ("行政许可", (proactive.get("licensing") or {}).get("decisions")),
            ("其他对外管理服务事项", (proactive.get("other_services") or {}).get("decisions")),
            ("行政处罚", (proactive.get("penalty") or {}).get("decisions")),
            ("行政强制", (proactive.get("coercion") or {}).get("decisions")),
        ]
    else:
        pairs = [
            ("行政许可", proactive.get("licensing_decisions")),
            ("行政处罚", proactive.get("penalty_decisions")),
            ("行政强制", proactive.get("coercion_decisions")),
        ]
    items = [
        f"{label}{report_figures.count(v)}件"
        for label, v in pairs
        if report_figures.count(v) is not None
    ]
    if not items:
        return ""
    return "本年度处理决定数量：" + "，".join(items) + "。"


def _proactive_paragraph(report: dict) -> str:
    fmt = report.get("format")
    proactive = report.get("proactive")
    text = ""
    if isinstance(proactive, dict):
        text = _documents_sentence(proactive, fmt) + _decisions_sentence(proactive, fmt)
    if not text:
        text = "【请填写：本年度主动公开政府信息的数量和主要内容。】"
    return (
        "（一）主动公开。"
        + text
        + "【请补充：本年度主动公开的重点领域信息、政策解读和回应关切等情况。】"
    )


def _change(now: int, before: int) -> str:
    if now > before:
        return f"，同比增加{now - before}件"
    if now < before:
        return f"，同比减少{before - now}件"
    return "，与上年持平"


def _applications_paragraph(report: dict, previous: dict | None) -> str:
    fmt = report.get("format")
    sentences = []
    received = _total(report, "received_new")
    carried = _total(report, "carried_over")
    first = []
    if received is not None:
        clause = f"本年度新收政府信息公开申请{received}件"
        before = _total(previous, "received_new") if previous else None
        if before is not None:
            clause += _change(received, before)
        first.append(clause)
    if carried is not None:
        first.append(f"上年结转政府信息公开申请{carried}件")
    if first:
        sentences.append("；".join(first) + "。")
    processed = _total(report, "total_processed")
    forward = _total(report, "carried_forward")
    second = []
    if processed is not None:
        clause = f"本年度办结{processed}件"
        if processed > 0:
            groups = []
            for label, keys in annual_report.groups(fmt):
                value = _sum(_total(report, k) for k in keys)
                if value:
                    groups.append(f"{label}{value}件")
            if groups:
                clause += "，其中" + "、".join(groups)
        second.append(clause)
    if forward is not None:
        second.append(f"结转下年度继续办理{forward}件")
    if second:
        sentences.append("；".join(second) + "。")
    appeals = report.get("appeals")
    if isinstance(appeals, dict):
        reconsideration = report_figures.count((appeals.get("reconsideration") or {}).get("total"))
        litigation = _sum(
            (appeals.get(group) or {}).get("total")
            for group in ("litigation_direct", "litigation_after_reconsideration")
        )
        if reconsideration == 0 and litigation == 0:
            sentences.append("本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。")
        else:
            items = []
            if reconsideration is not None:
                items.append(f"被申请行政复议{reconsideration}件")
            if litigation is not None:
                items.append(f"被提起行政诉讼{litigation}件")
            if items:
                sentences.append("本年度因政府信息公开工作" + "、".join(items) + "。")
    if not sentences:
        sentences.append("【请填写：本年度收到和处理政府信息公开申请的情况。】")
    return "（二）依申请公开。" + "".join(sentences)


def section1_draft(
    report: dict, *, fees_collected_yuan: int | None = None, previous: dict | None = None
) -> str:
    """总体情况: an opening paragraph, then 主动公开 and 依申请公开 with the figures of tables
    二, 三 and 四 (and last year's new applications when ``previous`` is given), then
    政府信息管理, 平台建设 and 监督保障 as placeholders in 【】. ``fees_collected_yuan`` is
    accepted for symmetry with ``section6_draft``; fees are reported in section 六."""
    del fees_collected_yuan
    agency, year = _agency(report), _year(report)
    opening = (
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条和"
        "《中华人民共和国政府信息公开工作年度报告格式》的要求，"
        f"由{agency}编制，报告{year}政府信息公开工作情况。"
        "报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
        "其他需要报告的事项六个部分组成。"
    )
    if isinstance(report.get("year"), int):
        opening += f"报告中所列数据的统计期限为{year}1月1日至12月31日。"
    paragraphs = [
        opening,
        _proactive_paragraph(report),
        _applications_paragraph(report, previous),
        "（三）政府信息管理。【请填写：本年度政府信息公开保密审查、"
        "政府信息管理和动态更新等情况。】",
        "（四）平台建设。【请填写：本年度政府网站、政务新媒体等政府信息公开平台的建设和"
        "维护情况。】",
        "（五）监督保障。【请填写：本年度政府信息公开工作的组织领导、培训、考核、"
        "社会评议和责任追究等情况。】",
    ]
    return "\n".join(paragraphs)


# --- section 六 ---------------------------------------------------------------------------------


def section6_draft(report: dict, *, fees_collected_yuan: int | None = None) -> str:
    """其他需要报告的事项. From 2021 (format 2021) this reports the 信息处理费 collected under
    国办函〔2020〕109号: none, an amount, or, when the amount is unknown (None), a placeholder
    — never a claim of zero. The 2019 format (years before the fees) says nothing of fees."""
    if report.get("format") == "2019":
        return "本年度无其他需要报告的事项。"
    if fees_collected_yuan is None:
        fees = (
            "【请填写：本年度依据《政府信息公开信息处理费管理办法》收取信息处理费的情况；"
            "未收取的，写“本年度未收取信息处理费。”】"
        )
    elif fees_collected_yuan == 0:
        fees = "本年度未收取信息处理费。"
    else:
        fees = (
            "依据《政府信息公开信息处理费管理办法》，"
            f"本年度共收取信息处理费{fees_collected_yuan}元。"
        )
    return fees + "\n【如有其他需要报告的事项，请在此补充；没有的，删除本段。】"


def default_sections(
    report: dict, *, fees_collected_yuan: int | None = None, previous: dict | None = None
) -> dict[str, str]:
    """The text of sections 一 … 六 of a new report: drafts of 一 and 六, nothing for 二, 三 and
    四 (their tables say it), and a placeholder for 五, which only the office can write."""
    return {
        "section1": section1_draft(
            report, fees_collected_yuan=fees_collected_yuan, previous=previous
        ),
        "section2": "",
        "section3": "",
        "section4": "",
        "section5": SECTION5_PLACEHOLDER,
        "section6": section6_draft(report, fees_collected_yuan=fees_collected_yuan),
    }


PLACEHOLDER = re.compile(r"【(?:请|如有)[^】]*】")


def placeholders(sections: dict[str, str]) -> list[str]:
    """The sections that still hold a 【请填写…】 passage of the drafts."""
    return [name for name, text in sections.items() if text and PLACEHOLDER.search(text)]
