"""Find personal data and classification marks in a text before it is published.

保守国家秘密法第三十五条 requires a 保密审查 of everything an agency is about to publish.
:func:`scan` gives the reviewer the list to check; it does not decide anything and cannot
replace the review itself.

Each finding has a stable ``kind``:

``resident_id``, ``mobile``
    Found and masked by :mod:`gongkai.law.privacy` (``find_resident_ids``, ``find_mobiles``),
    the same finder and masks as the letters and the back office use; docs/law/privacy.md says
    which numbers count and why. In short: an 18-digit 居民身份证号码 with the right check
    character, plain or grouped 6-8-4, or a 15-digit number of the pre-1999 form, with a
    province-level region code and a date of birth that exists; 11-digit mobile numbers, plain
    or grouped 3-4-4, with or without ``+86``.
``bank_card``
    16–19 digits, plain or in groups of four (the last group may be shorter), passing the Luhn
    check. Not reported when the digits are also a valid resident ID (the ID wins), when they
    are a valid 18-digit 统一社会信用代码 (published lists of companies are full of them), or when
    the first digit is 0, 1, 7 or 8 or the first four digits are 2000–2220: no card issuer uses
    those (2221–2720 is Mastercard), while case numbers starting with a year do.
``classification``
    A 密级 mark, see "False positives" below.
``sensitive_word``
    Every occurrence of each configured word, ignoring case and the width of Latin letters
    and digits.

Digit runs: a number is found only as a whole. It must not touch another digit or a Latin
letter on either side (a longer digit run, an attachment name such as ``P020230512345678.pdf``,
a hexadecimal hash), nor continue as a decimal (``12.5``). Full-width digits, letters, ``＋``
and ``－`` count as their ASCII forms, and the ideographic space as a space.

False positives (classification). 绝密, 机密 and 秘密 occur all the time in law text (国家秘密,
商业秘密, 绝密级国家秘密, 数据的机密性), so they are reported only where they stand as a mark:

- followed by ``★`` (with or without a 保密期限: ``秘密★1年``, ``机密★10年``, ``绝密★长期``);
- followed directly by a 保密期限 and not preceded by a Chinese character (``机密 10年``);
- alone in brackets: ``【绝密】``, ``［机密★1年］``, ``(秘密)``, ``（内部）``, ``〔秘密〕``;
- at the start of a line, not followed by a Chinese character, letter or digit
  (``秘密`` on its own line; not ``秘密文件应当…``);
- after a ``密级：`` label.

``内部`` is reported under the same rules (``内部★``, ``【内部】``, a line of its
own, ``密级：内部``) and as ``内部使用`` or ``内部文件`` anywhere, never inside words such as
内部管理 or 内部事务信息. ``内部资料`` and ``工作秘密`` (保密法第六十四条) are reported
anywhere: they are rarely innocent in a text about to go out, and a reviewer can dismiss one at
a glance. The span of a mark is the mark itself, without brackets or label; marks that touch
the same characters are merged into one finding (``工作秘密★1年``).

Overlaps between kinds: a resident ID beats a bank card (an 18-digit run can pass both checks),
a bank card beats a mobile number, numbers beat marks, and marks beat sensitive words; the
loser is dropped, so findings never overlap.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from gongkai.agencies import codes
from gongkai.law import privacy

LABELS = {
    "resident_id": "身份证号",
    "mobile": "手机号",
    "bank_card": "银行卡号",
    "classification": "密级标志",
    "sensitive_word": "敏感词",
}
KINDS = tuple(LABELS)


@dataclass(frozen=True)
class Finding:
    """One thing to check. ``text`` is ``scanned_text[start:end]`` as written; ``masked`` is
    what may be shown or published instead: digits with separators, country code and width
    normalised away for numbers, the text itself for marks and words."""

    kind: str
    text: str
    masked: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    def as_json(self) -> dict[str, str | int]:
        return {
            "kind": self.kind,
            "text": self.text,
            "masked": self.masked,
            "start": self.start,
            "end": self.end,
        }


_BEFORE = privacy.NUMBER_BEFORE  # the same whole-number rule as the ID and mobile finder
_AFTER = privacy.NUMBER_AFTER
# The grouped form swallows every following group of the same separator, so that a longer
# grouped run is seen whole (and rejected by its length) instead of as a card and a remainder.
_BANK_CARD = re.compile(
    _BEFORE
    + r"(?:[0-9]{16,19}"
    + r"|[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,4}(?![0-9]))*)"
    + _AFTER
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PERIOD = r"(?:(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})[ \t]*(?:年|个月)|长期)"
_STARRED = rf"[ \t]*★(?:[ \t]*{_PERIOD})?"
_TAIL = rf"(?:{_STARRED}|[ \t]*{_PERIOD})?"
_LEVEL = r"(?:绝密|机密|秘密|内部)"
_CLASSIFICATION = [
    re.compile(rf"(?P<m>{_LEVEL}{_STARRED})"),
    re.compile(rf"(?<![{_CJK}])(?P<m>(?:绝密|机密|秘密)[ \t]*{_PERIOD})"),
    re.compile(rf"(?<=[【［\[〔(（])(?P<m>{_LEVEL}{_TAIL})[ \t]*(?=[】］\]〕)）])"),
    re.compile(rf"^[ \t]*(?P<m>{_LEVEL}{_TAIL})(?![{_CJK}A-Za-z0-9])", re.MULTILINE),
    re.compile(rf"密级[ \t]*[:：][ \t]*(?P<m>{_LEVEL}{_TAIL})(?![{_CJK}])"),
    re.compile(r"(?P<m>内部资料|工作秘密|内部使用|内部文件)"),
]


def scan(text: str, *, sensitive_words: Iterable[str] = ()) -> list[Finding]:
    """Every finding in ``text``, sorted by position and never overlapping.

    ``sensitive_words``: surrounding whitespace is stripped and empty words are ignored; where
    two words start at the same place the longer one is reported.
    """
    normal = privacy.normalise(text)
    today = dt.date.today()
    findings: list[Finding] = []
    for candidates in (
        _numbers(text, privacy.find_resident_ids(text, today)),
        _bank_cards(text, normal, today),
        _numbers(text, privacy.find_mobiles(text)),
        _classification_marks(text, normal),
        _sensitive_words(text, normal, sensitive_words),
    ):
        findings = _add_without_overlap(findings, candidates)
    return findings


def _add_without_overlap(accepted: list[Finding], candidates: Iterable[Finding]) -> list[Finding]:
    """``accepted`` (sorted, disjoint) and those ``candidates`` that overlap neither it nor an
    earlier kept candidate. Linear: a page of a thousand phone numbers stays fast."""
    kept: list[Finding] = []
    i, last_end = 0, -1
    for candidate in sorted(candidates, key=lambda f: (f.start, -f.end)):
        while i < len(accepted) and accepted[i].end <= candidate.start:
            i += 1
        if i < len(accepted) and accepted[i].start < candidate.end:
            continue
        if candidate.start < last_end:
            continue
        kept.append(candidate)
        last_end = candidate.end
    if not kept:
        return accepted
    return sorted(accepted + kept, key=lambda f: f.start)


def mask_bank_card(digits: str) -> str:
    """``6222***********1234``: the first four and the last four digits."""
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _numbers(text: str, found: Iterable[privacy.Number]) -> Iterator[Finding]:
    for number in found:
        start, end = number.start, number.end
        yield Finding(number.kind, text[start:end], number.masked, start, end)


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _could_be_card(digits: str) -> bool:
    first = digits[0]
    if first in "34569":
        return True
    return first == "2" and 2221 <= int(digits[:4]) <= 2720


def _bank_cards(text: str, normal: str, today: dt.date) -> Iterator[Finding]:
    for match in _BANK_CARD.finditer(normal):
        digits = privacy.digits_of(match.group())
        if not (16 <= len(digits) <= 19 and _could_be_card(digits) and _luhn_ok(digits)):
            continue
        if len(digits) == 18 and (
            privacy.is_resident_id(digits, today) or codes.validate(digits) is None
        ):
            continue
        start, end = match.span()
        yield Finding("bank_card", text[start:end], mask_bank_card(digits), start, end)


def _classification_marks(text: str, normal: str) -> list[Finding]:
    spans = sorted(
        match.span("m") for pattern in _CLASSIFICATION for match in pattern.finditer(normal)
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [
        Finding("classification", text[start:end], text[start:end], start, end)
        for start, end in merged
    ]


def _sensitive_words(text: str, normal: str, words: Iterable[str]) -> Iterator[Finding]:
    pattern = _word_pattern(words)
    if pattern is None:
        return
    for match in pattern.finditer(normal):
        start, end = match.span()
        yield Finding("sensitive_word", text[start:end], text[start:end], start, end)


def _word_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    """One regular expression for all the words, shaped as a trie: with hundreds of words an
    alternation would try each of them at every position."""
    trie: dict[str, dict] = {}
    for word in words:
        word = privacy.normalise(word.strip())
        lower = word.lower()
        if len(lower) == len(word):  # lower() may lengthen a few letters (İ); keep those as given
            word = lower
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return None
    return re.compile(_trie_regex(trie), re.IGNORECASE)


def _trie_regex(node: dict[str, dict]) -> str:
    branches = []
    for char, child in sorted(node.items()):
        if not char:
            continue
        literal = char
        while len(child) == 1 and "" not in child:  # a chain of single letters: one literal
            ((next_char, child),) = child.items()
            literal += next_char
        branches.append(re.escape(literal) + _trie_regex(child))
    if not branches:
        return ""
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if "" in node else group
