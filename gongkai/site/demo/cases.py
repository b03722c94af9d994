"""The demo agency's applications, one at each step of the law."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.codes import make_uscc
from gongkai.agencies.models import Agency
from gongkai.applications import release
from gongkai.applications import services as cases
from gongkai.applications.models import Application, Channel, PauseKind
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Item, ReviewDecision, Revision
from gongkai.clock.loader import work_calendar
from gongkai.clock.workcalendar import MissingYearError
from gongkai.site.demo.county import (
    REGION,
)


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
                counted += work_calendar().is_workday(day)
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


def pass_release(application, on=None) -> None:
    """What a demo reply provides: a catalog item of 民政局 started from the case and passed
    through its review chain, 保密审查 last (条例第十七条; gongkai.applications.release).
    ``on``: for a case of the demo's past, replied on an earlier day, the day its review is set
    down as done (the reply may not come before it, 保守国家秘密法第三十五条)."""

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
