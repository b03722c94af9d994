"""The Excel ledger (docs/ledger.md): reading and checking real workbooks, counting a year, the
template, the command line, the import into the platform and the export."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import Application, Channel, Status
from gongkai.cli import main as gongkai_main
from gongkai.history.models import Event
from gongkai.jobs import inprocess
from gongkai.law import outcomes
from gongkai.ledger import importer, views, workbook
from gongkai.ledger.cli import ledger_main
from gongkai.ledger.workbook import LedgerError, reading

D = dt.date
HEADERS = ["编号", "收到日期", "申请人类型", "办理结果", "答复日期"]

# A ledger whose year 2024 is counted by hand in test_count_applications_by_hand.
GOOD_ROWS = [
    ["A1", D(2023, 11, 20), "自然人", "予以公开", D(2024, 1, 10)],
    ["A2", D(2023, 12, 28), "商业企业", None, None],
    ["A3", D(2023, 5, 1), "自然人", "重复申请", D(2023, 5, 20)],
    ["A4", "2024/1/5", "自然人", "部分公开", "2024年2月1日"],
    ["A5", dt.datetime(2024, 3, 15, 10, 30), "法律服务机构", "本机关不掌握相关政府信息", 20240410],
    ["A6", D(2024, 12, 20), "自然人", "予以公开", D(2025, 1, 8)],
    ["A7", "2024-06-01", "其他", "逾期不补正", "2024.7.30"],
    ["A8", D(2025, 1, 3), "自然人", None, None],
    ["A9", D(2024, 8, 8), "科研机构", "other_unpaid_fee", D(2024, 9, 30)],
    [10, D(2024, 9, 9), "自然人", "", None],
]
EXPECTED = {  # (编号, received, applicant, outcome, replied) as read
    "A1": (D(2023, 11, 20), "natural_person", "granted", D(2024, 1, 10)),
    "A2": (D(2023, 12, 28), "commercial", None, None),
    "A3": (D(2023, 5, 1), "natural_person", "declined_repeated", D(2023, 5, 20)),
    "A4": (D(2024, 1, 5), "natural_person", "partially_granted", D(2024, 2, 1)),
    "A5": (D(2024, 3, 15), "legal_services", "unable_not_held", D(2024, 4, 10)),
    "A6": (D(2024, 12, 20), "natural_person", "granted", D(2025, 1, 8)),
    "A7": (D(2024, 6, 1), "other", "other_no_correction", D(2024, 7, 30)),
    "A8": (D(2025, 1, 3), "natural_person", None, None),
    "A9": (D(2024, 8, 8), "research", "other_unpaid_fee", D(2024, 9, 30)),
    "10": (D(2024, 9, 9), "natural_person", None, None),
}

APPEAL_ROWS = [
    ["编号", "类型", "立案日期", "结果", "结案日期"],
    ["R1", "行政复议", D(2024, 2, 1), "维持", D(2024, 4, 1)],
    ["R2", "直接起诉", D(2024, 11, 1), "纠正", D(2025, 2, 1)],  # concluded after 2024
    ["R3", "复议后起诉", D(2024, 5, 5), None, None],
    ["R4", "行政复议", D(2023, 12, 1), "纠正", D(2024, 1, 20)],  # filed in 2023
    ["R5", "未经复议直接起诉", D(2024, 3, 3), "其他", D(2024, 6, 6)],
]
DOCUMENT_ROWS = [
    ["名称", "类型", "印发日期", "废止日期"],
    ["某某管理办法", "规章", D(2024, 3, 1), None],
    ["关于甲的通知", "行政规范性文件", D(2020, 1, 1), D(2024, 5, 1)],
    ["关于乙的通知", "行政规范性文件", D(2022, 6, 1), None],
    ["关于丙的通知", "行政规范性文件", D(2024, 7, 7), None],
    ["关于丁的通知", "行政规范性文件", D(2025, 1, 10), None],
]
STATISTIC_ROWS = [
    ["项目", "数值"],
    ["行政许可", 120],
    ["行政处罚", "35"],
    ["行政强制", 0],
    ["行政事业性收费", 12.5],
]


def make_workbook(path, sheets: dict[str, list[list]]):
    """A real .xlsx file with these sheets (in this order) and rows."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def good_ledger(path):
    return make_workbook(
        path,
        {
            "申请": [HEADERS, *GOOD_ROWS],
            "复议诉讼": APPEAL_ROWS,
            "文件": DOCUMENT_ROWS,
            "其他统计": STATISTIC_ROWS,
        },
    )


def as_tuples(ledger):
    return {
        r.number: (r.received_on, r.applicant_type, r.outcome, r.replied_on)
        for r in ledger.applications
    }


# --- reading ----------------------------------------------------------------------------


