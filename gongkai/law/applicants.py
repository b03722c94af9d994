"""Who applies: the applicant columns of table 三 of the annual report (docs/law/reports.md).

条例第二十七条 lets 公民、法人或者其他组织 apply; the national report format (国办公开办函〔2019〕
60号, and unchanged in 〔2021〕30号) counts the applications in table 三 by six columns: 自然人,
and under the heading 法人或其他组织 five kinds of organisation, then 总计. The keys are those of
docs/annual-report-data.md and never change: the platform stores them on every application,
the ledger and the report's JSON carry them.

Plain Python: the application form and model, the ledger, the counting, the checks, the
renderer and the checker read the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

# 条例第二十七条 names who may apply: 公民 (a natural person) and 法人或者其他组织.
CITIZEN = "公民"
# The heading the table prints over the five columns of organisations.
ORGANISATIONS = "法人或其他组织"
TOTAL = "总计"
TOTAL_KEY = "total"


@dataclass(frozen=True)
class Applicant:
    key: str
    label: str  # the column of table 三, as the format prints it
    # What a record calls an applicant of this column, where the column's own word alone would
    # not say it ("其他" stands under 法人或其他组织 in the table; on its own it is 其他组织).
    name: str = ""
    organisation: bool = True  # a column under the heading 法人或其他组织

    @property
    def own_name(self) -> str:
        return self.name or self.label

    @property
    def choice_label(self) -> str:
        """How the application form offers it: "自然人（公民）", "法人或其他组织：商业企业"."""
        if not self.organisation:
            return f"{self.label}（{CITIZEN}）"
        return f"{ORGANISATIONS}：{self.own_name}"


APPLICANTS: list[Applicant] = [
    Applicant("natural_person", "自然人", organisation=False),
    Applicant("commercial", "商业企业"),
    Applicant("research", "科研机构"),
    Applicant("public_interest", "社会公益组织"),
    Applicant("legal_services", "法律服务机构"),
    Applicant("other", "其他", name="其他组织"),
]
BY_KEY: dict[str, Applicant] = {a.key: a for a in APPLICANTS}
# The columns of table 三 in the table's order, and with the 总计 column after them.
KEYS: list[str] = [a.key for a in APPLICANTS]
COLUMNS: list[str] = [*KEYS, TOTAL_KEY]
COLUMN_LABELS: dict[str, str] = {**{a.key: a.label for a in APPLICANTS}, TOTAL_KEY: TOTAL}
NATURAL_PERSON = APPLICANTS[0].key
# Where the 总计 column sits in a row of table 三.
TOTAL_INDEX = len(KEYS)
ORGANISATION_COLUMNS: list[Applicant] = [a for a in APPLICANTS if a.organisation]
