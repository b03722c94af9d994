"""What is done to a row of table 三 that came out of a page broken: figures run together
(their cuts by the row's total) and labels a character off (edit distance). Pure functions;
gongkai.checker.extract applies them (docs/checker.md)."""

from __future__ import annotations

import re

# The figures of a row of table 三 with the separators lost (a copy of a web page): one run
# of digits, at the end of the label's cell or in a cell of its own.
RUN_OF_DIGITS = re.compile(r"(\d{7,40})$")
# How many readings of a run are listed when more than one fits.
MAX_CANDIDATES = 5
# The most cuts tried for one run (a row of real figures needs a few hundred at most).
SPLIT_BUDGET = 50_000


def _lost_separators(values: list) -> bool:
    return all(v is None for v in values) or (
        isinstance(values[0], int) and values[0] >= 10**6 and all(v is None for v in values[1:])
    )


def splits_of(digits: str, parts: int = 7, limit: int = MAX_CANDIDATES + 1) -> list[list[int]]:
    """Every way (at most ``limit``) to cut ``digits`` into ``parts`` numbers, none with a
    leading zero but 0 itself, whose first ``parts - 1`` add up to the last: the row of table
    三, whose 总计 column is the sum of the six applicant columns."""
    found: list[list[int]] = []
    n = len(digits)
    # A bound on the work for a hostile run of digits: past it, the readings found so far and
    # one more that stands for "and others", so that a long run is UNCERTAIN, not slow.
    budget = [SPLIT_BUDGET]

    def walk(prefix: str, pos: int, chosen: list[int], total: int, target: int) -> None:
        budget[0] -= 1
        if len(found) >= limit or budget[0] < 0:
            return
        left = parts - 1 - len(chosen)
        if left == 0:
            if pos == len(prefix) and total == target:
                found.append([*chosen, target])
            return
        for length in range(1, len(prefix) - pos - left + 2):
            piece = prefix[pos : pos + length]
            if len(piece) > 1 and piece[0] == "0":
                break
            value = int(piece)
            if total + value > target:
                break
            walk(prefix, pos + length, [*chosen, value], total + value, target)

    for last_length in range(1, n - parts + 2):
        last = digits[n - last_length :]
        if len(last) > 1 and last[0] == "0":
            continue
        walk(digits[: n - last_length], 0, [], 0, int(last))
    while budget[0] < 0 and len(found) < 2:
        found.append([])  # not all tried: never "the one reading"
    return found


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it exceeds it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


# A label typed with one character wrong, missing or extra is still its row (labels of six
# characters or more: shorter ones are too alike, 予以公开 and 部分公开).
FUZZY_MIN_LENGTH = 6
