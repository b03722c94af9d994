"""The annual report (政府信息公开工作年度报告, 条例第四十九条、第五十条): which national format a
year's report follows, by when each kind of agency publishes it, and the rows of its table 三
as the format prints them. docs/law/reports.md explains each rule and its source.

Plain Python: the report builder, the drafts, the renderer, the checks, the checker, the
office pages and the portal read these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.law import outcomes

REGULATION = outcomes.REGULATION

# --- formats ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    key: str  # the report's ``format`` in docs/annual-report-data.md
    first_year: int  # the first year whose report follows it
    notice: str  # the notice of the 国务院办公厅政府信息与政务公开办公室 that set it
    name: str


# 国办公开办函〔2019〕60号 set a trial format for the reports under the revised 条例 (in force
# 15 May 2019), from the report for 2019; 〔2021〕30号 (26 September 2021) replaced it, from the
# report for 2021. No national table exists for a year before 2019.
FORMAT_2019 = Format("2019", 2019, "国办公开办函〔2019〕60号", "2019 年试行格式")
FORMAT_2021 = Format("2021", 2021, "国办公开办函〔2021〕30号", "2021 年格式")
FORMATS: list[Format] = [FORMAT_2019, FORMAT_2021]
BY_FORMAT: dict[str, Format] = {f.key: f for f in FORMATS}
FIRST_YEAR = FORMAT_2019.first_year
LATEST = FORMATS[-1]


def layout_for(year: int) -> Format:
    """The national format a report for ``year`` follows; ValueError before 2019."""
    if year < FIRST_YEAR:
        raise ValueError(f"{year} 年度早于 {FIRST_YEAR} 年统一格式，没有全国统一的表格。")
    return [f for f in FORMATS if f.first_year <= year][-1]


def format_for(year: int) -> str:
    """The key of the format a report for ``year`` follows ("2019" for 2019 and 2020, "2021"
    after); ValueError before 2019."""
    return layout_for(year).key


def has_national_format(year: int) -> bool:
    """Whether a report for ``year`` must follow a national format (its tables 二 to 四)."""
    return year >= FIRST_YEAR


def outdated(year: int, fmt: str | None) -> bool:
    """Whether a report for ``year`` uses a format replaced before that year."""
    if fmt not in BY_FORMAT or year < FIRST_YEAR:
        return False
    return BY_FORMAT[fmt].first_year < layout_for(year).first_year


# --- table 三: the rows of the results ------------------------------------------------------

# The 2019 format counts （六）其他处理 in one row, where the 2021 format has one per outcome.
OTHER_GROUP = outcomes.GROUPS[-1]
MERGED_OTHER_ROW = "other"
# The 2021 rows the 2019 row stands for.
OTHER_ROWS_2021: list[str] = [o.key for o in outcomes.ROWS if o.group == OTHER_GROUP]

_NUMERALS = "一二三四五六七八九十"


def group_number(index: int) -> str:
    """（一）, （二）, … for the group at ``index`` (0-based), as the table numbers them."""
    return f"（{_NUMERALS[index]}）"


def group_heading(group: str) -> str:
    """ "（三）不予公开": a group of outcomes as the table heads it."""
    return group_number(outcomes.GROUPS.index(group)) + group


# The results end with a （七）总计 row, numbered after the six groups.
TOTAL_PROCESSED_HEADING = group_number(len(outcomes.GROUPS)) + "总计"
# What the table prints after （二）部分公开: an application partly disclosed is counted there
# only, whatever else its reply says.
PARTIAL_NOTE = "（区分处理的，只计这一情形，不计其他情形）"


_PARTIAL_GROUP = outcomes.BY_KEY["partially_granted"].group


def group_label(group: str) -> str:
    """A group's heading as the table prints it, with the note after （二）部分公开."""
    return group_heading(group) + (PARTIAL_NOTE if group == _PARTIAL_GROUP else "")


