"""Reading a file of the old website's catalog: CSV (UTF-8, UTF-8 with BOM, GB18030) or .xlsx,
within size, row and zip-expansion limits, into rows of cells; dates and categories as written
by people. ``gongkai.catalog.importer`` checks and imports the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from pathlib import Path

from gongkai.agencies.models import Agency
from gongkai.catalog import services
from gongkai.core import spreadsheet

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # an .xlsx that unpacks to more is refused unread
MAX_RATIO = 200
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is allowed
EARLIEST_YEAR = 1949

# Column → the headers that name it (after ``_header``: no spaces, no bracketed notes).
COLUMNS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "索引编号"),
    "title": ("名称", "标题", "信息名称", "文件名称", "题名"),
    "document_number": ("文号", "发文字号", "发文文号", "文件编号"),
    "publisher": ("发布机构", "发文机关", "发布单位", "发文单位"),
    "topic": ("主题分类", "分类"),
    "category": ("类别", "公开类别", "目录类别", "信息类别", "法定主动公开内容类别"),
    "kind": ("文件类型", "文种", "信息类型", "体裁分类"),
    "written_on": ("成文日期", "生成日期", "产生日期", "签发日期"),
    "published_on": ("发布日期", "公开日期", "发布时间"),
    "validity": ("有效性", "时效", "效力", "时效性"),
    "validity_changed_on": ("废止日期", "修改日期", "失效日期", "废止或修改日期"),
    "summary": ("内容概述", "摘要", "概述", "内容摘要"),
    "keywords": ("主题词", "关键词"),
    "body": ("正文", "内容", "全文"),
    "source_url": ("链接", "原网址", "网址", "原链接", "url", "原文链接"),
}


class ImportFileError(Exception):
    """The file cannot be read at all; the message says why, in Chinese."""


def _header(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"（[^）]*）|\([^)]*\)|【[^】]*】|\[[^\]]*\]", "", text)
    return re.sub(r"\s+", "", text).rstrip("*:：").lower()


_HEADER_TO_COLUMN = {name.lower(): column for column, names in COLUMNS.items() for name in names}


def read_table(content: bytes) -> list[tuple[int, list]]:
    """(row number, cells) for every row of the file, header included. Raises ImportFileError."""
    kind = spreadsheet.signature(content)
    if kind == spreadsheet.EMPTY:
        raise ImportFileError("文件是空的。")
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请分成几个文件导入。"
        )
    if kind == spreadsheet.XLS:
        raise ImportFileError(
            "这是旧版 Excel 97-2003 格式（.xls）。"
            "请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV 再导入。"
        )
    if kind == spreadsheet.ZIP:
        return _read_xlsx(content)
    return _read_csv(content)


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (which includes GBK and GB2312)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别文件的编码：CSV 文件应为 UTF-8 或 GB18030（GBK）编码。")


def _read_csv(content: bytes) -> list[tuple[int, list]]:
    text = decode(content)
    if "\x00" in text:
        raise ImportFileError(
            "文件不是 CSV 文本（含有二进制内容）。请导出为 CSV 或 .xlsx 后再导入。"
        )
    # The separator is the one the first line (the header, or a title above it) uses most:
    # a comma, or a tab as some systems export "CSV".
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(f"CSV 文件格式有误：{exc}。") from None
    return [(number, cells) for number, cells in enumerate(rows, start=1)]


def _read_xlsx(content: bytes) -> list[tuple[int, list]]:
    import openpyxl

    handle = io.BytesIO(content)
    sizes = spreadsheet.zip_sizes(handle)
    if sizes is None:
        raise ImportFileError("文件不是有效的 .xlsx 工作簿（可能已损坏）。")
    if spreadsheet.too_expanded(*sizes, max_bytes=MAX_UNPACKED_BYTES, max_ratio=MAX_RATIO):
        raise ImportFileError("工作簿解压后过大，可能已损坏或被篡改，未读取。")
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(
            f"无法作为 Excel 工作簿（.xlsx）读取（{type(exc).__name__}）。"
            "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(values)))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS + 1:
                break
        return rows
    except Exception as exc:  # a damaged sheet
        raise ImportFileError(f"工作簿的数据已损坏，无法读取（{type(exc).__name__}）。") from None
    finally:
        workbook.close()


def parse_date(value) -> tuple[dt.date | None, str]:
    """A cell → (date, "") or (None, why not). Full-width digits are read as digits; a time of
    day after the date may follow any spaces (or none) but not a T."""
    day, why = spreadsheet.parse_date(value, time=spreadsheet.SPACED_TIME, nfkc=True)
    if why == spreadsheet.NO_SUCH_DAY:
        return None, "没有这一天"
    if day is None:
        return None, "不是日期（请写成 2024-01-05 或 2024年1月5日）"
    if day.year < EARLIEST_YEAR:
        return None, f"年份早于 {EARLIEST_YEAR} 年"
    if day > services.today():
        return None, "晚于今天"
    return day, ""


def category_lookup(agency: Agency) -> dict[str, str]:
    """Every way a file may name one of the agency's categories → its key."""
    table: dict[str, str] = {}
    for found in agency.proactive_categories:
        for name in (found.key, found.title, found.number, *found.other_names):
            table[_category_name(name)] = found.key
    return table


def _category_name(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()  # （七） → (七)
    return re.sub(r"[\s()（）、，,。]", "", text)


def read_file(path: str | Path) -> bytes:
    path = Path(path)
    if path.is_dir():
        raise ImportFileError(f"{path} 是一个文件夹，不是要导入的文件。")
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ImportFileError(f"找不到文件 {path}。") from None
    except OSError as exc:
        raise ImportFileError(f"无法读取文件 {path}：{exc.strerror or exc}。") from None
    return content
