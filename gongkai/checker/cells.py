"""A report's cells as the extraction reads them (``_Cells``): normalised text, the values
of a row (a blank, a number, a number with its unit), and the notes of what was read other
than as written. gongkai.checker.extract finds the tables in them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from gongkai.checker.reading import NUMBER, Document, normalise
from gongkai.reports import counting

BLANK_MARKS = {"/", "-", "—", "－", "--", "——", "无", "空", "\\", "／", "–"}
# A number with its unit, as people type it into a cell: 3件, 186000元, 12.5万元.
WITH_UNIT = re.compile(r"^(?P<number>[+\-]?\d[\d,]*(?:\.\d+)?)(?P<unit>万元|元|件|条|个|项|次|宗)$")
# 元 to the 万元 of the tables' one money cell (行政事业性收费): exact, with a note.
YUAN_PER_10K = Decimal(10000)


_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def _norm(cell: str | None) -> str:
    if cell is None:
        return ""
    return normalise(cell).translate(_QUOTES)


class _Cells:
    def __init__(self, document: Document):
        self.raw = document.cells
        self.norm = [_norm(c) for c in document.cells]
        # What was read other than as written, for the findings: (code, message) — a unit
        # converted (VALUE_READ_AS), a label taken by a near match (NEAR_LABEL).
        self.notes: list[tuple[str, str]] = []

    def __len__(self) -> int:
        return len(self.raw)

    def find(self, test, start: int = 0, end: int | None = None) -> int | None:
        end = len(self.raw) if end is None else end
        for index in range(start, end):
            if test(self.norm[index]):
                return index
        return None

    def is_value(self, index: int) -> bool:
        if self.raw[index] is None:
            return True
        text = self.norm[index]
        return bool(NUMBER.match(text) or WITH_UNIT.match(text)) or text in BLANK_MARKS

    def values(self, start: int, count: int, end: int | None = None) -> tuple[list, int]:
        """Up to ``count`` values from ``start``; stops early at a label (the rest are None).
        Returns the values and the index after the last one read."""
        end = len(self.raw) if end is None else end
        values: list = []
        index = start
        while len(values) < count and index < end and self.is_value(index):
            values.append(self._read(index))
            index += 1
        return values + [None] * (count - len(values)), index

    def _read(self, index: int):
        text = self.raw[index] and self.norm[index]
        found = WITH_UNIT.match(text or "")
        if not found:
            return _value(text)
        number, unit = found.group("number").replace(",", ""), found.group("unit")
        if unit == "元":
            value = Decimal(number) / YUAN_PER_10K
            self.notes.append(
                ("VALUE_READ_AS", f"“{text}”按表中的单位万元读作 {counting.decimal_text(value)}")
            )
            return float(value)
        if unit != "万元":
            self.notes.append(("VALUE_READ_AS", f"“{text}”读作 {number}（去掉单位“{unit}”）"))
        return _value(number)


def _value(cell: str | None):
    """A count as an int; something else that is a number (3.5) as written, for the checks to
    report; a blank as None."""
    if not cell:
        return None
    if cell.isdigit():
        return int(cell)
    text = cell.replace(",", "").replace("−", "-").replace("－", "-")
    if not NUMBER.match(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if number == number.to_integral_value() and "." not in text:
        return int(number)
    return float(number)


def _amount(cell):
    if cell is None:
        return None
    return counting.decimal_text(Decimal(str(cell)))
