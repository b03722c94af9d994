"""The annual report's rules in ``gongkai.law`` (docs/law/reports.md): which format a year's
report follows, by when each kind of agency publishes it (条例第四十九条, and the date a
deployment configures for 乡镇 and 街道), the applicant columns and the rows of table 三 — and
that the platform, the ledger, the renderer and the checker read them from there."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from gongkai import config
from gongkai.applications.forms import ApplicationForm
from gongkai.applications.models import ApplicantType
from gongkai.checker import check, extract
from gongkai.law import annual_report, applicants, outcomes
from gongkai.ledger import workbook
from gongkai.reports import checks, counting, render, services

ROOT = Path(__file__).resolve().parents[1]
LAW = ROOT / "gongkai" / "law"

# --- formats ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "fmt", "notice"),
    [
        (2019, "2019", "国办公开办函〔2019〕60号"),
        (2020, "2019", "国办公开办函〔2019〕60号"),
        (2021, "2021", "国办公开办函〔2021〕30号"),
        (2025, "2021", "国办公开办函〔2021〕30号"),
    ],
)
def test_the_format_of_each_year(year, fmt, notice):
    assert annual_report.format_for(year) == fmt
    assert annual_report.layout_for(year).notice == notice
    assert annual_report.has_national_format(year)


def test_no_national_format_before_2019():
    assert annual_report.FIRST_YEAR == 2019
    assert not annual_report.has_national_format(2018)
    with pytest.raises(ValueError, match="2018 年度早于 2019 年统一格式"):
        annual_report.format_for(2018)


def test_a_report_in_a_replaced_format_is_outdated():
    assert annual_report.outdated(2021, "2019")
    assert not annual_report.outdated(2020, "2019")
    assert not annual_report.outdated(2021, "2021")
    assert not annual_report.outdated(2021, None)  # a free-form report is another finding


def test_the_outdated_format_finding_names_the_notice():
    report = counting.assemble(
        year=2022, agency=None, proactive=None, applications=None, appeals=None
    )
    report["format"] = "2019"
    found = [f for f in checks.check(report) if f.code == "OUTDATED_FORMAT"]
    assert found and "国办公开办函〔2021〕30号" in found[0].message
    assert "2019 年试行格式" in found[0].message


# --- publication deadlines ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("department", dt.date(2026, 1, 31)),
        ("other", dt.date(2026, 1, 31)),  # any other agency reports as a department
        ("government", dt.date(2026, 3, 31)),
        ("township", None),  # 第四十九条 sets no date for 乡镇 and 街道
        ("street", None),
    ],
)
def test_deadlines_by_the_kind_of_agency(kind, expected):
    assert annual_report.publication_deadline(2025, kind) == expected


def test_the_configured_date_applies_to_townships_and_streets_only():
    local = (6, 30)
    for kind in ("township", "street"):
        assert annual_report.publication_deadline(2025, kind, local) == dt.date(2026, 6, 30)
        rule = annual_report.deadline_rule(kind, local)
        assert rule.local and rule.text == "6月30日"
    assert annual_report.publication_deadline(2025, "department", local) == dt.date(2026, 1, 31)
    assert annual_report.publication_deadline(2025, "government", local) == dt.date(2026, 3, 31)
    assert annual_report.deadline_rule("department").basis == "条例第四十九条第一款"
    assert annual_report.deadline_rule("government").basis == "条例第四十九条第二款"


def test_late_publication_of_a_township_with_a_configured_date():
    report = counting.assemble(
        year=2025, agency=None, proactive=None, applications=None, appeals=None
    )
    report["published_on"] = "2026-07-01"
    assert "LATE_PUBLICATION" not in {f.code for f in checks.check(report, agency_kind="township")}
    found = checks.check(report, agency_kind="township", township_deadline=(6, 30))
    late = [f for f in found if f.code == "LATE_PUBLICATION"]
    assert late and "2026-06-30" in late[0].message and "本地规定" in late[0].message


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("某某县人民政府办公室", "department"),
        ("某某市人民政府办公厅", "department"),
        ("某某省人民政府办公厅", "department"),
        ("某某县人民政府", "government"),
        ("某某县民政局", "department"),
        ("某某镇人民政府", "township"),
        ("某某街道办事处", "street"),
    ],
)
def test_the_checker_reads_an_office_of_a_government_as_a_department(name, kind):
    assert check.agency_kind(name) == kind


@pytest.mark.parametrize(
    ("raw", "expected"), [("", None), ("03-31", (3, 31)), ("6-30", (6, 30)), (" 12-31 ", (12, 31))]
)
def test_the_township_deadline_setting(raw, expected):
    assert config.month_day("GONGKAI_TOWNSHIP_REPORT_DEADLINE", raw) == expected


@pytest.mark.parametrize("raw", ["02-29", "13-01", "03-32", "3月31日", "0331", "03-31-2026"])
def test_a_bad_township_deadline_is_refused_in_chinese(raw):
    refused = r"GONGKAI_TOWNSHIP_REPORT_DEADLINE=.*应写成 月-日"
    with pytest.raises(config.ConfigError, match=refused):
        config.month_day("GONGKAI_TOWNSHIP_REPORT_DEADLINE", raw)


def test_the_platform_reads_the_setting(settings):
    settings.TOWNSHIP_REPORT_DEADLINE = None
    assert services.publication_deadline(2025, "township") is None
    settings.TOWNSHIP_REPORT_DEADLINE = (4, 30)
    assert services.publication_deadline(2025, "township") == dt.date(2026, 4, 30)
    assert services.publication_deadline(2025, "department") == dt.date(2026, 1, 31)


def _page(client, url: str) -> str:
    cache.clear()  # the public pages are cached; each case here reads the page afresh
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", "", response.content.decode())


def test_the_portal_states_each_agencys_own_deadline(county, client, settings):
    settings.TOWNSHIP_REPORT_DEADLINE = None
    home = _page(client, reverse("portal:agency", args=["civil"]))
    assert "每年1月31日前公布的上一年度" in home
    home = _page(client, reverse("portal:agency", args=["county"]))
    assert "每年3月31日前公布的上一年度" in home and "1月31日" not in home
    home = _page(client, reverse("portal:agency", args=["town"]))
    assert "1月31日" not in home and "3月31日" not in home
    listing = _page(client, reverse("portal:reports", args=["town"]))
    assert "本机关每年公布上一年度" in listing
    listing = _page(client, reverse("portal:reports", args=["county"]))
    assert "每年3月31日前向社会公布（条例第四十九条第二款）" in listing
    settings.TOWNSHIP_REPORT_DEADLINE = (6, 30)
    assert "每年6月30日前公布的上一年度" in _page(client, reverse("portal:agency", args=["town"]))
    listing = _page(client, reverse("portal:reports", args=["town"]))
    assert "本机关于每年6月30日前公布上一年度政府信息公开工作年度报告（本地规定）" in listing


def test_the_office_list_states_the_dates_and_the_local_one(county, settings):
    settings.TOWNSHIP_REPORT_DEADLINE = (6, 30)
    client = county.client_for(county.town_clerk)
    page = _page(client, reverse("office:reports", args=[county.town.pk]))
    assert "县级以上人民政府部门每年1月31日前公布" in page
    assert "本机关按本地规定于6月30日前公布" in page
    # Last year's report is due on the configured day of this year.
    assert f"{timezone.localdate().year}-06-30" in page
    settings.TOWNSHIP_REPORT_DEADLINE = None
    page = _page(client, reverse("office:reports", args=[county.town.pk]))
    assert "乡镇、街道的期限条例未规定" in page


# --- applicant columns --------------------------------------------------------------------


def test_the_applicant_columns_of_table_three():
    assert applicants.KEYS == [
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_services",
        "other",
    ]
    assert [a.label for a in applicants.APPLICANTS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    assert applicants.COLUMNS == [*applicants.KEYS, "total"]
    assert applicants.COLUMN_LABELS["total"] == "总计"
    assert applicants.TOTAL_INDEX == 6
    assert [a.key for a in applicants.ORGANISATION_COLUMNS] == applicants.KEYS[1:]
    assert applicants.ORGANISATIONS == "法人或其他组织"


def test_every_part_reads_the_columns_from_the_law():
    assert counting.APPLICANT_COLUMNS == applicants.KEYS
    assert counting.COLUMNS == applicants.COLUMNS
    assert checks.COLUMN_LABELS == applicants.COLUMN_LABELS
    assert [key for key, _ in workbook.APPLICANT_TYPES] == applicants.KEYS
    assert [label for _, label in workbook.APPLICANT_TYPES] == [
        a.label for a in applicants.APPLICANTS
    ]
    # The model keeps the stored keys; the case file says 其他组织 where the table says 其他.
    assert ApplicantType.values == applicants.KEYS
    assert ApplicantType.NATURAL_PERSON == "natural_person"
    assert dict(ApplicantType.choices)["other"] == "其他组织"
    assert workbook.APPLICANT_CODES["其他组织"] == "other"
    assert workbook.APPLICANT_CODES["其他"] == "other"


def test_the_application_form_offers_the_columns_as_before():
    choices = ApplicationForm().fields["applicant_type"].choices
    assert choices == [
        ("natural_person", "自然人（公民）"),
        ("commercial", "法人或其他组织：商业企业"),
        ("research", "法人或其他组织：科研机构"),
        ("public_interest", "法人或其他组织：社会公益组织"),
        ("legal_services", "法人或其他组织：法律服务机构"),
        ("other", "法人或其他组织：其他组织"),
    ]


def test_the_rendered_table_heads_its_columns_from_the_law():
    report = counting.assemble(
        year=2025,
        agency=None,
        proactive=None,
        applications=counting.empty_applications("2021"),
        appeals=None,
    )
    html = render.tables_html(report)
    for text in ("自然人", "法人或其他组织", "商业<br>企业", "社会<br>公益<br>组织", "总计"):
        assert text in html


# --- the rows of table 三 -----------------------------------------------------------------


def test_the_rows_of_each_format():
    rows_2021 = annual_report.outcome_rows("2021")
    assert rows_2021 == outcomes.ROW_KEYS and len(rows_2021) == 21
    rows_2019 = annual_report.outcome_rows("2019")
    assert rows_2019[-1] == "other" and len(rows_2019) == 19
    assert annual_report.OTHER_ROWS_2021 == [
        "other_no_correction",
        "other_unpaid_fee",
        "other_other",
    ]
    assert annual_report.row_for("other_unpaid_fee", "2019") == "other"
    assert annual_report.row_for("other_unpaid_fee", "2021") == "other_unpaid_fee"
    # 第三十六条第（四）项 and 第（五）项: one row.
    assert annual_report.row_for("unable_not_exist", "2021") == "unable_not_held"
    assert [g for g, _ in annual_report.groups("2019")] == outcomes.GROUPS


def test_the_printed_labels_of_table_three():
    assert annual_report.group_heading("不予公开") == "（三）不予公开"
    assert annual_report.group_label("部分公开") == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert annual_report.TOTAL_PROCESSED_HEADING == "（七）总计"
    assert annual_report.row_label("withheld_security_stability") == "3.危及“三安全一稳定”"
    assert annual_report.row_label("unable_not_held") == "1.本机关不掌握相关政府信息"
    assert annual_report.row_label("declined_confirmation") == (
        "5.要求行政机关确认或重新出具已获取信息"
    )
    assert annual_report.row_label("other_other") == "3.其他"


def test_the_checker_knows_every_row_the_law_prints():
    """Each outcome row of table 三, as the format prints it (with and without its group and
    number), is read as that row and as no earlier one."""
    order = [key for key, _ in extract.ROWS]
    for group, keys in annual_report.groups("2021"):
        for key in keys:
            label = annual_report.outcomes.BY_KEY[key].table_label
            printed = (
                annual_report.group_label(group)
                if len(keys) == 1
                else annual_report.group_label(group) + annual_report.row_label(key)
            )
            for text in (label, printed, annual_report.row_label(key)):
                cell = extract._norm(text)
                assert extract.ROW_TESTS[key](cell), (key, text)
                earlier = order[2 : order.index(key)]
                assert not [k for k in earlier if extract.ROW_TESTS[k](cell)], (key, text)


# --- no copies ----------------------------------------------------------------------------

_YEAR_TEST = re.compile(
    r"\byear\s*(?:<|<=|>|>=|==)\s*20(?:19|21)\b|\b20(?:19|21)\s*(?:<|<=)\s*year\b"
)
APPLICANT_WORDS = set(applicants.KEYS[1:]) | {a.label for a in applicants.ORGANISATION_COLUMNS}


def _product_files():
    for path in (ROOT / "gongkai").rglob("*.py"):
        if LAW in path.parents or "migrations" in path.parts:
            continue
        yield path


def test_no_year_is_compared_with_the_format_years_outside_the_law():
    found = []
    for path in _product_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _YEAR_TEST.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "a format year restated outside gongkai/law/:\n" + "\n".join(found)


def test_no_list_of_applicant_columns_outside_the_law():
    found = []
    for path in _product_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.List | ast.Tuple | ast.Set):
                items = [e for e in node.elts]
            elif isinstance(node, ast.Dict):
                items = [k for k in node.keys if k is not None]
            else:
                continue
            values = {
                e.value
                for item in items
                for e in ([item] if isinstance(item, ast.Constant) else getattr(item, "elts", []))
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            }
            if len(values & APPLICANT_WORDS) >= 3:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "applicant columns restated outside gongkai/law/:\n" + "\n".join(found)
