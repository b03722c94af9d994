"""A made-up case for previewing a template: no database row, no real person."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    CaseKind,
    Channel,
    Delivery,
    FeeMethod,
    Pause,
    PauseKind,
)
from gongkai.law import outcomes, records
from gongkai.letters.models import RECORD_REPLY_KINDS, Kind

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
        withheld=[
            {"part": "（示例）名单中个人的身份证号码和银行账号。", "ground": "withheld_third_party"}
        ],
        responsible_agency_text="某某县财政局（示例），联系电话：0000-1234567",
    )
    # 第三十五条: a request for reasons, answered, judged (and a delay for its letter).
    application.reasons_requested_on = dt.date(2026, 3, 4)
    application.reasons_received_on = dt.date(2026, 3, 11)
    application.reasons_text = "（示例）申请人说明的理由。"
    application.reasons_judged_on = dt.date(2026, 3, 13)
    if kind is Kind.DELAY:
        application.reasons_judgement = "reasonable"
        application.delayed_until = dt.date(2026, 4, 30)
        application.delay_reason = "（示例）所需信息分散在多个年度的档案中，需要逐件调取和审查。"
    else:
        application.reasons_judgement = "unreasonable"
    from gongkai.applications.reasons import Asked

    application._asked = Asked(
        sent_on=application.reasons_requested_on,
        counted=[
            "2026-0000-00000（2026年3月2日收到）：2025年本县最低生活保障资金发放情况（示例）",
            "2026-0000-00001（2026年3月2日收到）：2024年本县最低生活保障资金发放情况（示例）",
        ],
        question="（示例）请说明申请公开上述政府信息的理由和用途。",
        answer_by=dt.date(2026, 3, 11),
    )
    if kind in RECORD_REPLY_KINDS:
        # 第四十一条: a 更正申请 about the applicant's own record, decided with this letter's
        # outcome (gongkai.law.records).
        info = next(o for o in records.OUTCOMES if o.letter == kind.value)
        application.kind = CaseKind.RECORD_CORRECTION
        application.description = records.with_evidence(
            "（示例）本县2025年最低生活保障对象名单中本人的家庭人口登记为2人，实际为3人，"
            "请更正为3人",
            "（示例）户口簿首页及本人、配偶、子女页的复印件",
        )
        application.outcome = ""
        application.record_outcome = info.key
        application.legal_basis = info.basis
        application.reply_due = None
        application.decision_text = {
            "corrected": "（示例）已将名单中您的家庭人口由2人更正为3人，更正后的名单已于"
            "2026年3月27日重新公布。",
            "refused": "（示例）经核对户籍登记，您提供的材料不能证明该记录不准确。",
        }.get(info.key, "")
        if info.names_agency:
            application.responsible_agency_text = "某某县民政局（示例），联系电话：0000-1234567"
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
