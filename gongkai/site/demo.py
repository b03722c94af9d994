"""Demo data that looks like a real county: 云溪县 (fictional) with its government, departments,
townships and staff for every role. Loading it twice changes nothing.

The region code 990121 belongs to no real place; the agencies' codes are valid 统一社会信用代码
built on it, so 索引号 and code checks behave as with real data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from gongkai.agencies import services
from gongkai.agencies.codes import make_uscc
from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.law import categories, outcomes

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
    # 县级 for the county's government and departments; a 乡镇 or 街道 is 乡级 (条例第二十一条).
    level: str = categories.COUNTY


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


@transaction.atomic
def load() -> dict[str, int]:
    """Create whatever of the demo county is missing. Returns counts of what was created.

    Refuses (``NotADemoDatabase``) a database that holds anything but the demo itself."""
    _check_only_demo_data()
    created = {"agencies": 0, "people": 0, "roles": 0, "applications": 0}
    by_slug: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency = Agency.objects.filter(slug=spec.slug).first()
        if agency is None:
            parent = by_slug.get(spec.parent) if spec.parent else None
            agency = services.create_agency(
                None,
                slug=spec.slug,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                level=spec.level,
                parent=parent,
                position=len(by_slug),
                code=make_uscc("11", REGION, spec.org_body),
                office_name=spec.office_name,
                address=spec.address,
                postcode="999100",
                phone=spec.phone,
                fax=spec.fax,
                email=spec.email,
                reconsideration_body="云州市人民政府" if parent is None else COUNTY,
                court="云州市中级人民法院" if parent is None else "云溪县人民法院",
                fee_payment="凭收费通知书上的非税收入缴款码，通过银行柜台、网上银行或手机银行缴纳；"
                "也可以到本机关政府信息公开工作机构现场缴纳。缴费后请保留缴款凭证。",
            )
            created["agencies"] += 1
        by_slug[spec.slug] = agency

    User = get_user_model()
    # Every demo account has the same password: hash it once (a hash takes half a second).
    hashed = make_password(DEMO_PASSWORD)
    username, name = SYSTEM_ADMIN
    if not User.objects.filter(username=username).exists():
        User.objects.create(
            username=username,
            first_name=name,
            password=hashed,
            is_staff=True,
            is_superuser=True,
        )
        created["people"] += 1
    for username, name, slug, roles in PEOPLE:
        agency = by_slug[slug]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.create_staff_user(
                None,
                agency,
                username=username,
                full_name=name,
                email=f"{username}@yunxi.example.gov.cn",
                password=None,
                roles=[],
            )
            user.password = hashed
            user.save(update_fields=["password"])
            created["people"] += 1
        for role in roles:
            if not user.memberships.filter(agency=agency, role=role).exists():
                services.grant_role(None, agency, user, role)
                created["roles"] += 1
    created["applications"] = _load_applications(by_slug["mzj"])
    # The reports before the items: the demo's last step stays a draft submitted for review.
    created["reports"] = _load_reports(by_slug["mzj"])
    created["items"] = _load_items(by_slug["mzj"])
    return created


DEMO_ITEMS = [
    (
        "关于调整2026年城乡最低生活保障标准的通知",
        "云民发〔2026〕8号",
        "a20-01",
        "normative",
        "各乡（镇）人民政府、街道办事处：\n\n经县人民政府同意，自2026年7月1日起，城市居民最低生活保障"
        "（低保）标准由每人每月720元提高到760元，农村低保标准由每人每年6000元提高到6400元。"
        "各地要按照新标准及时足额发放低保金，确保困难群众基本生活。",
    ),
    (
        "云溪县民政局2026年部门预算",
        "",
        "a20-07",
        "information",
        "根据《中华人民共和国预算法》，现公开云溪县民政局2026年部门预算。"
        "2026年收入预算总计3856.2万元，其中一般公共预算拨款3721.5万元；支出主要用于社会救助、"
        "养老服务和殡葬改革等。",
    ),
    (
        "云溪县临时救助实施办法",
        "云民规〔2025〕2号",
        "a20-01",
        "normative",
        "第一条 为做好临时救助工作，保障困难群众基本生活，根据《社会救助暂行办法》，制定本办法。"
        "\n\n第二条 临时救助的对象是因火灾、交通事故等意外事件，家庭成员突发重大疾病等原因，"
        "导致基本生活暂时出现严重困难的家庭或者个人。",
    ),
    (
        "2026年第三季度城乡低保资金发放情况",
        "",
        "a20-11",
        "information",
        "2026年第三季度，全县共发放城乡低保资金1268.4万元，保障城乡低保对象9823人。"
        "其中城市低保对象2135人，农村低保对象7688人。",
    ),
]


def _load_items(agency: Agency) -> int:
    """A few published items at 云溪县民政局, through the real review chain."""
    import datetime as dt

    from gongkai.catalog import services as catalog
    from gongkai.catalog.models import Item

    # The items the demo replies provide (``pass_release``) are not these.
    if Item.objects.filter(agency=agency, released_by__isnull=True).exists():
        return 0
    User = get_user_model()
    people = {u.username: u for u in User.objects.filter(username__startswith="mzj-")}
    formed = catalog.today() - dt.timedelta(days=10)
    for title, number, category, kind, body in DEMO_ITEMS:
        item = catalog.create(
            people["mzj-clerk"],
            agency,
            {
                "title": title,
                "document_number": number,
                "category": category,
                "kind": kind,
                "formed_on": formed,
                # The department's budget: its 批复 by the finance department (预算法第十四条).
                "approved_on": formed if categories.takes_approval_date(category) else None,
                "written_on": formed,
                "body": body,
                "keywords": "社会救助 低保" if "低保" in title else "",
            },
        )
        item = catalog.submit(people["mzj-clerk"], item)
        for reviewer in ("mzj-review1", "mzj-review2", "mzj-review3", "mzj-secrecy"):
            item = catalog.approve(people[reviewer], item)
    # One draft waiting in the first reviewer's queue.
    waiting = catalog.create(
        people["mzj-clerk"],
        agency,
        {
            "title": "关于开展2026年度养老机构等级评定工作的通知",
            "category": "a20-11",
            "kind": "document",
            "formed_on": catalog.today() - dt.timedelta(days=3),
            "body": "各养老机构：\n\n现就开展2026年度养老机构等级评定工作通知如下。",
        },
    )
    catalog.submit(people["mzj-clerk"], waiting)
    return Item.objects.filter(agency=agency).count()


def _demo_id(n: int) -> str:
    """A resident ID number with a valid check digit on the fictional region 990121."""
    body = f"{REGION}1985{(n % 12) + 1:02d}{(n % 27) + 1:02d}{n:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _person(n: int, name: str, description: str, **extra) -> dict:
    """A demo applicant (a resident of the fictional county) and what they ask for."""
    return {
        "applicant_type": "natural_person",
        "name": name,
        "id_type": "resident_id",
        "id_number": _demo_id(n),
        "phone": f"139000000{n:02d}",
        "email": f"applicant{n}@example.org",
        "address": f"云溪县城关镇示范路{n}号",
        "description": description,
        "delivery": "email",
        **extra,
    }


def _load_applications(agency: Agency) -> int:
    """A case in every state at 云溪县民政局, dated back from today, so that the lists, the
    clock and the letters have something to show."""
    import datetime as dt

    from gongkai.applications import services as cases
    from gongkai.applications.models import Application, Channel, PauseKind
    from gongkai.clock.workcalendar import MissingYearError

    if Application.objects.filter(agency=agency).exists():
        return 0
    User = get_user_model()
    clerk = User.objects.get(username="mzj-clerk")
    head = User.objects.get(username="mzj-head")
    today = cases.today()

    def back(workdays: int) -> dt.date:
        day, counted = today, 0
        try:
            while counted < workdays:
                day -= dt.timedelta(days=1)
                counted += cases.work_calendar().is_workday(day)
        except MissingYearError:
            day = today - dt.timedelta(days=workdays * 7 // 5)
        return day

    person = _person

    def register(n, name, description, received, **extra):
        application, _ = cases.register(
            clerk,
            agency,
            person(n, name, description, **extra),
            channel=Channel.IN_PERSON,
            submitted_on=received,
        )
        return application

    cases.submit_online(agency, person(1, "陈晓明", "2025年城乡低保对象名单及保障金发放情况"))
    register(2, "刘芳", "云溪县2026年临时救助资金使用情况", back(3))
    register(3, "王建国", "2025年养老机构运营补贴发放明细", back(25))
    register(4, "张秀英", "城关镇敬老院改扩建项目批复文件", back(18))
    corrected = register(5, "李强", "关于我村低保评定的文件", back(5))
    cases.request_correction(
        clerk,
        corrected,
        ["请写明所在村（社区）名称", "请写明所需文件的年份或文号"],
        today + dt.timedelta(days=15),
        back(2),
    )
    consulted = register(6, "赵敏", "某养老服务公司承接政府购买服务的合同", back(8))
    cases.start_consultation(
        clerk,
        consulted,
        PauseKind.THIRD_PARTY,
        "云溪康乐养老服务有限公司",
        back(3),
        received_on=back(2),
    )
    extended = register(7, "孙丽", "2020年以来殡葬改革相关会议纪要", back(19))
    cases.extend(head, extended, 15, "所需信息跨多个年度，需调阅档案室历年卷宗。", back(1))
    granted = register(8, "周伟", "云溪县2025年度社会救助资金审计整改情况", back(30))
    cases.decide(
        clerk,
        granted,
        "granted",
        legal_basis="",
        decision_text="您申请的信息予以公开，现随本告知书提供电子文本。",
        decided_on=back(24),
        **_provided(back(24)),
    )
    pass_release(granted, back(24))
    cases.reply(clerk, granted, back(23), "email")
    cases.archive(clerk, granted)
    withheld = register(9, "吴刚", "邻居家享受低保的审批材料", back(28))
    cases.decide(
        clerk,
        withheld,
        "withheld_third_party",
        legal_basis="",
        decision_text="您申请的信息涉及他人的个人隐私，公开会对第三方合法权益造成损害。",
        decided_on=back(20),
    )
    cases.reply(clerk, withheld, back(19), "paper")
    organisation = {
        **person(10, "云溪某律师事务所", "2021年至2025年全县婚姻登记统计数据"),
        "applicant_type": "legal_services",
        "organisation_code": make_uscc("31", REGION, "MB1K0099"),
        "id_type": "",
        "id_number": "",
    }
    paying, _ = cases.register(
        clerk, agency, organisation, channel=Channel.IN_PERSON, submitted_on=back(6)
    )
    cases.issue_fee_notice(clerk, paying, "per_page", 120, back(2), received_on=back(2))
    return Application.objects.filter(agency=agency).count()


# --- the annual reports -------------------------------------------------------------------

# Applications of the two years before the current one (the key: -1 is last year), answered:
# (n, name, what is asked, applicant type, (month, day) received, outcome, days to the reply).
# A case received in late December is answered in January: it is carried over.
NP, CO = "natural_person", "commercial"
PAST_CASES = {
    -2: [
        (21, "马玉兰", "上一年度城乡低保资金发放情况", NP, (3, 11), "granted", 12),
        (22, "黄俊", "本村五保供养对象名单", NP, (5, 20), "withheld_third_party", 15),
        (23, "云溪恒达养老服务有限公司", "养老机构运营补贴申报条件", CO, (8, 5), "granted", 10),
        (24, "邓小红", "殡葬改革实施方案", NP, (12, 23), "granted", 13),
    ],
    -1: [
        (31, "钟志明", "临时救助审批流程和标准", NP, (2, 17), "granted", 11),
        (32, "何婷", "社区养老服务站建设资金使用情况", NP, (3, 10), "partially_granted", 14),
        (33, "云溪安康护理院", "养老机构等级评定结果", CO, (4, 14), "granted", 9),
        (34, "韦国庆", "1998年本村救灾物资发放记录", NP, (5, 19), "unable_not_exist", 12),
        (35, "覃丽萍", "婚姻登记处办公时间和预约方式", NP, (6, 23), "granted", 5),
        (36, "黄俊", "邻居家庭享受低保的审批材料", NP, (8, 11), "withheld_third_party", 13),
        # The same applicant as the year before (第三十六条第（六）项: 重复申请).
        (24, "邓小红", "殡葬改革实施方案", NP, (9, 15), "declined_repeated", 8),
        (38, "梁秀珍", "高龄津贴发放标准", NP, (10, 20), "granted", 10),
        (39, "蒙海", "残疾人两项补贴发放名单", NP, (12, 22), "granted", 12),
    ],
}


def pass_release(application, on=None) -> None:
    """What a demo reply provides: a catalog item of 民政局 started from the case and passed
    through its review chain, 保密审查 last (条例第十七条; gongkai.applications.release).
    ``on``: for a case of the demo's past, replied on an earlier day, the day its review is set
    down as done (the reply may not come before it, 保守国家秘密法第三十五条)."""
    from gongkai.applications import release
    from gongkai.catalog import services as catalog

    people = {u.username: u for u in get_user_model().objects.filter(username__startswith="mzj-")}
    item = catalog.submit(people["mzj-clerk"], release.start_item(people["mzj-clerk"], application))
    for reviewer in ("mzj-review1", "mzj-review2", "mzj-review3", "mzj-secrecy"):
        for finding in catalog.unresolved(item.draft, catalog.current_role(item)):
            item = catalog.acknowledge(
                people[reviewer],
                item,
                key=finding["key"],
                action="kept",
                reason="向申请人本人提供，已核对",
            )
        item = catalog.approve(people[reviewer], item)
    if on is not None and on < catalog.today():
        _review_done_on(item, on)


def _review_done_on(item, day) -> None:
    """Demo data only: the review of a past case's item dated the day it was done then."""
    import datetime as dt

    from django.utils import timezone

    from gongkai.catalog.models import Item, ReviewDecision, Revision

    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    ReviewDecision.objects.filter(item=item, revision_id=item.published_id).update(at=at)
    Revision.objects.filter(pk=item.published_id).update(published_on=day)
    Item.objects.filter(pk=item.pk).update(first_published_on=day, last_published_on=day)


