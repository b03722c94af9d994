"""Reading a ledger workbook: the file checks before openpyxl opens it (an .xls, a renamed
text file, a zip bomb), finding each sheet and its header, and handing each row to the rules of
its sheet (``rows``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from gongkai.core import spreadsheet
from gongkai.ledger.workbook.layout import (
    APPEALS,
    APPLICATIONS,
    DOCUMENTS,
    LAYOUT,
    SHEETS,
    STATISTIC_CODES,
    STATISTIC_ITEMS,
    STATISTICS,
    Ledger,
    LedgerError,
    Problem,
    problem_order,
)
from gongkai.ledger.workbook.rows import _PARSERS, _SPACE, _blank, _Row

MAX_ROWS = 200_000  # rows read per sheet before giving up
HEADER_SEARCH_ROWS = 20  # the header may sit below a title; it is looked for in these rows

_BRACKETS = re.compile(r"（[^）]*）|\([^)]*\)|【[^】]*】|\[[^\]]*\]")


def normalise_header(text: Any) -> str:
    """``收到日期（年-月-日）`` → ``收到日期``: bracketed extra words and all spaces removed."""
    if text is None:
        return ""
    text = _BRACKETS.sub("", str(text))
    return _SPACE.sub("", text).rstrip("*＊:：")


def read(source: str | Path | IO[bytes]) -> Ledger:
    """Read and check a ledger workbook (a path or an open binary file).

    Raises ``LedgerError`` when the file is not an .xlsx workbook; every other fault is a
    ``Problem`` in the result."""
    if not isinstance(source, (str, Path)):
        return _read(source, getattr(source, "name", "") or "")
    path = Path(source)
    if path.is_dir():
        raise LedgerError(f"{path} 是一个文件夹，不是 Excel 文件。")
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise LedgerError(f"找不到文件 {path}。") from None
    except OSError as exc:
        raise LedgerError(f"无法读取文件 {path}：{exc.strerror or exc}。") from None
    # Opened here rather than by openpyxl, which judges a path by its extension.
    with handle:
        return _read(handle, str(path))


def _read(handle: IO[bytes], name: str) -> Ledger:
    import openpyxl

    check_signature(handle, name)
    _check_expansion(handle, name)
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise LedgerError(
            f"{_named(name)}无法作为 Excel 工作簿（.xlsx）读取：文件可能已损坏，或者不是 .xlsx 格式"
            f"（{type(exc).__name__}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"
        ) from None

    ledger = Ledger(source=name)
    try:
        found: dict[str, Any] = {}
        for worksheet in workbook.worksheets:
            key = normalise_header(worksheet.title)
            if key in LAYOUT and key not in found:
                found[key] = worksheet
        if APPLICATIONS not in found:
            titles = "、".join(ws.title for ws in workbook.worksheets) or "无"
            ledger.problems.append(
                Problem(
                    APPLICATIONS,
                    None,
                    "",
                    f"缺少工作表“{APPLICATIONS}”（本文件中的工作表：{titles}）。",
                )
            )
        for sheet in SHEETS:
            if sheet not in found:
                ledger.sheets[sheet] = None
                if sheet != APPLICATIONS:
                    ledger.notes.append(
                        Problem(sheet, None, "", f"没有工作表“{sheet}”，相应表格不作统计。", "info")
                    )
                continue
            _read_sheet(ledger, sheet, found[sheet])
    finally:
        workbook.close()
    return ledger


def _named(name: str) -> str:
    return f"文件 {Path(name).name} " if name else "该文件"


MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a real ledger of 100,000 rows unpacks to ~40 MB
MAX_RATIO = 200  # XML compresses well, but not a thousandfold


def _check_expansion(handle: IO[bytes], name: str) -> None:
    """Refuse a workbook that would unpack to far more than any ledger (a "zip bomb") before
    openpyxl reads it into memory."""
    sizes = spreadsheet.zip_sizes(handle)
    if sizes is None:
        return  # not a zip at all: openpyxl's own error message explains it
    unpacked, packed = sizes
    if spreadsheet.too_expanded(
        unpacked, packed, max_bytes=MAX_UNPACKED_BYTES, max_ratio=MAX_RATIO
    ):
        raise LedgerError(
            f"{_named(name)}解压后有 {unpacked // (1024 * 1024)} MB，远大于任何台账，"
            "可能已损坏或被篡改，未读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"
        )


def check_signature(handle: IO[bytes], name: str) -> None:
    """Tell an old .xls, a renamed text file or an empty file apart before openpyxl tries."""
    try:
        position = handle.tell()
        head = handle.read(8)
        handle.seek(position)
    except OSError as exc:
        raise LedgerError(f"无法读取{_named(name)}：{exc.strerror or exc}。") from None
    kind = spreadsheet.signature(head)
    if kind == spreadsheet.EMPTY:
        raise LedgerError(f"{_named(name)}是空文件。")
    if kind == spreadsheet.XLS:
        raise LedgerError(
            f"{_named(name)}是旧版 Excel 97-2003 格式（.xls）。"
            "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再试。"
        )
    if kind != spreadsheet.ZIP:
        raise LedgerError(
            f"{_named(name)}不是 Excel 工作簿（.xlsx）：内容不是 Excel 格式"
            "（可能是改了扩展名的文本、CSV 或其他文件）。"
        )


def _rows(sheet: str, worksheet) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, values) for each row, with openpyxl's failures on a damaged sheet
    turned into a LedgerError."""
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
    iterator = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # a damaged sheet: zip, XML or value errors from openpyxl
            raise LedgerError(
                f"工作表“{sheet}”第 {number + 1} 行附近的数据已损坏，无法读取"
                f"（{type(exc).__name__}）。请用 Excel 打开后另存为 .xlsx 再试。"
            ) from None
        number += 1
        yield number, values


