"""Three rules of the counter: the oral application (条例第二十九条第一款), the answer on the
spot (第三十三条第一款) and help for an applicant with reading, sight or hearing difficulties
(第四十三条).

Each step is a service like those of ``services``: it checks the role, locks the case, records
an event, in one transaction; a refusal is a ``CaseError`` in Chinese. The answer on the spot is
not a path of its own through the law: it is ``services.register``, ``services.decide`` and
``services.reply`` in one transaction, so every check of theirs applies, and table 三 counts
the case like any other reply. docs/law/intake.md explains the readings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications import services
from gongkai.applications.models import Application, CaseKind, Channel, Delivery, Status
from gongkai.core import uploads
from gongkai.law import outcomes

ARTICLE_ORAL = "条例第二十九条第一款"
ARTICLE_ON_THE_SPOT = "条例第三十三条第一款"
ARTICLE_ASSISTANCE = "条例第四十三条"

# What the clerk confirms before an oral application is registered (第二十九条第一款).
ORAL_CONFIRMATION = "已向申请人宣读/出示代填内容，申请人确认无误"
# The longest description of why the written form is difficult (the model field's length).
ORAL_REASON_MAX = 200
# The channels an answer can be given on the spot: the applicant is at the counter.
ON_THE_SPOT_CHANNELS = (Channel.IN_PERSON, Channel.ORAL)
# The reply of an answer on the spot is handed over at the counter.
ON_THE_SPOT_METHOD = Delivery.PICKUP


# --- 第二十九条第一款: the oral application --------------------------------------------------


def check_oral_confirmation(
    submitted_on: dt.date, confirmed_at: dt.datetime | None, reason: str = ""
) -> None:
    """An oral application is written down by the office and confirmed by the applicant: the
    form was read back or shown to them and they said it is right. ``confirmed_at`` is when:
    on the day the application was made (the form is filled in while the applicant is there or
    on the line; until they confirm it there is no application of theirs), not in the future.
    ``reason``: why the written form is difficult for the applicant, which the article requires
    ("采用书面形式确有困难的"), so the office says what the difficulty was."""
    if confirmed_at is None:
        raise services.CaseError(
            f"口头提出的申请由本机关代为填写（{ARTICLE_ORAL}）：请向申请人宣读或出示代填的内容，"
            f"申请人确认无误后勾选“{ORAL_CONFIRMATION}”，并填写确认时间。"
        )
    if timezone.is_naive(confirmed_at):
        confirmed_at = timezone.make_aware(confirmed_at)
    day = timezone.localdate(confirmed_at)
    if confirmed_at > timezone.now() or day > services.today():
        raise services.CaseError(
            f"申请人确认代填内容的时间（{timezone.localtime(confirmed_at):%Y-%m-%d %H:%M}）"
            "不能晚于现在。"
        )
    if day != submitted_on:
        raise services.CaseError(
            f"申请人确认代填内容的日期（{day}）应与口头提出申请之日（{submitted_on}）相同："
            f"代填的申请经申请人确认才成立（{ARTICLE_ORAL}）。申请人在另一天才确认的，"
            "请以确认之日为提出申请之日登记。"
        )
    if not (reason or "").strip():
        raise services.CaseError(
            f"口头提出申请限于采用书面形式确有困难的情形（{ARTICLE_ORAL}）：请写明申请人书面申请"
            "有什么困难（如不会书写、视力障碍、手部受伤）。能够书面申请的，请申请人填写申请表。"
        )
    if len(reason.strip()) > ORAL_REASON_MAX:
        raise services.CaseError(f"书面形式确有困难的情形不应超过 {ORAL_REASON_MAX} 字。")


def intake_note(application: Application) -> str:
    """What the registration event adds for an oral application and a request for help. The
    help asked for is not copied into the event (it may say something of the applicant's
    health); the case file holds it."""
    note = ""
    if application.channel == Channel.ORAL and application.applicant_confirmed_at:
        when = timezone.localtime(application.applicant_confirmed_at)
        note += (
            "；申请人采用书面形式确有困难（情形见案件）"
            f"；代填内容已向申请人宣读/出示，申请人于 {when:%Y-%m-%d %H:%M} 确认无误"
            f"（{ARTICLE_ORAL}）"
        )
    if application.assistance_requested:
        note += f"；申请人请求提供帮助（{ARTICLE_ASSISTANCE}）"
    return note


# --- 第三十三条第一款: the answer on the spot --------------------------------------------------


def on_the_spot_outcomes() -> list[outcomes.Outcome]:
    """The outcomes that can be given on the spot (gongkai.law.outcomes.ON_THE_SPOT)."""
    return [outcomes.BY_KEY[key] for key in outcomes.ON_THE_SPOT]


def _check_on_the_spot(channel: Channel, submitted_on: dt.date, outcome: str, kind: str) -> None:
    if kind and kind != CaseKind.DISCLOSURE:
        raise services.CaseError(
            f"当场答复（{ARTICLE_ON_THE_SPOT}）只适用于政府信息公开申请：更正申请（条例第四十一条）"
            "请先登记，审核后在案件页“作出更正决定”。请取消勾选“当场答复”。"
        )
    if channel not in ON_THE_SPOT_CHANNELS:
        raise services.CaseError(
            f"当场答复（{ARTICLE_ON_THE_SPOT}）只适用于当面提交或口头提出的申请；"
            f"“{channel.label}”的申请请先登记，再按程序作出决定和答复。"
        )
    if submitted_on != services.today():
        raise services.CaseError(
            f"当场答复的申请，提交日期应为今天（{services.today()}）：以前收到的申请请在案件页"
            "办理“作出决定”和“答复申请人”。"
        )
    if outcome not in outcomes.ON_THE_SPOT:
        info = outcomes.BY_KEY.get(outcome)
        allowed = "、".join(o.title for o in on_the_spot_outcomes())
        raise services.CaseError(
            (f"“{info.title}”不能当场答复" if info else "请选择当场答复的办理结果")
            + f"（{ARTICLE_ON_THE_SPOT}）：当场答复只适用于{allowed}。"
            "其他结果请先登记，再按程序办理。"
        )


def _disclosure_on_the_spot(outcome: str) -> str:
    """How a disclosing outcome is given on the spot: as already published (the applicant is
    told where to obtain it, gongkai.law.outcomes.ON_THE_SPOT_DISCLOSURE_ITEM); empty for the
    other outcomes."""
    info = outcomes.BY_KEY.get(outcome)
    if info is None or not services.discloses(info):
        return ""
    return next(
        d.value
        for d, item in services.DISCLOSURE_ITEMS.items()
        if item == outcomes.ON_THE_SPOT_DISCLOSURE_ITEM
    )


@uploads.atomic()  # one transaction: a refusal by any step leaves nothing, files included
def answer_on_the_spot(
    actor,
    agency: Agency,
    data: dict,
    *,
    channel: Channel,
    submitted_on: dt.date,
    outcome: str,
    legal_basis: str = "",
    decision_text: str = "",
    provision_form: str = "",
    provision_reason: str = "",
    provision_route: str = "",
    responsible_agency=None,
    responsible_agency_text: str = "",
    receipt_note: str = "",
    applicant_confirmed_at: dt.datetime | None = None,
    oral_reason: str = "",
    files: Iterable = (),
    token: str = "",
) -> tuple[Application, str]:
    """第三十三条第一款: register an application made in person or orally today, decide it and
    reply to the applicant at the counter, in one transaction. Only the outcomes of
    ``outcomes.ON_THE_SPOT``; 予以公开 only of information already published. Returns the
    case and its query code (empty when ``token`` was seen before: the case is returned as it
    is, neither decided nor replied again)."""
    services._require_handler(actor, agency)
    channel = Channel(channel)
    _check_on_the_spot(channel, submitted_on, outcome, data.get("kind", ""))
    application, code = services.register(
        actor,
        agency,
        data,
        channel=channel,
        submitted_on=submitted_on,
        receipt_note=receipt_note,
        files=files,
        token=token,
        applicant_confirmed_at=applicant_confirmed_at,
        oral_reason=oral_reason,
    )
    if not code:
        return application, code
    day = services.today()
    services.decide(
        actor,
        application,
        outcome,
        legal_basis=legal_basis,
        decision_text=decision_text,
        decided_on=day,
        responsible_agency=responsible_agency,
        responsible_agency_text=responsible_agency_text,
        disclosure=_disclosure_on_the_spot(outcome),
        provision_form=provision_form,
        provision_reason=provision_reason,
        provision_route=provision_route,
    )
    services.reply(actor, application, day, ON_THE_SPOT_METHOD)
    application = services._locked(application)
    before = services._state(application)
    application.answered_on_the_spot = True
    services._save(
        actor,
        application,
        "application.on_the_spot",
        f"当场答复（{ARTICLE_ON_THE_SPOT}）：{day} 收到申请、作出决定并当面答复申请人",
        before,
    )
    return application, code


# --- 第四十三条: help for the applicant -------------------------------------------------------


def record_assistance(actor, application: Application, given: str, given_on: dt.date):
    """The help the office gave an applicant with reading, sight or hearing difficulties
    (第四十三条: 行政机关应当为其提供必要的帮助): what and when, added to what was recorded
    before (help may be given at several steps: the intake, a notice read out, the reply)."""
    with transaction.atomic():
        application = services._locked(application)
        services._require_handler(actor, application.agency)
        given = " ".join((given or "").split())
        if not given:
            raise services.CaseError(
                "请写明提供的帮助，如：“以大字打印答复告知书”“当面向申请人宣读答复内容”"
                "“通过手语翻译沟通”。"
            )
        if len(given) > MAX_ASSISTANCE:
            raise services.CaseError(f"提供的帮助请在 {MAX_ASSISTANCE} 字以内写明。")
        if application.status == Status.ARCHIVED:
            raise services.CaseError("案件已归档，不能再登记提供的帮助。")
        services._check_day(given_on, "提供帮助的日期", application)
        submitted = (
            timezone.localdate(application.submitted_at) if application.submitted_at else None
        )
        if submitted and given_on < submitted:
            raise services.CaseError(
                f"提供帮助的日期（{given_on}）不能早于申请提交之日（{submitted}）。"
            )
        before = services._state(application)
        line = f"{given_on}：{given}"
        application.assistance_given = "\n".join(
            filter(None, [application.assistance_given.strip(), line])
        )
        services._save(
            actor,
            application,
            "application.assistance",
            # What help was given may say something of the applicant's health: the case file
            # holds it, shown to those who handle the case; the event says only that and when.
            f"登记提供的帮助（{ARTICLE_ASSISTANCE}），{given_on}",
            before,
        )
        return application


MAX_ASSISTANCE = 200