def _provided(day) -> dict:
    """How a demo reply gives the information: by e-mail, as the demo applicants ask, on the
    day of the decision (条例第三十六条第（二）项, 第四十条)."""
    return {
        "disclosure": "provided",
        "provision_form": "email",
        "provision_route": "发送至您在申请中登记的电子邮箱",
        "provision_from": day,
    }


# What a partial disclosure withholds, and why (条例第三十七条).
WITHHELD = {
    "partially_granted": {
        "withheld": [("名单中个人的身份证号码和家庭住址。", "withheld_third_party")],
    }
}
REASONS = {
    "granted": "您申请的信息属于主动公开范围，现随本告知书提供。",
    "partially_granted": "您申请的信息中涉及第三方个人信息的部分不予公开，其余部分予以公开。",
    "withheld_third_party": "您申请的信息涉及第三方个人隐私，公开会损害第三方合法权益。",
    "unable_not_exist": "经检索本机关档案和网站，未发现您申请的信息。",
    "declined_repeated": "您的申请与此前已答复的申请内容相同，属于重复申请。",
}
REPORT_TEXT = {
    "（一）主动公开。": "本年度围绕社会救助、养老服务、婚姻登记和殡葬管理等重点领域主动公开政策文件"
    "和工作动态，对城乡低保标准调整等政策同步发布解读。",
    "（三）政府信息管理。": "严格执行发布前保密审查和三级审核，定期清理已失效的规范性文件。",
    "（四）平台建设。": "依托县政府门户网站政府信息公开专栏发布信息，与政务新媒体同步更新。",
    "（五）监督保障。": "局领导班子专题研究政府信息公开工作，全年组织业务培训2次。",
}
SECTION5 = (
    "（一）存在的问题：部分依申请公开答复的说理还不够充分，"
    "乡镇（街道）民政工作人员对《条例》的理解有待加深。\n"
    "（二）改进情况：制定答复文书范本，逐件复核不予公开的理由；"
    "下一年度对乡镇（街道）民政工作人员开展专题培训。"
)