def _read_sheet(ledger: Ledger, sheet: str, worksheet) -> None:
    columns = LAYOUT[sheet]
    names = [c.name for c in columns]
    positions: dict[str, int] = {}
    header_row = None
    parse = _PARSERS[sheet]
    seen = 0
    unique = _UNIQUE.get(sheet)  # the column no two rows may share
    keys: dict[str, list[int]] = {}  # its values → the rows that hold them, good or bad
    rows = _rows(sheet, worksheet)
    for number, values in rows:
        if header_row is None:
            headers = [normalise_header(v) for v in values]
            if sum(1 for n in names if n in headers) < 2:
                if number >= HEADER_SEARCH_ROWS:
                    break
                continue
            header_row = number
            for index, header in enumerate(headers):
                if header not in names:
                    continue
                if header in positions:
                    ledger.problems.append(
                        Problem(
                            sheet,
                            None,
                            header,
                            f"第 {number} 行的表头中有两列都是“{header}”"
                            f"（{_letter(positions[header])} 列和 {_letter(index)} 列），"
                            "请删去或改名其中一列。",
                        )
                    )
                else:
                    positions[header] = index
            missing = [c.name for c in columns if c.name not in positions and not c.optional]
            if missing:
                ledger.problems.append(
                    Problem(
                        sheet,
                        None,
                        missing[0],
                        f"表头（第 {number} 行）缺少"
                        + "、".join(f"“{m}”" for m in missing)
                        + "列。",
                    )
                )
            if missing or any(p.sheet == sheet and p.row is None for p in ledger.problems):
                break
            continue
        if number - header_row > MAX_ROWS:
            ledger.problems.append(
                Problem(
                    sheet,
                    None,
                    "",
                    f"数据超过 {MAX_ROWS} 行，只读到第 {number - 1} 行为止。"
                    "若表中有大量空白行，请删除后再试；若台账确实这样大，请按年度拆分。",
                )
            )
            break
        cells = {name: (values[i] if i < len(values) else None) for name, i in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        if parse(ledger, _Row(sheet, number, cells, ledger)) is False:
            continue  # a row that holds no data
        seen += 1
        if unique is not None and not _blank(cells[unique]):
            key = _SPACE.sub("", spreadsheet.cell_text(cells[unique]))
            keys.setdefault(STATISTIC_CODES.get(key, key), []).append(number)
    if header_row is None and not any(p.sheet == sheet for p in ledger.problems):
        _no_header(ledger, sheet, names)
    ledger.sheets[sheet] = seen
    _check_unique(ledger, sheet, unique, keys)


def _no_header(ledger: Ledger, sheet: str, names: list[str]) -> None:
    ledger.problems.append(
        Problem(
            sheet,
            None,
            "",
            f"前 {HEADER_SEARCH_ROWS} 行中找不到表头：表头应包含"
            + "、".join(f"“{n}”" for n in names)
            + "。",
        )
    )


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


_UNIQUE = {APPLICATIONS: "编号", APPEALS: "编号", STATISTICS: "项目"}
_ROWS_OF = {
    APPLICATIONS: "applications",
    APPEALS: "appeals",
    DOCUMENTS: "documents",
    STATISTICS: "statistics",
}


def _check_unique(ledger: Ledger, sheet: str, column: str | None, keys: dict) -> None:
    """Rows that share a number are all bad: which of them is right cannot be told."""
    duplicated = {key: rows for key, rows in keys.items() if len(rows) > 1}
    if not duplicated:
        return
    bad = set()
    for key, rows in duplicated.items():
        where = "、".join(str(r) for r in rows)
        label = dict(STATISTIC_ITEMS).get(key, key)
        for row in rows:
            bad.add(row)
            ledger.problems.append(
                Problem(sheet, row, column, f"{column}“{label}”重复出现（第 {where} 行）。")
            )
    good = getattr(ledger, _ROWS_OF[sheet])
    good[:] = [r for r in good if r.row not in bad]
    ledger.problems.sort(key=problem_order)
