"""Small helpers on text people type."""

from __future__ import annotations

import re

# A number a clerk typed in front of a line of a list ("1.", "2、", "（3）"): the letters
# number their lists themselves.
ITEM_NUMBER = re.compile(r"^\s*(\d+\s*[.．、)）]|[（(]\s*\d+\s*[)）])\s*")


def without_number(line: str) -> str:
    return ITEM_NUMBER.sub("", line or "").strip()