def rows_of_group(group: str, fmt: str = LATEST.key) -> list[str]:
    """The row keys of table 三 counted under ``group`` in ``fmt``."""
    if fmt == FORMAT_2019.key and group == OTHER_GROUP:
        return [MERGED_OTHER_ROW]
    return [o.key for o in outcomes.ROWS if o.group == group]


def groups(fmt: str | None = LATEST.key) -> list[tuple[str, list[str]]]:
    """(group, its row keys) for the six groups （一）…（六）, in the table's order."""
    return [(g, rows_of_group(g, fmt or LATEST.key)) for g in outcomes.GROUPS]


def outcome_rows(fmt: str) -> list[str]:
    """The outcome rows of table 三 in ``fmt``, in the table's order."""
    return [key for _group, keys in groups(fmt) for key in keys]


def row_for(outcome: str, fmt: str) -> str:
    """The row of table 三 an outcome (or a row key) is counted in, in ``fmt``."""
    row = outcomes.row_of(outcome) if outcome in outcomes.BY_KEY else outcome
    return MERGED_OTHER_ROW if fmt == FORMAT_2019.key and row in OTHER_ROWS_2021 else row


def row_label(key: str) -> str:
    """A row of a group as the table prints it, numbered within its group: "1.属于国家秘密"."""
    row = outcomes.BY_KEY[key]
    members = rows_of_group(row.group)
    return f"{members.index(key) + 1}.{row.table_label}"


# --- publication deadlines (条例第四十九条) -----------------------------------------------------

# The kinds of agency, as the platform stores them (agencies.models.AgencyKind).
GOVERNMENT = "government"
DEPARTMENT = "department"
TOWNSHIP = "township"
STREET = "street"
# 乡镇人民政府 and 街道办事处: 第四十九条 names neither; a province may set a date for them.
LOCAL_KINDS = (TOWNSHIP, STREET)


@dataclass(frozen=True)
class Deadline:
    month: int
    day: int
    basis: str  # where the date comes from

    def on(self, year: int) -> dt.date:
        """The last day to publish the report for ``year``."""
        return dt.date(year + 1, self.month, self.day)

    @property
    def text(self) -> str:
        return f"{self.month}月{self.day}日"

    @property
    def local(self) -> bool:
        """Set by the deployment for 乡镇 and 街道 (a provincial rule), not by the 条例."""
        return self.basis == LOCAL_BASIS


# 第四十九条第一款: 县级以上人民政府部门 submit and publish their report by 31 January;
# 第二款: the 主管部门 of a 县级以上地方人民政府 publishes that government's report by 31 March.
# A 人民政府办公室（办公厅） is a department here: it reports on its own work by 31 January,
# and as 主管部门 publishes the government's report by 31 March.
DEPARTMENT_DEADLINE = Deadline(1, 31, "条例第四十九条第一款")
GOVERNMENT_DEADLINE = Deadline(3, 31, "条例第四十九条第二款")
LOCAL_BASIS = "本地规定"


def deadline_rule(agency_kind: str, township: tuple[int, int] | None = None) -> Deadline | None:
    """The date by which an agency of ``agency_kind`` publishes its report: a people's
    government 31 March, a department (and any other agency) 31 January. For 乡镇 and 街道
    the 条例 sets none: ``township`` is the (month, day) the deployment configures for them
    (a provincial rule), or None."""
    if agency_kind == GOVERNMENT:
        return GOVERNMENT_DEADLINE
    if agency_kind in LOCAL_KINDS:
        return Deadline(*township, LOCAL_BASIS) if township else None
    return DEPARTMENT_DEADLINE


def publication_deadline(
    year: int, agency_kind: str, township: tuple[int, int] | None = None
) -> dt.date | None:
    """The last day to publish the report for ``year`` (see ``deadline_rule``)."""
    rule = deadline_rule(agency_kind, township)
    return rule.on(year) if rule else None
