"""The outcomes of an application: the 21 leaf rows of table 三 of the annual report (format
2021, 国办公开办函〔2021〕30号; docs/annual-report-data.md), each with the article it rests on.

Plain Python: the ledger reader and the annual report use the same list. The keys are those of
annual-report-data.md and never change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    key: str
    group: str  # （一）予以公开 … （六）其他处理
    label: str  # the row's label as printed in the table, without its number
    basis: str  # the legal basis a reply letter cites by default
    withheld: bool = False  # a 不予公开 decision, whole or in part: 复议前置 (行政复议法第二十三条)
    needs_reason: bool = True  # the reply must state reasons (every outcome but full disclosure)

    @property
    def title(self) -> str:
        return self.label if self.group == self.label else f"{self.group}：{self.label}"


GROUPS = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]

OUTCOMES: list[Outcome] = [
    Outcome(
        "granted",
        "予以公开",
        "予以公开",
        "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
        needs_reason=False,
    ),
    Outcome(
        "partially_granted",
        "部分公开",
        "部分公开",
        "《中华人民共和国政府信息公开条例》第三十七条",
        withheld=True,
    ),
    Outcome(
        "withheld_state_secret",
        "不予公开",
        "属于国家秘密",
        "《中华人民共和国政府信息公开条例》第十四条",
        withheld=True,
    ),
    Outcome(
        "withheld_prohibited_by_law",
        "不予公开",
        "其他法律行政法规禁止公开",
        "《中华人民共和国政府信息公开条例》第十四条",
        withheld=True,
    ),
    Outcome(
        "withheld_security_stability",
        "不予公开",
        "危及“三安全一稳定”",
        "《中华人民共和国政府信息公开条例》第十四条",
        withheld=True,
    ),
    Outcome(
        "withheld_third_party",
        "不予公开",
        "保护第三方合法权益",
        "《中华人民共和国政府信息公开条例》第十五条",
        withheld=True,
    ),
    Outcome(
        "withheld_internal_affairs",
        "不予公开",
        "属于三类内部事务信息",
        "《中华人民共和国政府信息公开条例》第十六条第一款",
        withheld=True,
    ),
    Outcome(
        "withheld_process_information",
        "不予公开",
        "属于四类过程性信息",
        "《中华人民共和国政府信息公开条例》第十六条第二款",
        withheld=True,
    ),
    Outcome(
        "withheld_enforcement_files",
        "不予公开",
        "属于行政执法案卷",
        "《中华人民共和国政府信息公开条例》第十六条第二款",
        withheld=True,
    ),
    # The regulation names no article for 行政查询事项 (regulation.md §1.8): the clerk must
    # write the basis (the law that governs the enquiry), so no default is offered.
    Outcome("withheld_administrative_query", "不予公开", "属于行政查询事项", "", withheld=True),
    Outcome(
        "unable_not_held",
        "无法提供",
        "本机关不掌握相关政府信息",
        "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    ),
    Outcome(
        "unable_needs_creation",
        "无法提供",
        "没有现成信息需要另行制作",
        "《中华人民共和国政府信息公开条例》第三十八条",
    ),
    Outcome(
        "unable_unclear_after_correction",
        "无法提供",
        "补正后申请内容仍不明确",
        "《中华人民共和国政府信息公开条例》第三十条",
    ),
    Outcome(
        "declined_petition",
        "不予处理",
        "信访举报投诉类申请",
        "《中华人民共和国政府信息公开条例》第三十九条第一款",
    ),
    Outcome(
        "declined_repeated",
        "不予处理",
        "重复申请",
        "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    ),
    Outcome(
        "declined_publication",
        "不予处理",
        "要求提供公开出版物",
        "《中华人民共和国政府信息公开条例》第三十九条第二款",
    ),
    Outcome(
        "declined_excessive",
        "不予处理",
        "无正当理由大量反复申请",
        "《中华人民共和国政府信息公开条例》第三十五条",
    ),
    Outcome(
        "declined_confirmation",
        "不予处理",
        "要求行政机关确认或重新出具已获取信息",
        "《中华人民共和国政府信息公开条例》第三十六条",
    ),
    Outcome(
        "other_no_correction",
        "其他处理",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "《中华人民共和国政府信息公开条例》第三十条",
    ),
    Outcome(
        "other_unpaid_fee",
        "其他处理",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    ),
    Outcome("other_other", "其他处理", "其他", ""),
]

BY_KEY: dict[str, Outcome] = {o.key: o for o in OUTCOMES}

# What the ledger accepts besides the keys and the printed labels (ledger.md).
ALIASES = {
    "逾期不补正": "other_no_correction",
    "逾期未缴费": "other_unpaid_fee",
}


def lookup(text: str) -> Outcome | None:
    """The outcome a key, a printed label (with or without its number) or an alias stands for."""
    text = (text or "").strip()
    if text in BY_KEY:
        return BY_KEY[text]
    if text in ALIASES:
        return BY_KEY[ALIASES[text]]
    bare = text.lstrip("0123456789.．、（）()一二三四五六七")
    for outcome in OUTCOMES:
        if bare in (outcome.label, outcome.title):
            return outcome
    # The long 其他处理 labels are written with "，" as often as with "、" (regulation.md §2.3).
    bare = bare.replace("，", "、")
    return next((o for o in OUTCOMES if o.label == bare), None)


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form's select: (group, [(key, label), …])."""
    return [(g, [(o.key, o.label) for o in OUTCOMES if o.group == g]) for g in GROUPS]


assert len(OUTCOMES) == 21
