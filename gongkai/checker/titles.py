"""The report's title, agency, year, publication date and section headings, each from the
best place that states it (docs/checker.md, 机关和年度)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

from gongkai.checker.cells import _Cells
from gongkai.checker.reading import is_number

# "工作" is often left out of the title: 政府信息公开年度报告.
TITLE = re.compile(
    r"^(?P<agency>.*?)(?:关于)?(?P<year>(?:19|20)\d\d)年度?(?:政府信息公开|政务公开)(?:工作)?年度报告"
)
TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>(?:19|20)\d\d)年度?(?P<agency>.+?)(?:政府信息公开|政务公开)(?:工作)?年度报告"
)
# A title that names neither (the agency is in the signature or a field of the page).
BARE_TITLE = re.compile(r"(?:政府信息公开|政务公开)(?:工作)?年度报告$")
# An agency's name: the bodies that publish these reports end so.
AGENCY_NAME = (
    r"[\u4e00-\u9fff（）()]{2,40}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|"
    r"办事处|委员会|管理局|局|厅|委|署|院|中心|管委会)"
)
PUBLISHER = re.compile(
    r"(?:发布机构|发文机关|发布单位|信息来源|来源|发布部门|公开主体)[:：](?P<agency>"
    + AGENCY_NAME
    + ")"
)
SIGNATURE = re.compile("^" + AGENCY_NAME + "$")
# The year of the figures stated as their period: 数据统计期限为2023年1月1日至12月31日.
STATISTICS_PERIOD = re.compile(
    r"统计(?:期限|时限|期间|时段|区间)(?:为|是)?(?:自|从)?(?P<year>(?:19|20)\d\d)年1月1日(?:起)?"
    r"(?:至|到|-|—|~)(?:(?P=year)年)?12月31日"
)
DAY = r"(?P<y>(?:19|20)\d\d)[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})"
# The page's publication date; a bare 日期 only when no such label is there, and never the
# date the document was written or issued (成文日期, 印发日期).
DATE = re.compile(r"(?:发布日期|发布时间|公开日期|发文时间|上线时间)[:：]?" + DAY)
WEAK_DATE = re.compile(r"(?<!成文)(?<!印发)(?:日期|时间)[:：]?" + DAY)
CHROME = re.compile(r"^(?:首页|当前位置|您当前的位置|>|»|【|《|标题|名称)[:：>]*")


def _title(cells: _Cells) -> tuple[str | None, int | None]:
    agency, year, _text = _title_read(cells)
    return agency, year


def _title_read(cells: _Cells) -> tuple[str | None, int | None, str]:
    """The agency and year from the report's title, in the first cells, and the title's text.
    A title broken over two lines (after the agency's name, as a PDF or a page copy does) is
    tried joined. A bare title (政府信息公开工作年度报告) gives its text only."""
    limit = min(len(cells), 400)
    texts = cells.norm[:limit]
    for index, text in enumerate(texts):
        match = TITLE.match(text) or TITLE_YEAR_FIRST.match(text)
        if not match:
            continue
        agency = _agency(match.group("agency"))
        if not agency and index > 0 and texts[index - 1] and not is_number(texts[index - 1]):
            joined = TITLE.match(texts[index - 1] + text)
            # The line before is the agency's name only if it reads as one (not 打印, 首页…).
            named = _agency(joined.group("agency")) if joined else None
            if named and re.fullmatch(AGENCY_NAME, named):
                agency = named
                text = texts[index - 1] + text
        return agency, int(match.group("year")), text
    for first, second in itertools.pairwise(texts):
        match = TITLE.match(first + second) or TITLE_YEAR_FIRST.match(first + second)
        if match:
            return _agency(match.group("agency")), int(match.group("year")), first + second
    bare = next((t for t in texts if BARE_TITLE.search(t) and len(t) <= 60), "")
    return None, None, bare


@dataclass(frozen=True)
class Evidence:
    """Where the agency or the year was read: ``source`` (title, publisher, signature,
    statistics_period) and the text it was read from. docs/checker.md, 机关和年度."""

    source: str
    text: str

    def as_json(self) -> dict:
        return {"from": self.source, "text": self.text[:120]}


def _publisher(cells: _Cells) -> tuple[str | None, Evidence | None]:
    """The agency in a field of the page: 发布机构：…, 来源：…"""
    for text in cells.norm[:600]:
        match = PUBLISHER.search(text)
        if match:
            return match.group("agency"), Evidence("publisher", match.group(0))
    return None, None


def _signature(cells: _Cells) -> tuple[str | None, Evidence | None]:
    """The agency that signs the report: a name alone on its line near the end, next to a
    date (the last such)."""
    texts = [t for t in cells.norm if t]
    tail = texts[-40:]
    for index in range(len(tail) - 1, -1, -1):
        text = tail[index]
        if not SIGNATURE.match(text):
            continue
        near = tail[max(0, index - 2) : index + 3]
        if any(
            re.search(DAY, other) or re.search(r"(?:19|20)\d\d年\d{1,2}月", other) for other in near
        ):
            return text, Evidence("signature", text)
    return None, None


def _statistics_year(cells: _Cells) -> tuple[int | None, Evidence | None]:
    head = "".join(n for n in cells.norm[:2000] if n)
    match = STATISTICS_PERIOD.search(head)
    if match:
        return int(match.group("year")), Evidence("statistics_period", match.group(0))
    return None, None


def agency_and_year(cells: _Cells) -> tuple[str | None, int | None, dict[str, Evidence]]:
    """The agency and the year, each from the best place that states it: the title; else the
    page's publisher field or the signature (agency), the statistics period (year)."""
    agency, year, title = _title_read(cells)
    evidence: dict[str, Evidence] = {}
    if agency:
        evidence["agency"] = Evidence("title", title)
    if year:
        evidence["year"] = Evidence("title", title)
    if not agency:
        for finder in (_publisher, _signature):
            agency, found = finder(cells)
            if agency:
                evidence["agency"] = found
                break
    if not year:
        year, found = _statistics_year(cells)
        if year:
            evidence["year"] = found
    return agency, year, evidence


def _agency(text: str) -> str | None:
    text = CHROME.sub("", text).strip("《》【】[]()（）:：")
    # Chrome before the title on the same line ("首页>政府信息公开>…"): keep the last part.
    text = re.split(r"[>»|]", text)[-1]
    return text if 2 <= len(text) <= 60 else None


def _published_on(cells: _Cells) -> str | None:
    head = "".join(n for n in cells.norm[:600] if n)
    for pattern in (DATE, WEAK_DATE):
        for match in pattern.finditer(head):
            try:
                day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
            return day.isoformat()
    return None


SECTION_PATTERNS = {
    "section1": re.compile(r"^[一1][、.．]?(?:总体情况|概述|基本情况|总体概况|概况)"),
    "section2": re.compile(r"^[二2][、.．]?主动公开"),
    "section3": re.compile(r"^[三3][、.．]?(?:收到和处理|收到|依申请|政府信息公开申请)"),
    "section4": re.compile(
        r"^[四4][、.．]?(?:政府信息公开行政复议|因政府信息公开|.{0,12}行政复议)"
    ),
    "section5": re.compile(r"^[五5][、.．]?.{0,16}(?:问题|改进)"),
    "section6": re.compile(r"^[六6][、.．]?其他需要报告"),
}


# What converters put around a heading: ## of Markdown, ** of bold, > of a quote.
_MARKUP = re.compile(r"^[#*>]+|\*+$")


def _heading(pattern: re.Pattern, cell: str) -> bool:
    """``cell`` is the section's heading: alone in its cell (markup off), or at the start of a
    paragraph it was run into, followed by the punctuation that ends a heading."""
    text = _MARKUP.sub("", cell)
    match = pattern.match(text)
    if not match:
        return False
    return len(text) <= 40 or text[match.end() : match.end() + 1] in ("。", ":", "：", "")


def _sections(cells: _Cells) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    start = 0
    for name, pattern in SECTION_PATTERNS.items():
        index = cells.find(lambda n, p=pattern: _heading(p, n), start)
        found[name] = index
        if index is not None:
            start = index + 1
    return found