def _fill(draft: str, texts: dict[str, str]) -> str:
    """A generated draft with its 【…】 placeholders replaced by the demo's text (or dropped)."""
    import re

    lines = []
    for line in draft.splitlines():
        filled = re.sub(r"【[^】]*】", "", line).strip()
        for start, text in texts.items():
            if filled.startswith(start):
                filled += text
        if filled:
            lines.append(filled)
    return "\n".join(lines)


def _answered_before(earlier, outcome: str) -> str:
    """重复申请 names the earlier request answered (条例第三十六条第（六）项)."""
    if outcome != "declined_repeated" or earlier is None:
        return ""
    earlier.refresh_from_db()
    day = earlier.replied_on
    return (
        f"您此前提出的申请（编号 {earlier.tracking_number}）本机关已于"
        f"{day.year}年{day.month}月{day.day}日答复。"
    )


def _load_reports(agency: Agency) -> int:
    """Two published annual reports of 云溪县民政局, for the two years before the current one
    (so the newer compares with the older), from cases of those years registered and
    answered through the services, the register of a reconsideration and a lawsuit, and the
    figures from other systems. Returns the number of reports created."""
    import datetime as dt
    from decimal import Decimal

    from gongkai.applications import services as cases
    from gongkai.applications.models import Channel
    from gongkai.reports import services as reports
    from gongkai.reports.models import AnnualReport

    if AnnualReport.objects.filter(agency=agency).exists():
        return 0
    User = get_user_model()
    clerk = User.objects.get(username="mzj-clerk")
    head = User.objects.get(username="mzj-head")
    today = cases.today()
    year = today.year - 1
    answered = {}
    for offset, rows in PAST_CASES.items():
        for n, name, description, kind, (month, day), outcome, days in rows:
            received = dt.date(year + offset + 1, month, day)
            data = _person(n, name, description, applicant_type=kind)
            if kind != "natural_person":
                data.update(
                    organisation_code=make_uscc("91", REGION, f"MB1K{n:04d}"),
                    id_type="",
                    id_number="",
                )
            application, _ = cases.register(
                clerk, agency, data, channel=Channel.IN_PERSON, submitted_on=received
            )
            replied = received + dt.timedelta(days=days)
            if replied > today:
                continue  # still open: carried forward into this year
            cases.decide(
                clerk,
                application,
                outcome,
                legal_basis="",
                decision_text=REASONS[outcome] + _answered_before(answered.get(n), outcome),
                decided_on=replied - dt.timedelta(days=1),
                **WITHHELD.get(outcome, {}),
                **(
                    _provided(replied - dt.timedelta(days=1))
                    if cases.discloses(outcomes.BY_KEY[outcome])
                    else {}
                ),
            )
            if cases.discloses(outcomes.BY_KEY[outcome]):
                pass_release(application, replied - dt.timedelta(days=1))
            cases.reply(clerk, application, replied, "email")
            cases.archive(clerk, application)
            answered[n] = application
    reports.save_appeal(
        clerk,
        agency,
        number=f"云政复〔{year}〕17号",
        kind="reconsideration",
        body=COUNTY,
        filed_on=dt.date(year, 9, 22),
        result="upheld",
        closed_on=dt.date(year, 11, 18),
        note="申请人对不予公开他人低保审批材料的答复不服；复议决定维持。",
        application=answered.get(36),
    )
    reports.save_appeal(
        clerk,
        agency,
        number=f"（{year}）云溪行初45号",
        kind="litigation_direct",
        body="云溪县人民法院",
        filed_on=dt.date(year, 11, 24),
        note="申请人对“本机关不掌握相关政府信息”的答复不服，直接提起诉讼；尚未审结。",
        application=answered.get(34),
    )
    figures = {
        year - 1: {"licensing_decisions": 112, "penalty_decisions": 2, "coercion_decisions": 0},
        year: {"licensing_decisions": 126, "penalty_decisions": 3, "coercion_decisions": 0},
    }
    for report_year, values in figures.items():
        reports.save_figures(
            clerk, agency, report_year, {**values, "fees_amount_10k_yuan": Decimal("0")}
        )
    for report_year in (year - 1, year):
        report = reports.open_report(clerk, agency, report_year)
        report = reports.save_sections(
            clerk,
            report,
            {
                "section1": _fill(report.section1, REPORT_TEXT),
                "section5": SECTION5,
                "section6": _fill(report.section6, {}),
            },
        )
        reports.publish(head, report, on=min(dt.date(report_year + 1, 1, 20), today))
    return 2
