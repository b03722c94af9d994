"""Reading the State Council's yearly notice as it is published.

《国务院办公厅关于XXXX年部分节假日安排的通知》 sets, holiday by holiday, the days off and the
weekend days worked (调休). An administrator pastes its text (or ``gongkai calendar parse`` reads
a file) and gets the year's data in the file shape of ``workcalendar``, after checking:

- every arrangement is one of the forms the notices use: a span of days off ("2月15日（农历腊月
  二十八、周日）至23日（农历正月初七、周一）放假调休，共9天", "5月31日（周六）至6月2日（周一）放假",
  "2022年12月31日至2023年1月2日放假调休"), one day off ("1月1日（周三）放假1天，不调休",
  "4月5日放假，与周末连休"), and weekend days worked ("2月14日（周六）、2月28日（周六）上班");
- a stated weekday or lunar day matches the date, a stated count of days matches the span, a day
  worked is a Saturday or Sunday, no day is both off and worked;
- sentences that arrange nothing ("鼓励各单位……安排职工在除夕（2月9日）休息") change nothing and
  are listed as such.

Anything else that names a date next to 放假 or 上班 is refused with the sentence quoted: the
reader never guesses. Days of December of the year before that a notice arranges (元旦 from
30 December) are kept in the year's data, as ``workcalendar`` reads them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from gongkai.clock import statutory
from gongkai.clock.workcalendar import (
    CalendarError,
    YearData,
    arranged_by_notice_of,
    parse_year,
    parse_year_text,
)

WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_NUMERAL = "一二三四五六七八九十"
_ITEM = re.compile(rf"(?:^|(?<=[。\n]))\s*[{_NUMERAL}]{{1,3}}、\s*([^:\n。]{{1,24}}?)\s*:")
# A date as the notices write it, with the parenthesis after it: 2022年12月31日, 2月15日(农历
# 腊月二十八、周日), 23日 (month and year from the date before). {p} prefixes the group names.
_DATE = (
    r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日"
    r"(?:\((?P<{p}n>[^)]*)\))?"
)
_DATE_ANY = re.compile(r"\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月")
_SPAN = re.compile(
    "^" + _DATE.format(p="a") + "(?:至" + _DATE.format(p="b") + ")?放假(?P<rest>.*)$"
)
_ONE_DATE = re.compile(_DATE.format(p=""))
_TITLE_YEAR = re.compile(r"关于(\d{4})年部分节假日安排的通知")
_BODY_YEAR = re.compile(r"现将(\d{4})年")
_NUMBER = re.compile(r"国办发明电\s*[〔\[]\s*(\d{4})\s*[〕\]]\s*(\d+)\s*号")


TEXT_LIMIT = 50_000  # a notice is about 1,000 characters
TOO_LONG = "文字太长（超过 5 万字）：请只粘贴通知本身。"


class NoticeError(CalendarError):
    """The text cannot be read as a notice; the message quotes what could not be read."""


@dataclass
class Arrangement:
    """One holiday of the notice as read: its days off and the weekend days worked."""

    holiday: str
    rest_days: list[dt.date] = field(default_factory=list)
    make_up_workdays: list[dt.date] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


@dataclass
class Notice:
    year: int
    data: YearData
    arrangements: list[Arrangement]
    # Sentences inside the arrangements that arrange nothing, quoted.
    ignored: list[str]
    # Not errors, for the person confirming: a statutory holiday no span covers, say.
    warnings: list[str]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\r", "\n")
    text = text.replace("（", "(").replace("）", ")").replace("，", ",").replace("：", ":")
    # Line breaks from a web page's layout inside a sentence, and all spaces, mean nothing.
    text = re.sub(r"[ \t\u3000]+", "", text)
    # A line break ends a sentence only before the next item ("二、春节：……"): anywhere else it
    # is the page's layout, inside a sentence.
    text = re.sub(r"\n+", "\n", text).strip("\n")
    return re.sub(rf"\n(?![{_NUMERAL}]{{1,3}}、)", "", text)


def _year_of(text: str, year: int | None) -> int:
    found = {int(m.group(1)) for m in _TITLE_YEAR.finditer(text)}
    found |= {int(m.group(1)) for m in _BODY_YEAR.finditer(text)}
    if len(found) > 1:
        raise NoticeError(
            f"文字中出现了几个年份的通知（{'、'.join(map(str, sorted(found)))}）："
            "请只粘贴一份通知。"
        )
    if year is not None:
        if found and year not in found:
            raise NoticeError(
                f"指定的年份 {year} 与通知中的年份 {'、'.join(map(str, sorted(found)))} 不一致。"
            )
        return year
    if found:
        return found.pop()
    raise NoticeError(
        "通知中没有找到年份（如“关于2027年部分节假日安排的通知”）：请连同标题粘贴，或另外填写年份。"
    )


def _lunar_label(day: dt.date) -> tuple[str, bool]:
    """The lunar month and day as the notices write them (``腊月二十八``), and whether the
    day is 除夕 (the last day of the lunar year)."""
    from lunar_python import Solar

    lunar = Solar.fromYmd(day.year, day.month, day.day).getLunar()
    tomorrow = Solar.fromYmd(*(day + dt.timedelta(days=1)).timetuple()[:3]).getLunar()
    eve = tomorrow.getMonth() == 1 and tomorrow.getDay() == 1
    month = lunar.getMonthInChinese()
    return _lunar_words(f"{month}月{lunar.getDayInChinese()}"), eve


def _lunar_words(label: str) -> str:
    """One spelling of a lunar day: 廿八 and 二十八, 冬月 and 十一月, 腊月 and 十二月 alike."""
    for short, long in (("廿", "二十"), ("卅", "三十"), ("冬月", "十一月"), ("腊月", "十二月")):
        label = label.replace(short, long)
    return label


def _check_note(day: dt.date, note: str | None, sentence: str) -> None:
    """The parenthesis after a date: weekday (周四, 星期四) and lunar day (农历腊月二十八,
    农历除夕), each checked against the date."""
    for part in re.split(r"[、,]", note or ""):
        if not part:
            continue
        weekday = re.fullmatch(r"(?:周|星期)([一二三四五六日天])", part)
        if weekday:
            if WEEKDAYS[weekday.group(1)] != day.weekday():
                actual = "一二三四五六日"[day.weekday()]
                raise NoticeError(
                    f"“{sentence}”：{day.month}月{day.day}日是周{actual}，不是{part}。请核对粘贴的文字。"
                )
            continue
        lunar = re.fullmatch(r"农历(.+)", part)
        if lunar:
            label, eve = _lunar_label(day)
            said = lunar.group(1)
            if not (_lunar_words(said) == label or (said == "除夕" and eve)):
                raise NoticeError(
                    f"“{sentence}”：{day.month}月{day.day}日是农历{label}，不是{said}。"
                )
            continue
        raise NoticeError(f"“{sentence}”：看不懂括号中的“{part}”。")


def _date(match: re.Match, p: str, *, year: int, after: dt.date | None, sentence: str) -> dt.date:
    y, m, d = match.group(f"{p}y"), match.group(f"{p}m"), match.group(f"{p}d")
    if after is None:
        if m is None:
            raise NoticeError(f"“{sentence}”：日期缺少月份。")
        y = int(y) if y else year
        month = int(m)
    else:
        month = int(m) if m else after.month
        y = int(y) if y else (after.year if month >= after.month else after.year + 1)
    try:
        day = dt.date(y, month, int(d))
    except ValueError:
        raise NoticeError(f"“{sentence}”：{y}年{month}月{d}日不是有效的日期。") from None
    _check_note(day, match.group(f"{p}n"), sentence)
    return day


def _in_scope(day: dt.date, year: int, sentence: str) -> None:
    if not arranged_by_notice_of(day, year):
        raise NoticeError(f"“{sentence}”：{day.isoformat()} 不在 {year} 年的通知可以安排的范围内。")


def _read_span(sentence: str, year: int) -> list[dt.date]:
    match = _SPAN.match(sentence)
    if not match:
        raise NoticeError(f"无法读取这一句：“{sentence}”。请核对文字，或手工填写日历数据。")
    first = _date(match, "a", year=year, after=None, sentence=sentence)
    last = first
    if match.group("bd"):
        last = _date(match, "b", year=year, after=first, sentence=sentence)
    if last < first or (last - first).days > 20:
        raise NoticeError(f"“{sentence}”：放假期间 {first} 至 {last} 不合常理。")
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    stated = None
    for clause in filter(None, match.group("rest").split(",")):
        if clause in ("调休", "公休", "不调休"):
            continue
        if clause == "与周末连休":
            days = _with_weekend(days)
            continue
        extra = (
            _ONE_DATE.fullmatch(clause.removesuffix("补休")) if clause.endswith("补休") else None
        )
        if extra:  # "1月1日放假，1月2日（星期一）补休": the made-up day is off too
            day = _date(extra, "", year=year, after=None, sentence=sentence)
            days = sorted({*days, day})
            continue
        count = re.fullmatch(r"(?:调休)?共?(\d{1,3})天", clause)
        if count:
            stated = int(count.group(1))
            continue
        raise NoticeError(f"“{sentence}”：看不懂“{clause}”。")
    if stated is not None and stated != len(days):
        raise NoticeError(
            f"“{sentence}”：{first.month}月{first.day}日至{last.month}月{last.day}日是 "
            f"{len(days)} 天，通知写的是共{stated}天。请核对粘贴的文字。"
        )
    for day in days:
        _in_scope(day, year, sentence)
    return days


def _with_weekend(days: list[dt.date]) -> list[dt.date]:
    """与周末连休: the weekend days next to the days off are part of the holiday."""
    first, last = days[0], days[-1]
    while (first - dt.timedelta(days=1)).weekday() >= 5:
        first -= dt.timedelta(days=1)
    while (last + dt.timedelta(days=1)).weekday() >= 5:
        last += dt.timedelta(days=1)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _read_workdays(sentence: str, year: int) -> list[dt.date]:
    body = re.sub(r"(?:调休)?上班$", "", sentence)
    if body == sentence or not body:
        raise NoticeError(f"无法读取这一句：“{sentence}”。请核对文字，或手工填写日历数据。")
    days = []
    previous = None
    rest = body
    while rest:
        match = _ONE_DATE.match(rest)
        if not match:
            raise NoticeError(f"无法读取这一句：“{sentence}”。请核对文字，或手工填写日历数据。")
        if match.group("m") is None and previous is None:
            raise NoticeError(f"“{sentence}”：上班日期缺少月份。")
        # "1月21日（星期六）、29日（星期日）上班": a day alone is in the month before it.
        day = _date(match, "", year=year, after=previous, sentence=sentence)
        if match.group("y") is None and previous is not None and day < previous:
            raise NoticeError(f"“{sentence}”：上班日期的顺序不合常理。")
        _in_scope(day, year, sentence)
        if day.weekday() < 5:
            raise NoticeError(
                f"“{sentence}”：调休上班日应为周六或周日，{day.month}月{day.day}日是工作日本身。"
            )
        days.append(day)
        previous = day
        rest = rest[match.end() :]
        if rest[:1] in ("、", ",", "和"):
            rest = rest[1:]
            if not rest:
                break
        elif rest:
            raise NoticeError(f"无法读取这一句：“{sentence}”。")
    return days


def _sentences(body: str) -> list[str]:
    return [s for s in re.split(r"[。;\n]", body) if s.strip(" ,")]


def _arranges(sentence: str) -> bool:
    return ("放假" in sentence or "上班" in sentence) and bool(_DATE_ANY.search(sentence))


def parse(text: str, *, year: int | None = None) -> Notice:
    """Read the notice ``text``; ``year`` when the text does not name it. Raises NoticeError
    (a CalendarError) with the sentence it could not read."""
    if not text or not text.strip():
        raise NoticeError("没有收到通知的文字。")
    if len(text) > TEXT_LIMIT:
        raise NoticeError(TOO_LONG)
    clean = _normalise(text)
    year = _year_of(clean, year)
    heads = list(_ITEM.finditer(clean))
    if not heads:
        raise NoticeError(
            "没有找到放假安排：通知中的安排应是“一、元旦：……”这样逐项列出的。请粘贴通知全文。"
        )
    outside = clean[: heads[0].start()]
    arrangements: list[Arrangement] = []
    ignored: list[str] = []
    for n, head in enumerate(heads):
        end = heads[n + 1].start() if n + 1 < len(heads) else len(clean)
        # The last item runs to the end: the closing paragraph arranges nothing, and a
        # sentence of it that names a day off is read (and refused if not understood).
        body = clean[head.end() : end]
        item = Arrangement(head.group(1).strip(" ,、"))
        for sentence in _sentences(body):
            sentence = sentence.strip(" ,")
            keyword = "放假" in sentence or "上班" in sentence
            if "鼓励" in sentence or not keyword:
                # Advice or prose: arranges nothing; listed when it speaks of days off.
                if re.search("放假|上班|休息|调休", sentence):
                    ignored.append(sentence)
                continue
            if not _arranges(sentence):
                raise NoticeError(f"无法读取这一句（没有具体日期）：“{sentence}”。")
            item.sentences.append(sentence)
            if sentence.endswith("上班"):
                item.make_up_workdays += _read_workdays(sentence, year)
            else:
                item.rest_days += _read_span(sentence, year)
        if not item.rest_days:
            raise NoticeError(f"“{head.group(0)}{body}”：这一项没有读到放假日期。")
        arrangements.append(item)
    for sentence in _sentences(outside):
        if _arranges(sentence) and "鼓励" not in sentence:
            raise NoticeError(
                f"这一句写了放假或上班日期，但不在“一、元旦：……”这样的条目中：“{sentence}”。"
                "请核对粘贴的文字。"
            )
    return _assemble(year, clean, arrangements, ignored)


def _assemble(year: int, clean: str, arrangements: list[Arrangement], ignored) -> Notice:
    rest: dict[dt.date, str] = {}
    make_up: set[dt.date] = set()
    for item in arrangements:
        for day in item.rest_days:
            if day in rest:
                raise NoticeError(f"{day.isoformat()} 在“{rest[day]}”和“{item.holiday}”中都放假。")
            rest[day] = item.holiday
        make_up.update(item.make_up_workdays)
    title = f"国务院办公厅关于{year}年部分节假日安排的通知"
    number = _NUMBER.search(clean)
    source = f"{title}（国办发明电〔{number.group(1)}〕{number.group(2)}号）" if number else title
    data = parse_year(
        {
            "year": year,
            "rest_days": sorted(d.isoformat() for d in rest),
            "make_up_workdays": sorted(d.isoformat() for d in make_up),
            "source": source,
            "names": {d.isoformat(): n for d, n in sorted(rest.items())},
        },
        where="通知",
    )
    warnings = statutory.missing_festivals(year, data.rest_days)
    return Notice(year, data, arrangements, ignored, warnings)


FILE_LIMIT = 200_000  # bytes of a file holding a notice or a year file


def decode(raw: bytes, where: str) -> str:
    """A file's text, UTF-8 (with or without BOM) or GB18030 as government sites save it."""
    if len(raw) > FILE_LIMIT:
        raise CalendarError(f"{where}太大：节假日安排不超过 {FILE_LIMIT // 1000} KB。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CalendarError(f"{where}不是 UTF-8 或 GB18030 编码的文本。")


def read_year(text: str, *, year: int | None, where: str) -> tuple[YearData, Notice | None]:
    """A year from ``text``: a year file (JSON) as it is, or the notice read by ``parse``.
    Returns the year and the notice as read (None for JSON). The command line and the back
    office both read through here."""
    if text.lstrip().startswith(("{", "[")):
        data = parse_year_text(text, where=where)
        if year is not None and data.year != year:
            raise CalendarError(f"{where}是 {data.year} 年的，不是 {year} 年的。")
        return data, None
    read = parse(text, year=year)
    return read.data, read
