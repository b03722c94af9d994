"""The items of 法定主动公开内容: 条例第二十条 (every agency) and 第二十一条 (county and township).

Keys are stable: catalog items (a later module) store them. Source: regulation.md §1.9.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    key: str
    number: str  # the 条例's own numbering, e.g. "第二十条（一）"
    title: str


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


def for_agency_kind(kind: str) -> tuple[Category, ...]:
    """The categories an agency of this kind publishes under."""
    if kind in ("township", "street"):
        return (*ARTICLE_20, ARTICLE_21_TOWNSHIP)
    return (*ARTICLE_20, ARTICLE_21_COUNTY)


BY_KEY = {c.key: c for c in (*ARTICLE_20, ARTICLE_21_COUNTY, ARTICLE_21_TOWNSHIP)}
