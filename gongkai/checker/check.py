"""One report in, its data and findings out: ``check_bytes`` / ``check_path``.

Never raises on bad input: a file that cannot be read as a report gives ``report: None`` and
one UNREADABLE finding that says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.checker import extract, reading
from gongkai.law import annual_report
from gongkai.reports import checks, render

SECTION_TITLES = render.SECTION_TITLES
TABLES = {"proactive": "二", "applications": "三", "appeals": "四"}


@dataclass
class Result:
    file: str
    report: dict | None
    findings: list[checks.Finding] = field(default_factory=list)
    kind: str | None = None  # what the file was read as: text, markdown, html, docx, pdf
    # Where the agency and the year were read: {"agency": {"from": "title", "text": …}, …}.
    read: dict = field(default_factory=dict)

    @property
    def unreadable(self) -> bool:
        return self.report is None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def as_json(self) -> dict:
        found = {
            "file": self.file,
            "report": self.report,
            "findings": [f.as_json() for f in self.findings],
        }
        if self.read:
            found["read"] = self.read  # additive: the shape above is unchanged
        return found


GOVERNMENT_PLACE = re.compile(r"(?:省|市|县|区|旗|州|盟)$")
TOWNSHIP = ("乡人民政府", "镇人民政府", "乡政府", "镇政府", "乡", "镇")


def agency_kind(name: str | None) -> str:
    """The kind of agency, from its name, for the publication deadline (条例第四十九条,
    ``gongkai.law.annual_report``). A report titled by a place alone ("深圳市龙岗区…年度报告")
    is that people's government's; a 人民政府办公室（办公厅） reports on its own work as a
    department (docs/law/reports.md). The date a province sets for 乡镇 and 街道 is not applied
    here: a report checked may come from any province."""
    if not name:
        return annual_report.DEPARTMENT
    if name.endswith(("办公室", "办公厅")):
        return annual_report.DEPARTMENT
    if name.endswith(TOWNSHIP):
        return annual_report.TOWNSHIP
    if name.endswith(("街道办事处", "街道")):
        return annual_report.STREET
    if name.endswith("人民政府") or GOVERNMENT_PLACE.search(name):
        return annual_report.GOVERNMENT
    return annual_report.DEPARTMENT


def unreadable(file: str, reason: str) -> Result:
    return Result(file, None, [checks.Finding("UNREADABLE", "error", reason, "file")])


def findings_for(extraction: extract.Extraction, previous: dict | None = None) -> list:
    report = extraction.report
    findings = checks.check(report, previous=previous, agency_kind=agency_kind(report["agency"]))
    year = report.get("year")
    if report["format"] is None:
        # No national-format table at all: right for a free-form report before 2019, wrong
        # for any report since.
        if isinstance(year, int) and annual_report.has_national_format(year):
            for key, label in TABLES.items():
                findings.append(
                    checks.Finding(
                        "MISSING_TABLE",
                        "error",
                        f"{year} 年度报告应按全国统一格式列出表{label}，但未找到该表。",
                        key,
                    )
                )
        return findings
    for code, note in extraction.notes:
        # Each code written out: the docs' table of codes is checked against these calls.
        if code == "NEAR_LABEL":
            findings.append(checks.Finding("NEAR_LABEL", "info", note, "table"))
        elif code == "RECONSTRUCTED":
            findings.append(checks.Finding("RECONSTRUCTED", "info", note, "applications"))
        elif code == "UNCERTAIN":
            findings.append(checks.Finding("UNCERTAIN", "warning", note, "applications"))
        else:
            findings.append(checks.Finding("VALUE_READ_AS", "info", note, "table"))
    for name, present in extraction.sections.items():
        if not present:
            findings.append(
                checks.Finding(
                    "MISSING_SECTION", "warning", f"未找到“{SECTION_TITLES[name]}”部分。", name
                )
            )
    return findings


def check_bytes(data: bytes, name: str, *, previous: dict | None = None) -> Result:
    try:
        document = reading.read_bytes(data, name)
    except reading.Unreadable as exc:
        return unreadable(name, str(exc))
    extraction = extract.extract(document)
    report = extraction.report
    if report["format"] is None and report["year"] is None:
        return Result(
            name,
            None,
            [
                checks.Finding(
                    "UNREADABLE",
                    "error",
                    "未识别出政府信息公开工作年度报告：既没有找到报告标题，也没有找到统一格式的表格。",
                    "file",
                )
            ],
            document.kind,
        )
    return Result(
        name, report, findings_for(extraction, previous), document.kind, read=extraction.evidence
    )


def check_path(path: str | Path, *, previous: dict | None = None) -> Result:
    path = Path(path)
    try:
        data = reading.read_file(path)
    except reading.Unreadable as exc:
        return unreadable(str(path), str(exc))
    result = check_bytes(data, path.name, previous=previous)
    result.file = str(path)
    return result
