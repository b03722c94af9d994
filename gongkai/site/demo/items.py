"""The demo agency's catalog: items published, in review and drafted."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from gongkai.agencies.models import Agency
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Item
from gongkai.law import categories

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
