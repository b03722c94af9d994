"""Demo data that looks like a real county: 云溪县 (fictional) with its government, departments,
townships and staff for every role. Loading it twice changes nothing.

The region code 990121 belongs to no real place; the agencies' codes are valid 统一社会信用代码
built on it, so 索引号 and code checks behave as with real data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from gongkai.agencies.codes import make_uscc
from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.law import categories

DEMO_PASSWORD = "gongkai-demo"
REGION = "990121"
COUNTY = "云溪县人民政府"


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    kind: AgencyKind
    org_body: str
    office_name: str
    address: str
    phone: str
    parent: str | None = None
    short_name: str = ""
    fax: str = ""
    email: str = ""
    duties: str = ""
    # 县级 for the county's government and departments; a 乡镇 or 街道 is 乡级 (条例第二十一条).
    level: str = categories.COUNTY


# What each demo agency is responsible for (the finder of the application form searches it).
DUTIES = {
    "yunxi": "县政府工作报告、政府规章和规范性文件、重大决策、财政预决算、县域发展规划",
    "zfb": "县政府文件的收发与公开、政务公开和政府信息公开工作的组织协调、会议组织",
    "fgj": "国民经济和社会发展规划、重大项目审批核准、价格管理、节能减排",
    "mzj": (
        "城乡最低生活保障（低保）、特困人员供养、临时救助、养老服务、婚姻登记、殡葬管理、"
        "社会组织登记"
    ),
    "czj": "财政预算和决算、财政资金分配、政府采购、非税收入、惠民惠农补贴资金发放",
    "zrzyj": "土地征收、国有土地使用权出让、不动产登记、国土空间规划、矿产资源管理",
    "zjj": "农村危房改造、保障性住房、建筑工程施工许可、房地产市场监管、城市建设",
    "chengguan": "城关镇的低保初审、农村危房改造初审、村镇规划、征地补偿的宣传落实",
    "taoyuan": "桃源乡的低保初审、农村危房改造初审、耕地保护、乡村道路建设",
    "dongjie": "东街街道的社区管理、居民低保初审、老旧小区改造、城市管理",
}

AGENCIES = (
    DemoAgency(
        "yunxi",
        COUNTY,
        AgencyKind.GOVERNMENT,
        "MB1K0001",
        "云溪县人民政府办公室政务公开科",
        "云溪县城关镇府前路1号",
        "0771-5210001",
        short_name="云溪县政府",
        fax="0771-5210002",
        email="gk@yunxi.example.gov.cn",
    ),
    DemoAgency(
        "zfb",
        "云溪县人民政府办公室",
        AgencyKind.DEPARTMENT,
        "MB1K0002",
        "云溪县人民政府办公室秘书股",
        "云溪县城关镇府前路1号",
        "0771-5210011",
        parent="yunxi",
        short_name="县政府办",
    ),
    DemoAgency(
        "fgj",
        "云溪县发展和改革局",
        AgencyKind.DEPARTMENT,
        "MB1K0003",
        "云溪县发展和改革局办公室",
        "云溪县城关镇府前路3号",
        "0771-5210031",
        parent="yunxi",
        short_name="县发改局",
    ),
    DemoAgency(
        "mzj",
        "云溪县民政局",
        AgencyKind.DEPARTMENT,
        "MB1K0004",
        "云溪县民政局办公室",
        "云溪县城关镇民主路18号",
        "0771-5210041",
        parent="yunxi",
        short_name="县民政局",
        fax="0771-5210042",
        email="mzj@yunxi.example.gov.cn",
    ),
    DemoAgency(
        "czj",
        "云溪县财政局",
        AgencyKind.DEPARTMENT,
        "MB1K0005",
        "云溪县财政局办公室",
        "云溪县城关镇财政路6号",
        "0771-5210051",
        parent="yunxi",
        short_name="县财政局",
    ),
    DemoAgency(
        "zrzyj",
        "云溪县自然资源局",
        AgencyKind.DEPARTMENT,
        "MB1K0006",
        "云溪县自然资源局办公室",
        "云溪县城关镇建设路22号",
        "0771-5210061",
        parent="yunxi",
        short_name="县自然资源局",
    ),
    DemoAgency(
        "zjj",
        "云溪县住房和城乡建设局",
        AgencyKind.DEPARTMENT,
        "MB1K0007",
        "云溪县住房和城乡建设局办公室",
        "云溪县城关镇建设路20号",
        "0771-5210071",
        parent="yunxi",
        short_name="县住建局",
    ),
    DemoAgency(
        "chengguan",
        "云溪县城关镇人民政府",
        AgencyKind.TOWNSHIP,
        "MB1K0008",
        "城关镇党政办公室",
        "云溪县城关镇解放街9号",
        "0771-5211001",
        parent="yunxi",
        short_name="城关镇",
        level=categories.TOWNSHIP,
    ),
    DemoAgency(
        "taoyuan",
        "云溪县桃源乡人民政府",
        AgencyKind.TOWNSHIP,
        "MB1K0009",
        "桃源乡党政办公室",
        "云溪县桃源乡桃源街1号",
        "0771-5212001",
        parent="yunxi",
        short_name="桃源乡",
        level=categories.TOWNSHIP,
    ),
    DemoAgency(
        "dongjie",
        "云溪县东街街道办事处",
        AgencyKind.STREET,
        "MB1K0010",
        "东街街道党政办公室",
        "云溪县东街街道东风路66号",
        "0771-5213001",
        parent="yunxi",
        short_name="东街街道",
        level=categories.TOWNSHIP,
    ),
)

# (username, name, agency slug, roles)
PEOPLE = (
    ("yunxi-admin", "陈立新", "yunxi", [Role.AGENCY_ADMIN]),
    ("yunxi-clerk", "王晓燕", "yunxi", [Role.CLERK]),
    ("yunxi-review1", "李明", "yunxi", [Role.REVIEWER_1]),
    ("yunxi-review2", "赵静", "yunxi", [Role.REVIEWER_2]),
    ("yunxi-review3", "刘建国", "yunxi", [Role.REVIEWER_3]),
    ("yunxi-secrecy", "孙红梅", "yunxi", [Role.SECRECY_REVIEWER]),
    ("yunxi-head", "周文斌", "yunxi", [Role.HEAD]),
    ("yunxi-supervisor", "吴海涛", "yunxi", [Role.SUPERVISOR]),
    ("mzj-admin", "黄志强", "mzj", [Role.AGENCY_ADMIN]),
    ("mzj-clerk", "郑丽", "mzj", [Role.CLERK]),
    ("mzj-review1", "何平", "mzj", [Role.REVIEWER_1]),
    ("mzj-review2", "高峰", "mzj", [Role.REVIEWER_2]),
    ("mzj-review3", "林芳", "mzj", [Role.REVIEWER_3]),
    ("mzj-secrecy", "罗军", "mzj", [Role.SECRECY_REVIEWER]),
    ("mzj-head", "梁伟", "mzj", [Role.HEAD]),
    # A township office is two or three people, each holding several roles.
    ("chengguan-clerk", "宋佳", "chengguan", [Role.CLERK, Role.REVIEWER_1]),
    ("chengguan-head", "唐勇", "chengguan", [Role.HEAD, Role.REVIEWER_2, Role.SECRECY_REVIEWER]),
    ("chengguan-admin", "许丹", "chengguan", [Role.AGENCY_ADMIN, Role.REVIEWER_3]),
)

SYSTEM_ADMIN = ("sysadmin", "系统管理员")


class NotADemoDatabase(Exception):
    """The database holds real data: loading the demo would add accounts with a known password."""


def _check_only_demo_data() -> None:
    User = get_user_model()
    demo_slugs = {spec.slug for spec in AGENCIES}
    demo_users = {SYSTEM_ADMIN[0], *(person[0] for person in PEOPLE)}
    foreign_agency = Agency.objects.exclude(slug__in=demo_slugs).first()
    foreign_user = User.objects.exclude(username__in=demo_users).first()
    if foreign_agency or foreign_user:
        what = (
            f"机关“{foreign_agency.name}”" if foreign_agency else f"账号“{foreign_user.username}”"
        )
        raise NotADemoDatabase(
            f"数据库中已有非演示数据（如{what}）：演示数据的账号密码是公开的，"
            "不能载入正式数据库。请换一个空数据库（如另设 GONGKAI_DATA_DIR）再载入。"
        )
    demo_codes = {make_uscc("11", REGION, spec.org_body) for spec in AGENCIES}
    impostor = Agency.objects.filter(slug__in=demo_slugs).exclude(code__in=demo_codes).first()
    if impostor:
        raise NotADemoDatabase(
            f"机关“{impostor.name}”使用了演示机关的网址标识 {impostor.slug}，但不是演示数据。"
        )
