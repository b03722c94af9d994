"""A made-up case for previewing a template: no database row, no real person."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    Channel,
    Delivery,
    FeeMethod,
    Pause,
    PauseKind,
)
from gongkai.law import outcomes
from gongkai.letters.models import Kind

SAMPLE_DAY = dt.date(2026, 3, 2)


def sample_case(agency, kind: Kind) -> tuple[Application, Pause | None]:
    kind = Kind(kind)
    # The first outcome that takes this letter; a procedural letter previews a granted case.
    outcome = next(
        (o for o in outcomes.OUTCOMES if o.letter == kind.value), outcomes.BY_KEY["granted"]
    )
    application = Application(
        agency=agency,
        tracking_number="2026-0000-00000",
        applicant_type="natural_person",
        name="张某某（示例）",
        phone="13800138000",
        address="某某县某某路1号（示例）",
        postcode="100000",
        description="2025年本县最低生活保障资金发放情况（示例）",
        delivery=Delivery.EMAIL,
        channel=Channel.IN_PERSON,
        submitted_at=timezone.make_aware(dt.datetime.combine(SAMPLE_DAY, dt.time(9))),
        received_on=SAMPLE_DAY,
        reply_due=dt.date(2026, 3, 30),
        correction_notice_on=dt.date(2026, 3, 5),
        correction_items=["请写明所需信息的年份或文号。", "请写明获取信息的方式。"],
        correction_deadline=dt.date(2026, 3, 20),
        extension_days=20,
        extension_reason="所需信息数量较多，需要调取多个年度的档案。",
        extension_approved_on=dt.date(2026, 3, 25),
        fee_method=FeeMethod.PER_PAGE,
        fee_units=45,
        fee_amount=150,
        fee_notice_sent_on=dt.date(2026, 3, 10),
        fee_notice_on=dt.date(2026, 3, 10),
        fee_due=dt.date(2026, 4, 8),
        outcome=outcome.key,
        legal_basis=services.disclosure_basis(outcome, "provided"),
        decision_text="（此处为答复内容：理由、提供的信息或获取途径。）",
        decided_on=dt.date(2026, 3, 27),
        replied_on=dt.date(2026, 3, 27),
        disclosure="provided",
        provision_form=Delivery.EMAIL,
        provision_route="（示例）发送至申请人登记的电子邮箱",
        provision_from=dt.date(2026, 3, 27),
        withheld_part="（示例）名单中个人的身份证号码和银行账号。",
        withheld_ground="withheld_third_party",
        responsible_agency_text="某某县财政局（示例），联系电话：0000-1234567",
    )
    pause = None
    if kind is Kind.CONSULTATION:
        pause = Pause(
            kind=PauseKind.THIRD_PARTY,
            party="某某有限公司（示例）",
            start=dt.date(2026, 3, 6),
            received_on=dt.date(2026, 3, 9),
            answer_due=dt.date(2026, 3, 30),
        )
    elif kind is Kind.THIRD_PARTY_NOTICE:
        pause = Pause(
            kind=PauseKind.THIRD_PARTY,
            party="某某有限公司（示例）",
            start=dt.date(2026, 3, 6),
            received_on=dt.date(2026, 3, 9),
            end=dt.date(2026, 3, 16),
            result="objected",
        )
    return application, pause
