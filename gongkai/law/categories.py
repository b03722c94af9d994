"""The items of 法定主动公开内容 (条例第二十条、第二十一条), who must publish which, and by when
(条例第二十六条 and the periods other laws set for some of them). docs/law/categories.md.

Keys are stable: catalog items store them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from gongkai.law import periods


@dataclass(frozen=True)
class Category:
    key: str
    number: str  # the 条例's own numbering, e.g. "第二十条（七）"
    title: str

    @property
    def other_names(self) -> tuple[str, ...]:
        """Other ways a citation names this item: 第二十条（七） is also "第二十条第七项" and
        "第二十条七"; 第二十一条 has no numbered items."""
        article, _, rest = self.number.partition("（")
        if not rest:
            return ()
        item = rest.rstrip("）")
        return (f"{article}第{item}项", f"{article}{item}")


ARTICLE_20 = (
    Category("a20-01", "第二十条（一）", "行政法规、规章和规范性文件"),
    Category(
        "a20-02", "第二十条（二）", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"
    ),
    Category("a20-03", "第二十条（三）", "国民经济和社会发展规划、专项规划、区域规划及相关政策"),
    Category("a20-04", "第二十条（四）", "国民经济和社会发展统计信息"),
    Category(
        "a20-05",
        "第二十条（五）",
        "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    ),
    Category(
        "a20-06",
        "第二十条（六）",
        "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    ),
    Category("a20-07", "第二十条（七）", "财政预算、决算信息"),
    Category("a20-08", "第二十条（八）", "行政事业性收费项目及其依据、标准"),
    Category("a20-09", "第二十条（九）", "政府集中采购项目的目录、标准及实施情况"),
    Category("a20-10", "第二十条（十）", "重大建设项目的批准和实施情况"),
    Category(
        "a20-11",
        "第二十条（十一）",
        "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    ),
    Category("a20-12", "第二十条（十二）", "突发公共事件的应急预案、预警信息及应对情况"),
    Category(
        "a20-13",
        "第二十条（十三）",
        "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    ),
    Category("a20-14", "第二十条（十四）", "公务员招考的职位、名额、报考条件等事项以及录用结果"),
    Category(
        "a20-15", "第二十条（十五）", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"
    ),
)

# 第二十一条: what 设区的市级、县级人民政府及其部门 and 乡（镇）人民政府 also publish.
ARTICLE_21_COUNTY = Category(
    "a21-county",
    "第二十一条",
    "市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等方面的政府信息",
)
ARTICLE_21_TOWNSHIP = Category(
    "a21-township",
    "第二十一条",
    "贯彻落实农业农村政策、农田水利工程建设运营、农村土地承包经营权流转、宅基地使用情况审核、"
    "土地征收、房屋征收、筹资筹劳、社会救助等方面的政府信息",
)

BY_KEY = {c.key: c for c in (*ARTICLE_20, ARTICLE_21_COUNTY, ARTICLE_21_TOWNSHIP)}
BUDGET = BY_KEY["a20-07"]  # 财政预算、决算信息: 预算法第十四条 sets its period (below)

# For messages that list the keys: "a20-01 至 a20-15", and every key.
ARTICLE_20_KEYS_TEXT = f"{ARTICLE_20[0].key} 至 {ARTICLE_20[-1].key}"
ALL_KEYS_TEXT = f"{ARTICLE_20_KEYS_TEXT}、{ARTICLE_21_COUNTY.key} 或 {ARTICLE_21_TOWNSHIP.key}"


# --- who publishes which ----------------------------------------------------------------------

# The kinds of agency (the values of ``agencies.models.AgencyKind``).
GOVERNMENT = "government"  # 人民政府
DEPARTMENT = "department"  # 政府部门
TOWNSHIP_GOVERNMENT = "township"  # 乡（镇）人民政府
STREET = "street"  # 街道办事处
OTHER = "other"  # 其他行政机关
KINDS = (GOVERNMENT, DEPARTMENT, TOWNSHIP_GOVERNMENT, STREET, OTHER)

# The level of government an agency belongs to (预算法第三条 names the same levels below the
# centre). 第二十一条 turns on it: 设区的市级、县级 / 乡（镇）.
PROVINCE = "province"
CITY = "city"  # 设区的市、自治州
COUNTY = "county"  # 县、自治县、不设区的市、市辖区
TOWNSHIP = "township"  # 乡、民族乡、镇；街道办事处
LEVELS = (
    (PROVINCE, "省级"),
    (CITY, "设区的市级"),
    (COUNTY, "县级"),
    (TOWNSHIP, "乡级"),
)
LEVEL_LABELS = dict(LEVELS)
# Agencies recorded before the level existed are taken to be of the county level, which gives
# them the lists they had (a 乡镇 or 街道 gets its list from its kind, whatever the level).
DEFAULT_LEVEL = COUNTY


def for_agency(kind: str, level: str) -> tuple[Category, ...]:
    """The categories an agency of this kind and level publishes under.

    - 第二十条: every agency.
    - 第二十一条 (first part): 设区的市级、县级人民政府及其部门 — a government or a department of
      the city or county level. Not a province's, not an "other" agency (it is neither a
      government nor one of its departments).
    - 第二十一条 (second part): 乡（镇）人民政府 — a township government, or a government
      recorded at the township level. A 街道办事处 gets the same list: the article names only
      乡（镇）, but a street office does the same local work at that level (the reading
      docs/law/categories.md explains).
    """
    if kind in (TOWNSHIP_GOVERNMENT, STREET) or (kind == GOVERNMENT and level == TOWNSHIP):
        return (*ARTICLE_20, ARTICLE_21_TOWNSHIP)
    if kind in (GOVERNMENT, DEPARTMENT) and level in (CITY, COUNTY):
        return (*ARTICLE_20, ARTICLE_21_COUNTY)
    return ARTICLE_20


def level_for(kind: str, level: str) -> str:
    """The level to record: a 乡镇人民政府 or 街道办事处 is of the township level whatever was
    chosen; any other agency keeps the level given."""
    return TOWNSHIP if kind in (TOWNSHIP_GOVERNMENT, STREET) else level


def level_problem(kind: str, level: str) -> str:
    """Why an agency of this kind cannot be recorded at this level ("" when it can)."""
    if level not in LEVEL_LABELS:
        return "请选择机关的层级：省级、设区的市级、县级或乡级。"
    if kind == GOVERNMENT and level == TOWNSHIP:
        return "乡级人民政府请将机关类型选为“乡镇人民政府”。"
    return ""


# --- by when (条例第二十六条, and the periods other laws set) -------------------------------

FORMED = "formed_on"  # the day the information was formed or changed
APPROVED = "approved_on"  # the day the budget or final account was approved


@dataclass(frozen=True)
class PublicationPeriod:
    days: int
    calendar_days: bool  # True: 日 (every day counts); False: 工作日
    counted_from: str  # FORMED or APPROVED: the item's date the period runs from
    basis: str

    @property
    def text(self) -> str:
        start = "批准或批复" if self.counted_from == APPROVED else "形成或变更"
        unit = "日" if self.calendar_days else "个工作日"
        return f"自{start}之日起{self.days}{unit}内公开（{self.basis}）"


# 条例第二十六条: 20 working days from being formed or changed, unless a law or regulation
# sets another period.
GENERAL_PERIOD = PublicationPeriod(
    periods.PROACTIVE_PUBLICATION_DAYS, False, FORMED, "《政府信息公开条例》第二十六条"
)
# 预算法第十四条: budgets, budget adjustments, final accounts and the reports on them (with their
# tables), within 20 days (日) of their approval by the people's congress or its standing
# committee (published by the government's finance department); a department's budget and
# final account within 20 days of the finance department's approval (批复), by the department.
BUDGET_PERIOD = PublicationPeriod(
    periods.BUDGET_PUBLICATION_DAYS, True, APPROVED, "《中华人民共和国预算法》第十四条"
)
# The categories whose items may carry an approval date, and the period that date starts.
APPROVAL_PERIODS = {BUDGET.key: BUDGET_PERIOD}


def takes_approval_date(category: str) -> bool:
    return category in APPROVAL_PERIODS


def publication_period(category: str, approved: bool) -> PublicationPeriod:
    """The period an item of this category is published within: the other law's when it sets
    one and the item has the date it runs from, else 第二十六条's."""
    if approved and category in APPROVAL_PERIODS:
        return APPROVAL_PERIODS[category]
    return GENERAL_PERIOD


# --- 第四十四条: what many applicants ask for -------------------------------------------

# 多个申请人就相同政府信息向同一行政机关提出公开申请，且该政府信息属于可以公开的，行政机关可以
# 纳入主动公开的范围: "多个" is more than one, so two applicants suffice to suggest it.
MANY_APPLICANTS = 2
# "属于可以公开的": the outcomes that found it could be disclosed, ``outcomes.DISCLOSING``.
# How far back the suggestion looks, in days: a year of requests.
SUGGESTION_WINDOW_DAYS = 365

_FILLER = re.compile(r"^(?:申请|请求|要求)?(?:公开|提供|获取)?(?:关于)?")
_NOT_CONTENT = re.compile(r"[\s\W_]+", re.UNICODE)


def same_information_key(description: str) -> str:
    """What two requests for the same information share: the description without width,
    case, spaces, punctuation and the leading "申请公开…关于" that says nothing of the
    information. Two wordings of one request with other words in them are not matched: the
    suggestion errs on the side of saying nothing (docs/law/categories.md, 第四十四条)."""
    text = unicodedata.normalize("NFKC", description or "").lower()
    text = _NOT_CONTENT.sub("", text)
    return _FILLER.sub("", text)
