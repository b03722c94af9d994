"""How an application can end: the outcomes a reply can state, each with the article it rests
on, the reply letter it takes, the remedy clause that letter carries and what must be true
before it can be chosen; and the rows of table 三 of the annual report (format 2021,
国办公开办函〔2021〕30号) they are counted in. docs/law/outcomes.md explains each.

Plain Python: the case file, the letters, the ledger reader, the annual report and the
checker read the same list. The keys are those of docs/annual-report-data.md and never change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
# 第三十六条第（三）项: a refusal is answered by saying so with reasons; cited beside the article
# the refusal rests on.
REFUSAL_REPLY = "、第三十六条第（三）项"

# What must hold of a case before an outcome can be chosen (checked by the case service).
IN_PROGRESS = "in_progress"  # the case is being handled: no 补正 or fee awaited
CORRECTION_LAPSED = "correction_lapsed"  # 补正 awaited and its deadline passed (第三十条)
FEE_LAPSED = "fee_lapsed"  # a fee awaited and its payment period passed (109号)
CORRECTED = "corrected"  # the applicant has sent the correction (第三十条)
# 第三十五条: the applicant was asked for reasons and the office judged them unreasonable, or
# none came by the date it set (docs/law/excessive.md).
REASONS_UNREASONABLE = "reasons_unreasonable"

# What the reply must state beyond its reasons (the case form asks for them).
WITHHELD_PART = "withheld_part"  # which parts are withheld, and on which ground (第三十七条)
RESPONSIBLE_AGENCY = "responsible_agency"  # who publishes it, where known (第三十六条第（五）项)
# The law or regulation that sets how the information is obtained (第三十六条第（七）项), named
# in the basis beside the 条例.
SPECIAL_LAW = "special_law"


@dataclass(frozen=True)
class Outcome:
    key: str
    group: str  # （一）予以公开 … （六）其他处理
    label: str  # the outcome as the case file and the letter name it
    basis: str  # the legal basis a reply letter cites by default; "" when the clerk must write it
    letter: str  # the reply letter it takes (a key of letters.models.Kind)
    # A refusal to disclose under 第十四条、第十五条 or 第十六条: the applicant must first apply
    # for administrative reconsideration before going to court (复议前置, 行政复议法第二十三条第一
    # 款第（四）项). See ``review_first`` for 部分公开.
    refusal: bool = False
    needs_reason: bool = True  # the reply must state reasons (every outcome but full disclosure)
    requires: str = IN_PROGRESS
    asks: tuple[str, ...] = ()
    # The row of table 三 it is counted in, when not its own (two outcomes share a row), and
    # that row's printed label when it differs from ``label``.
    row: str = ""
    row_label: str = ""
    note: str = field(default="", compare=False)  # what the clerk is told when choosing it
    # The decision as a reply letter states it, in the words of the article (the table's row
    # labels are a report's shorthand: "四类过程性信息" is not the law's open list); the label
    # when empty.
    wording: str = ""

    @property
    def row_key(self) -> str:
        return self.row or self.key

    @property
    def table_label(self) -> str:
        return self.row_label or self.label

    @property
    def title(self) -> str:
        return self.label if self.group == self.label else f"{self.group}：{self.label}"


GROUPS = ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]

OUTCOMES: list[Outcome] = [
    Outcome(
        "granted",
        "予以公开",
        "予以公开",
        f"{REGULATION}第三十六条第（一）项、第（二）项",
        "reply_granted",
        needs_reason=False,
    ),
    Outcome(
        "partially_granted",
        "部分公开",
        "部分公开",
        f"{REGULATION}第三十七条",
        "reply_partial",
        asks=(WITHHELD_PART,),
    ),
    Outcome(
        "withheld_state_secret",
        "不予公开",
        "属于国家秘密",
        f"{REGULATION}第十四条{REFUSAL_REPLY}",
        "reply_withheld",
        refusal=True,
    ),
    Outcome(
        "withheld_prohibited_by_law",
        "不予公开",
        "其他法律行政法规禁止公开",
        f"{REGULATION}第十四条{REFUSAL_REPLY}",
        "reply_withheld",
        refusal=True,
        asks=(SPECIAL_LAW,),
        note="依据中须写明禁止公开该信息的法律、行政法规及其条文。",
        wording="属于法律、行政法规禁止公开的政府信息",
    ),
    Outcome(
        "withheld_security_stability",
        "不予公开",
        "危及“三安全一稳定”",
        f"{REGULATION}第十四条{REFUSAL_REPLY}",
        "reply_withheld",
        refusal=True,
        wording="公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    ),
    Outcome(
        "withheld_third_party",
        "不予公开",
        "保护第三方合法权益",
        f"{REGULATION}第十五条{REFUSAL_REPLY}",
        "reply_withheld",
        refusal=True,
        wording="公开会损害第三方合法权益",
    ),
    Outcome(
        "withheld_internal_affairs",
        "不予公开",
        "属于三类内部事务信息",
        f"{REGULATION}第十六条第一款{REFUSAL_REPLY}",
        "reply_withheld",
        refusal=True,
        wording="属于人事管理、后勤管理、内部工作流程等方面的内部事务信息",
    ),
    Outcome(
        "withheld_process_information",
        "不予公开",
        "属于四类过程性信息",
        f"{REGULATION}第十六条第二款{REFUSAL_REPLY}",
        "reply_withheld",
        refusal=True,
        wording="属于讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    ),
    Outcome(
        "withheld_enforcement_files",
        "不予公开",
        "属于行政执法案卷",
        f"{REGULATION}第十六条第二款{REFUSAL_REPLY}",
        "reply_withheld",
        refusal=True,
        wording="属于行政执法案卷信息",
    ),
    # Counted under 不予公开 in table 三, but not a refusal: the applicant is told to obtain the
    # information under the law that governs it (工商、不动产登记资料 …), so the letter is a
    # referral and carries the two-route remedy clause. The clerk adds that law to the basis.
    Outcome(
        "withheld_administrative_query",
        "不予公开",
        "属于行政查询事项",
        f"{REGULATION}第三十六条第（七）项",
        "reply_referral",
        asks=(SPECIAL_LAW,),
        note="依据中须写明对信息获取有特别规定的法律、行政法规（如《不动产登记暂行条例》）。",
    ),
    # 第三十六条第（四）项 and 第（五）项: two answers with their own letters, one row of table 三.
    Outcome(
        "unable_not_exist",
        "无法提供",
        "该政府信息不存在",
        f"{REGULATION}第三十六条第（四）项",
        "reply_not_exist",
        row="unable_not_held",
        row_label="本机关不掌握相关政府信息",
        note="经检索没有所申请公开的信息。",
    ),
    Outcome(
        "unable_not_held",
        "无法提供",
        "不属于本机关负责公开",
        f"{REGULATION}第三十六条第（五）项",
        "reply_not_held",
        asks=(RESPONSIBLE_AGENCY,),
        row_label="本机关不掌握相关政府信息",
        note="能够确定负责公开的行政机关的，须告知其名称和联系方式。",
    ),
    Outcome(
        "unable_needs_creation",
        "无法提供",
        "没有现成信息需要另行制作",
        f"{REGULATION}第三十八条",
        "reply_unable",
        wording="需要本机关对现有政府信息进行加工、分析",
    ),
    Outcome(
        "unable_unclear_after_correction",
        "无法提供",
        "补正后申请内容仍不明确",
        f"{REGULATION}第二十九条第二款第（二）项、第三十条",
        "reply_unable",
        requires=CORRECTED,
    ),
    Outcome(
        "declined_petition",
        "不予处理",
        "信访举报投诉类申请",
        f"{REGULATION}第三十九条第一款",
        "reply_declined",
        wording="以政府信息公开申请的形式进行信访、投诉、举报等活动，不作为政府信息公开申请处理",
    ),
    Outcome(
        "declined_repeated",
        "不予处理",
        "重复申请",
        f"{REGULATION}第三十六条第（六）项",
        "reply_declined",
        wording="重复申请公开本机关已答复的相同政府信息，不予重复处理",
    ),
    Outcome(
        "declined_publication",
        "不予处理",
        "要求提供公开出版物",
        f"{REGULATION}第三十九条第二款",
        "reply_declined",
        wording="要求提供政府公报、报刊、书籍等公开出版物",
    ),
    Outcome(
        "declined_excessive",
        "不予处理",
        "无正当理由大量反复申请",
        f"{REGULATION}第三十五条",
        "reply_declined",
        requires=REASONS_UNREASONABLE,
        note="须先要求申请人说明理由，并认定理由不合理或申请人逾期未说明（条例第三十五条）。",
        wording="申请公开政府信息的数量、频次明显超过合理范围，且未能说明合理理由",
    ),
    # The 条例 has no item for it: a request to confirm, or issue again, information already
    # obtained asks for no existing record (第二条 defines 政府信息 as information recorded and
    # kept); docs/law/outcomes.md says why this basis and not 第三十六条.
    Outcome(
        "declined_confirmation",
        "不予处理",
        "要求行政机关确认或重新出具已获取信息",
        f"{REGULATION}第二条",
        "reply_declined",
    ),
    Outcome(
        "other_no_correction",
        "其他处理",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        f"{REGULATION}第三十条",
        "reply_other",
        requires=CORRECTION_LAPSED,
        wording="您无正当理由逾期未补正，视为放弃申请，本机关不再处理您的政府信息公开申请",
    ),
    Outcome(
        "other_unpaid_fee",
        "其他处理",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        f"{FEE_MEASURES}第七条",
        "reply_other",
        requires=FEE_LAPSED,
        wording="您逾期未缴纳信息处理费，视为放弃申请，本机关不再处理您的政府信息公开申请",
    ),
    Outcome("other_other", "其他处理", "其他", "", "reply_other"),
]

BY_KEY: dict[str, Outcome] = {o.key: o for o in OUTCOMES}

# The rows of table 三 (format 2021), in the table's order: one per outcome, except that
# 第三十六条第（四）项 and 第（五）项 share "本机关不掌握相关政府信息".
ROWS: list[Outcome] = [o for o in OUTCOMES if o.row_key == o.key]
ROW_KEYS: list[str] = [o.key for o in ROWS]


def row_of(outcome_key: str) -> str:
    """The row of table 三 an outcome is counted in."""
    return BY_KEY[outcome_key].row_key


# The outcomes whose reply gives the applicant information (予以公开, 部分公开): their letters
# say how, where and when (第三十六条第（一）（二）项, 第四十条).
DISCLOSING: tuple[str, ...] = tuple(o.key for o in OUTCOMES if o.group in GROUPS[:2])
# The item of 第三十六条 a disclosure rests on: already published (第（一）项) or provided now
# (第（二）项); the default basis of 予以公开 cites both until one is chosen.
ALREADY_PUBLISHED_ITEM = "第三十六条第（一）项"
PROVIDED_ITEM = "第三十六条第（二）项"
BOTH_DISCLOSURE_ITEMS = "第三十六条第（一）项、第（二）项"


# 第三十三条第一款: "行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。" The outcomes
# a clerk can give at the counter, the day the application is made in person or orally, because
# they rest on facts the office can check at once and need no earlier step of the case:
# - 予以公开 only of information already published (第三十六条第（一）项: the applicant is told
#   where to obtain it); information not yet public goes through the review before release
#   (第十七条), which cannot be done on the spot, and so does 部分公开;
# - 该政府信息不存在 and 不属于本机关负责公开 (第三十六条第（四）项、第（五）项): the office's own
#   records say at once whether it makes or keeps the information;
# - 行政查询事项 (第三十六条第（七）项) and 公开出版物 (第三十九条第二款): the request shows it;
# - 重复申请 (第三十六条第（六）项): the case list shows the earlier reply.
# Not on the spot: the refusals of 第十四条至第十六条 (a considered decision that the applicant
# may only challenge by reconsideration first), the outcomes that wait for an earlier step
# (补正, 收费, 说明理由: ``Outcome.requires``), and those that judge the request itself
# (信访举报投诉, 需要另行制作, 确认已获取信息, 其他), which are answered in writing in the period.
ON_THE_SPOT: tuple[str, ...] = (
    "granted",
    "unable_not_exist",
    "unable_not_held",
    "withheld_administrative_query",
    "declined_publication",
    "declined_repeated",
)
# The only way a disclosing outcome is given on the spot: already published.
ON_THE_SPOT_DISCLOSURE_ITEM = ALREADY_PUBLISHED_ITEM


@dataclass(frozen=True)
class Ground:
    """What the withheld part of a partial disclosure rests on (第三十七条: content that must
    not be disclosed, or that is not government information)."""

    key: str
    label: str  # short, for the form (the label of its row of table 三)
    basis: str
    refusal: bool  # a refusal under 第十四条至第十六条: 复议前置 for the withheld part
    wording: str = ""  # how a letter states it, in the words of the article

    @property
    def text(self) -> str:
        return self.wording or self.label


WITHHELD_GROUNDS: list[Ground] = [
    # The article the withheld part rests on; 第三十六条第（三）项 (the form of a refusal) is the
    # reply's, not the part's.
    *(
        Ground(o.key, o.label, o.basis.removesuffix(REFUSAL_REPLY), True, o.wording)
        for o in OUTCOMES
        if o.refusal
    ),
    Ground("not_information", "不属于政府信息", f"{REGULATION}第二条、第三十七条", False),
]
GROUNDS_BY_KEY: dict[str, Ground] = {g.key: g for g in WITHHELD_GROUNDS}
# A partial disclosure may withhold several parts, each on its own ground (第三十七条); a bound
# on how many one reply lists, not a rule of the law.
MAX_WITHHELD_PARTS = 6
# 不予公开 decisions rest on these articles of the 条例 alone (复议前置 follows them).
REFUSAL_ARTICLES = ("第十四条", "第十五条", "第十六条")


def review_first(outcome: Outcome, grounds: Iterable[Ground | None] = ()) -> bool:
    """Whether the reply must tell the applicant to apply for reconsideration before going to
    court (复议前置, 行政复议法第二十三条第一款第（四）项, 法释〔2025〕8号第一条): a refusal under
    第十四条、第十五条、第十六条; a partial disclosure only when a part withheld rests on one of
    them (``grounds``, what each withheld part rests on)."""
    if WITHHELD_PART in outcome.asks:
        return any(ground is not None and ground.refusal for ground in grounds)
    return outcome.refusal


# What the ledger accepts besides the keys and the printed labels (docs/ledger.md).
ALIASES = {
    "逾期不补正": "other_no_correction",
    "逾期未缴费": "other_unpaid_fee",
}


def cited_refusal_articles(basis: str) -> list[str]:
    """The articles of the 条例 among 第十四条至第十六条 that a basis cites. An article cited
    after the title of another law (《中华人民共和国档案法》第十五条) is that law's, not the
    条例's; an article with no title before it is the 条例's."""
    found = []
    law = REGULATION[1:-1]
    for piece in re.split(r"(《[^》]+》)", basis or ""):
        if piece.startswith("《"):
            law = piece[1:-1]
            continue
        if law != REGULATION[1:-1]:
            continue
        found += [a for a in REFUSAL_ARTICLES if a in piece and a not in found]
    return found


def names_special_law(basis: str) -> bool:
    """Whether a basis names a law or regulation besides the 条例 (第三十六条第（七）项)."""
    return any(name != REGULATION[1:-1] for name in re.findall(r"《([^》]+)》", basis or ""))


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
    # A row's printed label stands for the outcome that is the row.
    for outcome in ROWS:
        if bare in (outcome.table_label, f"{outcome.group}：{outcome.table_label}"):
            return outcome
    # The long 其他处理 labels are written with "，" as often as with "、" in published tables.
    bare = bare.replace("，", "、")
    return next((o for o in OUTCOMES if o.label == bare), None)


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for a form's select: (group, [(key, label), …])."""
    return [(g, [(o.key, o.label) for o in OUTCOMES if o.group == g]) for g in GROUPS]


assert len(ROWS) == 21 and len(OUTCOMES) == 22
assert all(BY_KEY[key].requires == IN_PROGRESS for key in ON_THE_SPOT)
