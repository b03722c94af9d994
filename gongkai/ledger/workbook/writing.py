"""Writing a ledger: the blank template (说明 sheet, the four sheets with headers, date formats
and drop-down lists) or the template with the 申请 sheet filled."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO

from gongkai.law import applicants, outcomes
from gongkai.ledger.workbook.layout import (
    _APPLICANT_ALLOWED,
    APPEAL_KINDS,
    APPEAL_RESULTS,
    APPEALS,
    APPLICANT_LABELS,
    APPLICANT_TYPES,
    APPLICATIONS,
    DOCUMENT_KINDS,
    DOCUMENTS,
    INSTRUCTIONS,
    LAYOUT,
    LISTS,
    SHEETS,
    STATISTIC_ITEMS,
    STATISTICS,
    ApplicationRow,
)

_CODED = {
    (APPLICATIONS, "申请人类型"): [label for _k, label in APPLICANT_TYPES],
    (APPLICATIONS, "办理结果"): [o.label for o in outcomes.OUTCOMES],
    (APPEALS, "类型"): [label for _k, label in APPEAL_KINDS],
    (APPEALS, "结果"): [label for _k, label in APPEAL_RESULTS],
    (DOCUMENTS, "类型"): [label for _k, label in DOCUMENT_KINDS],
    (STATISTICS, "项目"): [label for _k, label in STATISTIC_ITEMS],
}
DATE_FORMAT = "yyyy-mm-dd"


def write_template(target: str | Path | IO[bytes]) -> None:
    """A blank ledger: the 说明 sheet, the four sheets with headers, date formats and
    drop-down lists, and the hidden list sheet the long drop-downs read from."""
    _write(target, [])


def write_applications(target: str | Path | IO[bytes], rows: Iterable[ApplicationRow]) -> None:
    """The template with the 申请 sheet filled (the export of the platform's applications).
    ``rows`` need ``number``, ``received_on``, ``applicant_type`` and ``outcome`` keys and
    ``replied_on``; their ``row`` is ignored."""
    _write(target, rows)


def _write(target, application_rows: Iterable[ApplicationRow]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def cell(ws, value, *, font=None, number_format=None, wrap=False):
        c = WriteOnlyCell(ws, value=value)
        if c.data_type == "f":  # text that looks like a formula stays text (no injection)
            c.data_type = "s"
        if font is not None:
            c.font = font
        if number_format:
            c.number_format = number_format
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        return c

    # 说明
    guide = workbook.create_sheet(INSTRUCTIONS)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["C"].width = 90
    for line in _instructions():
        if isinstance(line, str):
            guide.append([cell(guide, line, font=bold)] if line else [])
        else:
            guide.append([cell(guide, v, wrap=True) for v in line])

    outcome_labels = _CODED[(APPLICATIONS, "办理结果")]

    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet)
        columns = LAYOUT[sheet]
        for index, column in enumerate(columns, start=1):
            dimension = ws.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.date:
                dimension.number_format = DATE_FORMAT
        ws.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            choices = _CODED.get((sheet, column.name))
            if choices is None:
                continue
            letter = get_column_letter(index)
            if choices is outcome_labels:
                formula = f"'{LISTS}'!$A$1:$A${len(choices)}"
            else:
                formula = '"' + ",".join(choices) + '"'
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="无法识别的值",
                error=f"请从下拉列表中选择{column.name}。",
                promptTitle=column.name,
                prompt=_PROMPTS.get((sheet, column.name), "请从下拉列表中选择。"),
                showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}1048576")
            ws.data_validations.append(validation)
        ws.append([cell(ws, c.header, font=bold) for c in columns])
        if sheet == APPLICATIONS:
            for row in application_rows:
                ws.append(
                    [
                        cell(ws, row.number),
                        cell(ws, row.received_on, number_format=DATE_FORMAT),
                        cell(ws, APPLICANT_LABELS[row.applicant_type]),
                        cell(ws, outcomes.BY_KEY[row.outcome].label if row.outcome else None),
                        cell(ws, row.replied_on, number_format=DATE_FORMAT),
                    ]
                )
        elif sheet == STATISTICS:
            for _key, label in STATISTIC_ITEMS:
                ws.append([cell(ws, label), None])

    # The hidden list of the 21 outcome labels (too long for an inline drop-down list).
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    for label in outcome_labels:
        lists.append([label])
    workbook.save(target)


_PROMPTS = {
    (APPLICATIONS, "申请人类型"): "表三的申请人列："
    + "、".join(a.label for a in applicants.APPLICANTS)
    + "。",
    (APPLICATIONS, "办理结果"): "表三的办理结果（行名，不含序号）。尚未办结的不填。",
    (APPEALS, "类型"): "行政复议、直接起诉（未经复议直接起诉）或复议后起诉。",
    (APPEALS, "结果"): "维持、纠正或其他；尚未审结的不填。",
    (DOCUMENTS, "类型"): "规章或行政规范性文件。",
    (STATISTICS, "项目"): "行政许可、行政处罚、行政强制或行政事业性收费。",
}


def _instructions() -> list:
    """The rows of the 说明 sheet: a str is a heading, a list a row of cells."""
    lines: list = [
        "政府信息公开工作台账",
        [
            "用途",
            "",
            "本台账记录政府信息公开申请、行政复议和行政诉讼、规章和行政规范性文件等情况，"
            "可据此生成政府信息公开工作年度报告，也可导入 gongkai 平台。"
            "工作表可以调换顺序；表头后可加括号说明，如“收到日期（年-月-日）”；"
            "可以增加其他列（不读取）。日期请写成 2024-01-05，或设为 Excel 日期格式。",
        ],
        [
            "年度统计",
            "",
            "某年新收：该年收到的申请；上年结转：该年以前收到、该年以前尚未答复的申请；"
            "各办理结果：该年答复的申请；结转下年度：该年年底前收到、年底前尚未答复的申请。",
        ],
        "",
        "各工作表和各列",
        ["工作表", "列", "含义和可填的值"],
        [APPLICATIONS, "编号", "本机关对申请的编号，在表中不能重复（必填）。"],
        [APPLICATIONS, "收到日期", "收到申请之日（条例第三十一条）（必填）。"],
        [APPLICATIONS, "申请人类型", _APPLICANT_ALLOWED + "（必填）。"],
        [
            APPLICATIONS,
            "办理结果",
            "年度报告表三的办理结果（见下方列表，填行名，不含序号）；尚未办结的不填。"
            "“申请人无正当理由逾期不补正…”也可写作“逾期不补正”，"
            "“申请人逾期未按收费通知要求缴纳费用…”也可写作“逾期未缴费”。",
        ],
        [
            APPLICATIONS,
            "答复日期",
            "作出答复（或办结）之日；尚未办结的不填。有办理结果就必须有答复日期。",
        ],
        [APPEALS, "编号", "复议或诉讼案件的编号，在表中不能重复。"],
        [APPEALS, "类型", "行政复议、直接起诉（未经复议直接起诉）、复议后起诉。"],
        [APPEALS, "立案日期", "复议机关或法院立案之日。"],
        [APPEALS, "结果", "维持、纠正、其他；尚未审结的不填。"],
        [APPEALS, "结案日期", "作出复议决定或裁判之日；尚未审结的不填。"],
        [DOCUMENTS, "名称", "规章或行政规范性文件的名称。"],
        [DOCUMENTS, "类型", "规章、行政规范性文件。"],
        [DOCUMENTS, "印发日期", "制发之日。"],
        [DOCUMENTS, "废止日期", "废止之日；仍然有效的不填。"],
        [
            DOCUMENTS,
            "公开日期",
            "向社会公开之日（可以没有这一列）；不填的按印发日期计。"
            "只用于 2019、2020 年度（2019 格式）表二的“本年新公开数量”“对外公开总数量”。",
        ],
        [STATISTICS, "项目", "行政许可、行政处罚、行政强制、行政事业性收费（各填一行）。"],
        [
            STATISTICS,
            "数值",
            "本年处理决定数量（件）；行政事业性收费填本年收费金额（万元，可有小数）。"
            "不填表示未知，不会当作 0。",
        ],
        "",
        "办理结果可填的值（年度报告表三）",
        ["分类", "行名（填入“办理结果”列）", "代码"],
    ]
    for outcome in outcomes.OUTCOMES:
        label = outcome.label
        if outcome.table_label != outcome.label:
            label += f"（计入表三“{outcome.table_label}”）"
        lines.append([outcome.group, label, outcome.key])
    return lines