def test_a_good_ledger_reads_every_row_typed(tmp_path):
    ledger = workbook.read(good_ledger(tmp_path / "good.xlsx"))
    assert ledger.problems == []
    assert ledger.notes == []
    assert as_tuples(ledger) == EXPECTED
    assert [r.row for r in ledger.applications] == list(range(2, 12))
    assert ledger.sheets == {"申请": 10, "复议诉讼": 5, "文件": 5, "其他统计": 4}
    assert {r.item: r.value for r in ledger.statistics} == {
        "licensing_decisions": 120,
        "penalty_decisions": 35,
        "coercion_decisions": 0,
        "fees_amount_10k_yuan": Decimal("12.5"),
    }


def test_count_applications_by_hand(tmp_path):
    ledger = workbook.read(good_ledger(tmp_path / "good.xlsx"))
    table = workbook.count_applications(ledger, 2024)
    assert table["columns"] == [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_services",
        "other",
        "total",
    ]
    rows = table["rows"]
    keys = list(rows)
    assert keys[:2] == ["received_new", "carried_over"]
    assert keys[-2:] == ["total_processed", "carried_forward"]
    assert len(keys) == 25
    # Worked out from GOOD_ROWS: new A4 A6 A10 (自然人), A9 (科研), A5 (法律), A7 (其他);
    # carried over A1 (自然人, replied 2024) and A2 (商业, still open); A3 ends in 2023.
    assert rows["received_new"] == [3, 0, 1, 0, 1, 1, 6]
    assert rows["carried_over"] == [1, 1, 0, 0, 0, 0, 2]
    assert rows["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["partially_granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows["unable_not_held"] == [0, 0, 0, 0, 1, 0, 1]
    assert rows["other_no_correction"] == [0, 0, 0, 0, 0, 1, 1]
    assert rows["other_unpaid_fee"] == [0, 0, 1, 0, 0, 0, 1]
    assert rows["declined_repeated"] == [0] * 7
    assert rows["total_processed"] == [2, 0, 1, 0, 1, 1, 5]
    assert rows["carried_forward"] == [2, 1, 0, 0, 0, 0, 3]  # A6 A10, A2
    outcome_keys = keys[2:-2]
    for year in (2023, 2024, 2025):
        rows = workbook.count_applications(ledger, year)["rows"]
        for column in range(7):
            assert (
                rows["received_new"][column] + rows["carried_over"][column]
                == rows["total_processed"][column] + rows["carried_forward"][column]
            ), (year, column)
            assert rows["total_processed"][column] == sum(rows[k][column] for k in outcome_keys)
        for values in rows.values():
            assert values[6] == sum(values[:6])
    rows_2023 = workbook.count_applications(ledger, 2023)["rows"]
    assert rows_2023["declined_repeated"] == [1, 0, 0, 0, 0, 0, 1]
    assert rows_2023["carried_forward"] == [1, 1, 0, 0, 0, 0, 2]
    rows_2025 = workbook.count_applications(ledger, 2025)["rows"]
    assert rows_2025["carried_over"] == rows["carried_forward"] == [2, 1, 0, 0, 0, 0, 3]


def test_count_appeals_and_proactive(tmp_path):
    ledger = workbook.read(good_ledger(tmp_path / "good.xlsx"))
    assert workbook.count_appeals(ledger, 2024) == {
        "reconsideration": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
        "litigation_after_reconsideration": {
            "upheld": 0,
            "corrected": 0,
            "other": 0,
            "pending": 1,
            "total": 1,
        },
    }
    assert workbook.count_proactive(ledger, 2024) == {
        "rules": {"issued": 1, "repealed": 0, "in_force": 1},
        "normative_documents": {"issued": 1, "repealed": 1, "in_force": 2},
        "licensing_decisions": 120,
        "penalty_decisions": 35,
        "coercion_decisions": 0,
        "fees_amount_10k_yuan": "12.5",
    }


def test_bracketed_headers_extra_columns_title_row_and_any_sheet_order(tmp_path):
    path = make_workbook(
        tmp_path / "odd.xlsx",
        {
            "Sheet1": [["随便什么"]],
            " 文件 ": DOCUMENT_ROWS,
            "其他统计": STATISTIC_ROWS,
            "申请（2024年）": [
                ["某县民政局政府信息公开申请台账"],
                [],
                [
                    "备注",
                    " 编 号 ",
                    "收到日期（年-月-日）",
                    "申请人类型(必填)",
                    "办理结果（表三）",
                    "答复日期（年-月-日）",
                ],
                ["第一件", "B1", D(2024, 1, 2), "自然人", "予以公开", D(2024, 1, 20)],
                ["", "B2", D(2024, 2, 2), "商业企业", None, None],
            ],
        },
    )
    ledger = workbook.read(path)
    assert ledger.problems == []
    assert [n.sheet for n in ledger.notes] == ["复议诉讼"]
    assert "没有工作表“复议诉讼”" in ledger.notes[0].message
    assert as_tuples(ledger) == {
        "B1": (D(2024, 1, 2), "natural_person", "granted", D(2024, 1, 20)),
        "B2": (D(2024, 2, 2), "commercial", None, None),
    }
    assert [r.row for r in ledger.applications] == [4, 5]
    assert len(ledger.documents) == 5
    assert workbook.count_appeals(ledger, 2024) is None  # unknown, not zero


BAD_ROWS = [
    HEADERS,
    ["C1", D(2024, 1, 2), "自然人", "予以公开", D(2024, 1, 20)],  # row 2: good
    ["C2", D(2024, 2, 1), "自然人", "予以公开", D(2024, 1, 3)],  # 3: reply before receipt
    ["C3", D(2024, 2, 1), "个人", "予以公开", D(2024, 2, 3)],  # 4: unknown applicant type
    ["C4", D(2024, 2, 1), "自然人", "同意公开", D(2024, 2, 3)],  # 5: unknown outcome
    ["C5", "下周一", "自然人", None, None],  # 6: not a date
    ["C6", D(2024, 2, 1), "自然人", "部分公开", None],  # 7: outcome without reply date
    ["C7", D(2024, 2, 1), "自然人", None, D(2024, 2, 9)],  # 8: reply date without outcome
    [None, None, None, None, None],  # 9: blank, skipped
    ["C8", D(2024, 3, 1), "自然人", None, None],  # 10: duplicate of row 11
    ["C8", D(2024, 3, 2), "商业企业", None, None],  # 11
    ["C9", "2024-02-30", "自然人", None, None],  # 12: no such day
    [None, D(2024, 3, 1), "自然人", None, None],  # 13: no number
    ["C10", D(2024, 4, 1), "社会公益组织", None, None],  # 14: good
    ["C9", D(2024, 4, 2), "自然人", None, None],  # 15: same number as the bad row 12
]

BAD_ROW_NUMBERS = [3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15]


def bad_ledger(path):
    return make_workbook(
        path,
        {
            "申请": BAD_ROWS,
            "复议诉讼": [APPEAL_ROWS[0], ["R9", "信访", D(2024, 1, 1), None, None]],
            "文件": [DOCUMENT_ROWS[0], ["某办法", "规章", D(2024, 5, 1), D(2024, 4, 1)]],
            "其他统计": [STATISTIC_ROWS[0], ["行政许可", 1.5], ["行政处罚", -1]],
        },
    )


def test_every_bad_row_is_reported_with_sheet_row_and_column(tmp_path):
    ledger = workbook.read(bad_ledger(tmp_path / "bad.xlsx"))
    found = [(p.sheet, p.row, p.column) for p in ledger.problems]
    assert found == [
        ("申请", 3, "答复日期"),
        ("申请", 4, "申请人类型"),
        ("申请", 5, "办理结果"),
        ("申请", 6, "收到日期"),
        ("申请", 7, "答复日期"),
        ("申请", 8, "办理结果"),
        ("申请", 10, "编号"),
        ("申请", 11, "编号"),
        ("申请", 12, "收到日期"),
        ("申请", 12, "编号"),
        ("申请", 13, "编号"),
        ("申请", 15, "编号"),
        ("复议诉讼", 2, "类型"),
        ("文件", 2, "废止日期"),
        ("其他统计", 2, "数值"),
        ("其他统计", 3, "数值"),
    ]
    text = [str(p) for p in ledger.problems]
    assert text[0] == "申请 第 3 行：答复日期 2024-01-03 早于收到日期 2024-02-01。"
    assert "申请人类型“个人”无法识别" in text[1] and "社会公益组织" in text[1]
    assert "办理结果“同意公开”无法识别" in text[2]
    assert "收到日期“下周一”不是日期" in text[3]
    assert text[4] == "申请 第 7 行：填写了办理结果，但答复日期为空。"
    assert text[5] == "申请 第 8 行：填写了答复日期 2024-02-09，但办理结果为空。"
    assert text[6] == "申请 第 10 行：编号“C8”重复出现（第 10、11 行）。"
    assert "没有这一天" in text[8]
    # A number shared with a bad row is a duplicate too: skipping row 12 would hide it.
    assert text[9] == "申请 第 12 行：编号“C9”重复出现（第 12、15 行）。"
    assert text[10] == "申请 第 13 行：编号为空。"
    assert "应为整数" in text[14] and "小于零" in text[15]
    assert all(p.severity == "error" for p in ledger.problems)
    # Only the good rows are kept; the blank row is not counted as a row.
    assert [r.number for r in ledger.applications] == ["C1", "C10"]
    assert ledger.sheets["申请"] == 13
    assert ledger.bad_rows("申请") == BAD_ROW_NUMBERS


def test_a_ledger_with_bad_rows_is_counted_only_when_asked_to_skip_them(tmp_path):
    ledger = workbook.read(bad_ledger(tmp_path / "bad.xlsx"))
    with pytest.raises(LedgerError, match="台账有问题，不能统计（共 12 处，第一处：申请 第 3 行"):
        workbook.count_applications(ledger, 2024)
    rows = workbook.count_applications(ledger, 2024, skip_bad_rows=True)["rows"]
    assert rows["received_new"] == [1, 0, 0, 1, 0, 0, 2]
    assert rows["granted"] == [1, 0, 0, 0, 0, 0, 1]


def test_missing_sheet_and_missing_column(tmp_path):
    ledger = workbook.read(make_workbook(tmp_path / "a.xlsx", {"台账": [HEADERS]}))
    assert [(p.sheet, p.row) for p in ledger.problems] == [("申请", None)]
    assert "缺少工作表“申请”（本文件中的工作表：台账）" in ledger.problems[0].message
    assert {n.sheet for n in ledger.notes} == {"复议诉讼", "文件", "其他统计"}
    with pytest.raises(LedgerError):
        workbook.count_applications(ledger, 2024, skip_bad_rows=True)

    ledger = workbook.read(
        make_workbook(tmp_path / "b.xlsx", {"申请": [HEADERS[:3], ["X", D(2024, 1, 1), "自然人"]]})
    )
    assert len(ledger.problems) == 1
    assert str(ledger.problems[0]) == "申请：表头（第 1 行）缺少“办理结果”、“答复日期”列。"
    assert ledger.applications == []

    ledger = workbook.read(make_workbook(tmp_path / "c.xlsx", {"申请": [["甲", "乙"], [1, 2]]}))
    assert "找不到表头" in ledger.problems[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,date\nA1,2024-01-01\n", "不是 Excel 工作簿"),
        (b"PK\x03\x04 this is not really a zip file", "无法作为 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel 97-2003"),
        (b"", "空文件"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_a_ledger_error(tmp_path, content, message):
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(content)
    with pytest.raises(LedgerError, match=message):
        workbook.read(path)
    with pytest.raises(LedgerError, match=message):
        workbook.read(io.BytesIO(content))


def test_a_zip_that_is_not_a_workbook_and_a_missing_file(tmp_path):
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(LedgerError, match="无法作为 Excel 工作簿"):
        workbook.read(path)
    with pytest.raises(LedgerError, match="找不到文件"):
        workbook.read(tmp_path / "nowhere.xlsx")


def test_a_workbook_is_read_whatever_its_file_name(tmp_path):
    path = good_ledger(tmp_path / "good.xlsx")
    renamed = path.rename(tmp_path / "台账备份.dat")
    assert as_tuples(workbook.read(renamed)) == EXPECTED
    with renamed.open("rb") as handle:
        assert workbook.read(handle).source.endswith("台账备份.dat")


def test_a_duplicated_header_is_a_problem_of_the_sheet(tmp_path):
    rows = [[*HEADERS, "编号"], ["X", D(2024, 1, 1), "自然人", None, None, "Y"]]
    ledger = workbook.read(make_workbook(tmp_path / "d.xlsx", {"申请": rows}))
    assert [(p.sheet, p.row, p.column) for p in ledger.problems] == [("申请", None, "编号")]
    assert "A 列和 F 列" in ledger.problems[0].message
    assert ledger.applications == []


def test_a_huge_sheet_stops_with_a_problem(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 5)
    rows = [HEADERS] + [[f"N{i}", D(2024, 1, 1), "自然人", None, None] for i in range(10)]
    ledger = workbook.read(make_workbook(tmp_path / "big.xlsx", {"申请": rows}))
    assert len(ledger.problems) == 1
    assert ledger.problems[0].row is None
    assert "数据超过 5 行" in ledger.problems[0].message
    with pytest.raises(LedgerError):
        workbook.count_applications(ledger, 2024, skip_bad_rows=True)


def test_parse_date_accepts_the_usual_spellings():
    for value in [
        "2024-01-05",
        "2024/1/5",
        "2024.1.5",
        "2024年1月5日",
        "20240105",
        20240105,
        " 2024-01-05 00:00:00 ",
        dt.datetime(2024, 1, 5, 8, 0),
        D(2024, 1, 5),
    ]:
        assert workbook.parse_date(value) == (D(2024, 1, 5), ""), value
    for value in ["2024-13-01", "1/5/2024", "明天", 45296, 3.5, dt.time(8), "1899-12-31"]:
        day, why = workbook.parse_date(value)
        assert day is None and why, value


# --- the template -------------------------------------------------------------------------


def test_template_round_trip(tmp_path):
    path = tmp_path / "template.xlsx"
    workbook.write_template(path)
    ledger = workbook.read(path)
    assert ledger.problems == [] and ledger.notes == []
    assert ledger.applications == ledger.appeals == ledger.documents == ledger.statistics == []
    assert ledger.sheets == {"申请": 0, "复议诉讼": 0, "文件": 0, "其他统计": 0}

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "说明"
    assert set(workbook.SHEETS) <= set(wb.sheetnames)
    guide = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "申请人类型" in guide and "逾期不补正" in guide and "本机关不掌握相关政府信息" in guide

    sheet = wb["申请"]
    assert [c.value for c in sheet[1]] == [
        "编号",
        "收到日期（年-月-日）",
        "申请人类型",
        "办理结果（办结后填写）",
        "答复日期（年-月-日）",
    ]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["B"].number_format == "yyyy-mm-dd"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert set(validations) == {"C2:C1048576", "D2:D1048576"}
    assert validations["C2:C1048576"].type == "list"
    assert "社会公益组织" in validations["C2:C1048576"].formula1
    # The outcome labels come from the hidden list sheet (both answers of 第三十六条第（四）
    # and （五）项, which table 三 counts in one row).
    lists = wb[workbook.LISTS]
    assert lists.sheet_state == "hidden"
    assert validations["D2:D1048576"].formula1 == f"'选项'!$A$1:$A${len(outcomes.OUTCOMES)}"
    labels = [lists.cell(row=i, column=1).value for i in range(1, len(outcomes.OUTCOMES) + 1)]
    assert labels[0] == "予以公开" and labels[-1] == "其他"
    assert "该政府信息不存在" in labels and "不属于本机关负责公开" in labels
    assert "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in labels

    def lists_of(name):
        return [v.formula1 for v in wb[name].data_validations.dataValidation]

    assert lists_of("复议诉讼") == ['"行政复议,直接起诉,复议后起诉"', '"维持,纠正,其他"']
    assert lists_of("文件") == ['"规章,行政规范性文件"']
    assert lists_of("其他统计") == ['"行政许可,行政处罚,行政强制,行政事业性收费"']


def test_a_filled_template_counts_only_the_figures_given(tmp_path):
    path = tmp_path / "template.xlsx"
    workbook.write_template(path)
    wb = openpyxl.load_workbook(path)
    wb["其他统计"]["B2"] = 7  # 行政许可; the other three left blank
    wb["申请"].append(
        [
            "T1",
            D(2024, 3, 1),
            "自然人",
            "申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",
            D(2024, 5, 1),
        ]
    )
    wb.save(path)
    ledger = workbook.read(path)
    assert ledger.problems == []
    assert ledger.applications[0].outcome == "other_unpaid_fee"
    proactive = workbook.count_proactive(ledger, 2024)
    assert proactive["licensing_decisions"] == 7
    assert proactive["penalty_decisions"] is None  # blank is unknown, never zero

    wb["其他统计"].append(["行政许可", 8])
    wb.save(path)
    ledger = workbook.read(path)
    assert [(p.sheet, p.row) for p in ledger.problems] == [("其他统计", 2), ("其他统计", 6)]
    assert "项目“行政许可”重复出现（第 2、6 行）" in ledger.problems[0].message


# --- the command line -------------------------------------------------------------------


def run(capsys, *argv):
    status = ledger_main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_template_and_check(tmp_path, capsys):
    path = tmp_path / "模板.xlsx"
    assert run(capsys, "template", str(path))[0] == 0
    assert path.exists()
    status, _out, err = run(capsys, "template", str(path))
    assert status == 2 and "已存在" in err
    assert run(capsys, "template", str(path), "--force")[0] == 0
    status, out, _ = run(capsys, "check", str(path))
    assert status == 0 and "未发现问题" in out


def test_cli_check_exit_codes_and_output(tmp_path, capsys):
    status, out, _ = run(capsys, "check", str(bad_ledger(tmp_path / "bad.xlsx")))
    assert status == 1
    assert "发现 16 处问题" in out
    assert "申请 第 3 行【答复日期】：答复日期 2024-01-03 早于收到日期 2024-02-01。" in out

    status, out, _ = run(capsys, "check", str(tmp_path / "bad.xlsx"), "--year", "2024")
    assert status == 1 and "未统计 2024 年度" in out
    status, out, _ = run(
        capsys, "check", str(tmp_path / "bad.xlsx"), "--year", "2024", "--skip-bad-rows"
    )
    assert status == 1 and "已跳过" in out

    text = tmp_path / "notes.xlsx"
    text.write_text("这不是表格", encoding="utf-8")
    status, out, err = run(capsys, "check", str(text))
    assert status == 2 and "不是 Excel 工作簿" in err and "Traceback" not in err + out

    status, _out, err = run(capsys, "check", str(text), "--year", "24")
    assert status == 2 and "四位数的年份" in err


def test_cli_check_year_json_and_text(tmp_path, capsys):
    path = str(good_ledger(tmp_path / "good.xlsx"))
    status, out, _ = run(capsys, "check", path, "--year", "2024", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["problems"] == []
    assert data["applications"]["rows"]["received_new"] == [3, 0, 1, 0, 1, 1, 6]
    assert data["appeals"]["reconsideration"]["upheld"] == 1
    assert data["proactive"]["fees_amount_10k_yuan"] == "12.5"

    status, out, _ = run(capsys, "check", path, "--year", "2024")
    assert status == 0
    line = next(x for x in out.splitlines() if x.startswith("本年新收"))
    assert line.split()[1:] == ["3", "0", "1", "0", "1", "1", "6"]

    status, out, _ = run(capsys, "check", str(bad_ledger(tmp_path / "bad.xlsx")), "--json")
    assert status == 1
    assert json.loads(out)["problems"][0] == {
        "sheet": "申请",
        "row": 3,
        "column": "答复日期",
        "message": "答复日期 2024-01-03 早于收到日期 2024-02-01。",
        "severity": "error",
    }


def test_the_gongkai_command_runs_ledger_without_django(tmp_path, capsys):
    path = tmp_path / "t.xlsx"
    assert gongkai_main(["ledger", "template", str(path)]) == 0
    assert gongkai_main(["ledger", "check", str(path)]) == 0
    capsys.readouterr()
    code = (
        "import sys; import gongkai.ledger.cli, gongkai.ledger.workbook; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- import and export --------------------------------------------------------------------


def test_import_creates_applications(county, tmp_path):
    ledger = workbook.read(good_ledger(tmp_path / "good.xlsx"))
    result = importer.import_ledger(county.clerk, county.civil, ledger)
    assert result.written and result.problems == [] and result.skipped == []
    assert sorted(result.created) == sorted(EXPECTED)
    apps = {a.ledger_number: a for a in Application.objects.filter(agency=county.civil)}
    assert set(apps) == set(EXPECTED)
    for number, (received, applicant, outcome, replied) in EXPECTED.items():
        app = apps[number]
        assert app.imported
        assert (app.received_on, app.applicant_type, app.replied_on) == (
            received,
            applicant,
            replied,
        )
        assert app.outcome == (outcome or "")
        assert app.status == (Status.REPLIED if outcome else Status.IN_PROGRESS)
        assert app.tracking_number.startswith(f"{received.year}-{county.civil.pk:04d}-")
        assert app.channel == Channel.IN_PERSON
        assert app.name == "（台账导入）"
        assert number in app.description
        assert app.created_by == county.clerk
    assert apps["A1"].decided_on == D(2024, 1, 10)
    assert apps["A2"].decided_on is None
    assert apps["A2"].reply_due is not None or apps["A2"].clock_error
    assert apps["A1"].submitted_at.hour == 1  # 09:00 in Beijing is 01:00 UTC
    events = Event.objects.filter(action="ledger.import", agency=county.civil)
    assert events.count() == 1
    assert "新建 10 件" in events.get().summary
    assert events.get().after["created"] == 10


def test_reimport_is_idempotent(county, tmp_path):
    path = good_ledger(tmp_path / "good.xlsx")
    importer.import_ledger(county.clerk, county.civil, workbook.read(path))
    numbers = set(Application.objects.values_list("tracking_number", flat=True))
    again = importer.import_ledger(county.head, county.civil, workbook.read(path))
    assert again.written and again.created == []
    assert sorted(again.unchanged) == sorted(EXPECTED)
    assert set(Application.objects.values_list("tracking_number", flat=True)) == numbers
    assert Event.objects.filter(action="ledger.import").count() == 2
    # The same numbers in another agency are other applications.
    importer.import_ledger(county.other_clerk, county.finance, workbook.read(path))
    assert Application.objects.filter(agency=county.finance).count() == 10


def test_a_ledger_with_problems_writes_nothing(county, tmp_path):
    ledger = workbook.read(bad_ledger(tmp_path / "bad.xlsx"))
    result = importer.import_ledger(county.clerk, county.civil, ledger)
    assert not result.written
    assert result.problems == ledger.problems
    assert Application.objects.count() == 0
    assert not Event.objects.filter(action="ledger.import").exists()


def test_skip_mode_imports_only_the_good_rows(county, tmp_path):
    ledger = workbook.read(bad_ledger(tmp_path / "bad.xlsx"))
    result = importer.import_ledger(county.clerk, county.civil, ledger, skip_bad_rows=True)
    assert result.written
    assert result.created == ["C1", "C10"]
    assert result.skipped_rows == BAD_ROW_NUMBERS
    assert set(Application.objects.values_list("ledger_number", flat=True)) == {"C1", "C10"}
    assert Event.objects.get(action="ledger.import").after["skipped_rows"] == result.skipped_rows


def test_a_changed_row_is_a_conflict_and_never_overwrites(county, tmp_path):
    importer.import_ledger(
        county.clerk, county.civil, workbook.read(good_ledger(tmp_path / "a.xlsx"))
    )
    changed = [list(r) for r in GOOD_ROWS]
    changed[1] = ["A2", D(2023, 12, 28), "商业企业", "予以公开", D(2024, 1, 15)]  # now replied
    changed.append(["A11", D(2024, 10, 1), "自然人", None, None])
    ledger = workbook.read(make_workbook(tmp_path / "b.xlsx", {"申请": [HEADERS, *changed]}))
    assert ledger.problems == []

    result = importer.import_ledger(county.clerk, county.civil, ledger)
    assert not result.written
    assert [(p.row, p.column) for p in result.problems] == [(3, "编号")]
    assert "编号 A2 已在平台中" in result.problems[0].message
    assert "尚未办结" in result.problems[0].message
    assert not Application.objects.filter(ledger_number="A11").exists()

    result = importer.import_ledger(county.clerk, county.civil, ledger, skip_bad_rows=True)
    assert result.created == ["A11"] and result.skipped_rows == [3]
    assert Application.objects.get(ledger_number="A2").status == Status.IN_PROGRESS


def test_dates_in_the_future_are_refused(county, tmp_path):
    tomorrow = services.today() + dt.timedelta(days=1)
    path = make_workbook(
        tmp_path / "f.xlsx", {"申请": [HEADERS, ["F1", tomorrow, "自然人", None, None]]}
    )
    result = importer.import_ledger(county.clerk, county.civil, workbook.read(path))
    assert not result.written and "晚于今天" in result.problems[0].message


@pytest.mark.parametrize("persona", ["other_clerk", "outsider", "supervisor", "admin", "secrecy"])
def test_only_handlers_of_the_agency_may_import(county, tmp_path, persona):
    ledger = workbook.read(good_ledger(tmp_path / "good.xlsx"))
    with pytest.raises(PermissionDenied):
        importer.import_ledger(getattr(county, persona), county.civil, ledger)
    assert Application.objects.count() == 0


def _register(county, day, **data):
    application, _code = services.register(
        county.clerk,
        county.civil,
        {
            "applicant_type": "natural_person",
            "name": "张三",
            "phone": "13800000000",
            "description": "某文件",
            "delivery": "paper",
            **data,
        },
        channel=Channel.IN_PERSON,
        submitted_on=day,
    )
    return application


def test_export_then_read_back_gives_the_same_rows(county, tmp_path):
    importer.import_ledger(
        county.clerk, county.civil, workbook.read(good_ledger(tmp_path / "good.xlsx"))
    )
    native = _register(county, D(2024, 5, 6))
    buffer = io.BytesIO()
    assert importer.export(buffer, county.civil) == 11
    buffer.seek(0)
    exported = workbook.read(buffer)
    assert exported.problems == []
    expected = dict(EXPECTED)
    expected[native.tracking_number] = (D(2024, 5, 6), "natural_person", None, None)
    assert as_tuples(exported) == expected
    # Rows in order of receipt; importing the export back changes nothing.
    received = [r.received_on for r in exported.applications]
    assert received == sorted(received)
    again = importer.import_ledger(county.clerk, county.civil, exported)
    assert again.created == [] and len(again.unchanged) == 11

    only_2024 = tmp_path / "2024.xlsx"
    importer.export(only_2024, county.civil, 2024)
    assert sorted(r.number for r in workbook.read(only_2024).applications) == sorted(
        ["A4", "A5", "A6", "A7", "A9", "10", native.tracking_number]
    )


# --- the pages ----------------------------------------------------------------------------


def upload(client, url, path, *, name=None, skip=False):
    """Upload as the page does; when the upload is taken, run the import job as a worker
    would and return the job's page."""
    data = {"file": SimpleUploadedFile(name or path.name, path.read_bytes())}
    if skip:
        data["skip_bad_rows"] = "on"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data)
    if response.status_code != 302:
        return response
    inprocess.run_due()
    return client.get(response["Location"])


def test_clerk_uploads_a_ledger(county, tmp_path):
    url = reverse("office:ledger", args=[county.civil.pk])
    client = county.client_for(county.clerk)
    page = client.get(url)
    assert page.status_code == 200
    assert "跳过有问题的行" in page.content.decode()
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = upload(client, url, bad_ledger(tmp_path / "bad.xlsx"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "台账有问题，未导入任何内容" in html
    assert "答复日期 2024-01-03 早于收到日期 2024-02-01。" in html
    assert Application.objects.count() == 0

    response = upload(client, url, tmp_path / "bad.xlsx", skip=True)
    html = response.content.decode()
    assert "新建 2 件申请" in html and "跳过 11 行" in html
    assert Application.objects.count() == 2

    response = upload(client, url, good_ledger(tmp_path / "good.xlsx"))
    assert "新建 10 件申请" in response.content.decode()
    response = upload(client, url, tmp_path / "good.xlsx")
    assert "新建 0 件申请；10 件已在平台中" in response.content.decode()
    assert Application.objects.count() == 12


def test_upload_refuses_other_files(county, tmp_path, monkeypatch):
    url = reverse("office:ledger", args=[county.civil.pk])
    client = county.client_for(county.head)
    text = tmp_path / "ledger.csv"
    text.write_text("编号,收到日期\n", encoding="utf-8")
    assert "只接受 Excel 工作簿（.xlsx）" in upload(client, url, text).content.decode()
    response = upload(client, url, text, name="renamed.xlsx")
    assert "不是 Excel 工作簿" in response.content.decode()
    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 1000)
    response = upload(client, url, good_ledger(tmp_path / "good.xlsx"))
    assert "超过 20 MB 的上限" in response.content.decode()
    assert Application.objects.count() == 0


def test_export_and_template_downloads(county, tmp_path):
    importer.import_ledger(
        county.clerk, county.civil, workbook.read(good_ledger(tmp_path / "good.xlsx"))
    )
    client = county.client_for(county.supervisor)
    response = client.get(reverse("office:ledger_export", args=[county.civil.pk]), {"year": "2024"})
    assert response.status_code == 200
    assert response["Content-Type"] == views.XLSX
    assert "attachment" in response["Content-Disposition"]
    ledger = workbook.read(io.BytesIO(b"".join(response.streaming_content)))
    assert len(ledger.applications) == 6
    response = client.get(reverse("office:ledger_export", args=[county.civil.pk]), {"year": "24"})
    assert response.status_code == 400

    response = client.get(reverse("office:ledger_template", args=[county.civil.pk]))
    assert response.status_code == 200
    template = workbook.read(io.BytesIO(b"".join(response.streaming_content)))
    assert template.ok and template.applications == []


def test_supervisor_may_export_but_not_import(county, tmp_path):
    url = reverse("office:ledger", args=[county.civil.pk])
    client = county.client_for(county.supervisor)
    page = client.get(url)
    assert page.status_code == 200
    assert "上传并导入" not in page.content.decode()
    assert upload(client, url, good_ledger(tmp_path / "good.xlsx")).status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.parametrize("persona", ["other_clerk", "other_admin", "outsider", "town_clerk"])
def test_other_agencies_staff_get_403(county, tmp_path, persona):
    client = county.client_for(getattr(county, persona))
    pk = county.civil.pk
    for name in ("ledger", "ledger_export", "ledger_template"):
        assert client.get(reverse(f"office:{name}", args=[pk])).status_code == 403, name
    response = upload(client, reverse("office:ledger", args=[pk]), good_ledger(tmp_path / "g.xlsx"))
    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_anonymous_visitors_are_sent_to_login(county):
    client = county.client_for(None)
    for name in ("ledger", "ledger_export", "ledger_template"):
        response = client.get(reverse(f"office:{name}", args=[county.civil.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_system_admin_may_import(county, tmp_path):
    client = county.client_for(county.sysadmin)
    url = reverse("office:ledger", args=[county.civil.pk])
    response = upload(client, url, good_ledger(tmp_path / "good.xlsx"))
    assert "新建 10 件申请" in response.content.decode()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "A" * (50 * 1024 * 1024) + "</sst>")
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(workbook.LedgerError, match="解压后"):
        workbook.read(path)


def test_text_that_looks_like_a_formula_is_exported_as_text(tmp_path):
    import openpyxl

    row = workbook.ApplicationRow(
        row=2,
        number='=HYPERLINK("http://evil.example","x")',
        received_on=dt.date(2024, 1, 5),
        applicant_type="natural_person",
        outcome=None,
        replied_on=None,
    )
    path = tmp_path / "export.xlsx"
    workbook.write_applications(path, [row])
    sheet = openpyxl.load_workbook(path)["申请"]
    cell = sheet.cell(row=2, column=1)
    assert cell.value == '=HYPERLINK("http://evil.example","x")' and cell.data_type == "s"
