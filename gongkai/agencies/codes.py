"""Check digits of the two codes an agency is known by.

- 组织机构代码 (GB 11714-1997): 8 characters of digits or capital letters and a check character
  (0–9 or X), often written with a hyphen before it: ``00001434-9``.
- 统一社会信用代码 (GB 32100-2015): 18 characters over an alphabet without I, O, S, V, Z; the
  9th to 17th characters are the 组织机构代码 body and check, the 18th is its own check.

Government agencies' codes start with ``11`` (机构编制, 机关). The 索引号 of the 目录系统实施指引
uses the organisation code, so both forms are accepted and the 9-character one derived.
"""

from __future__ import annotations

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _org_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(char)


def org_code_check(body: str) -> str:
    """The check character for an 8-character organisation code body."""
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check(body: str) -> str:
    """The check character for the first 17 characters of a 统一社会信用代码."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return code.strip().upper().replace("-", "").replace(" ", "")


def validate(code: str) -> str | None:
    """``None`` if the code is a valid organisation code (9 characters) or 统一社会信用代码
    (18 characters), else a Chinese sentence saying what is wrong."""
    value = normalise(code)
    if len(value) == 9:
        body, check = value[:8], value[8]
        if not all(c.isdigit() or "A" <= c <= "Z" for c in body):
            return "组织机构代码的前 8 位只能是数字或大写字母。"
        if org_code_check(body) != check:
            return f"组织机构代码校验位不符：应为 {org_code_check(body)}。"
        return None
    if len(value) == 18:
        if any(c not in _USCC_ALPHABET for c in value):
            return "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）。"
        if uscc_check(value[:17]) != value[17]:
            return f"统一社会信用代码校验位不符：应为 {uscc_check(value[:17])}。"
        problem = validate(value[8:17])
        if problem:
            return "统一社会信用代码第 9–17 位不是有效的组织机构代码。"
        return None
    return "应为 9 位组织机构代码（可带连字符）或 18 位统一社会信用代码。"


def organisation_code(code: str) -> str:
    """The 9-character organisation code within either form (used in 索引号)."""
    value = normalise(code)
    return value[8:17] if len(value) == 18 else value


def make_uscc(prefix: str, region: str, org_body: str) -> str:
    """Build a valid 统一社会信用代码 (for demo data and tests): ``prefix`` 2 characters,
    ``region`` the 6-digit 行政区划代码, ``org_body`` the 8-character organisation code body."""
    body = prefix + region + org_body + org_code_check(org_body)
    return body + uscc_check(body)
