"""The decision (第三十六条 and its outcomes), the reply and the archive."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction

from gongkai.applications.models import (
    Application,
    CaseKind,
    Disclosure,
    PauseKind,
    Provision,
    Status,
)
from gongkai.applications.services.base import (
    CaseError,
    _check_day,
    _locked,
    _require_handler,
    _require_status,
    _save,
    _state,
    today,
)
from gongkai.law import outcomes

# --- decision, reply, archive -----------------------------------------------------------


@transaction.atomic
def decide(
    actor,
    application: Application,
    outcome: str,
    *,
    legal_basis: str,
    decision_text: str,
    decided_on: dt.date,
    withheld: Iterable[tuple[str, str]] = (),
    responsible_agency=None,
    responsible_agency_text: str = "",
    disclosure: str = "",
    provision_form: str = "",
    provision_reason: str = "",
    provision_route: str = "",
    provision_from: dt.date | None = None,
    provision_until: dt.date | None = None,
) -> Application:
    """The outcome is one of the outcomes of ``gongkai.law.outcomes``, so every answered case
    lands in exactly one cell of table 三. What the outcome requires of the case, and what its
    reply must state, are checked here (docs/law/outcomes.md). A reply that discloses states
    how, where and when the information is given (``_provision``). ``withheld``: for 部分公开,
    each withheld part with the key of the ground it rests on (第三十七条)."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    if application.is_record_correction:
        raise CaseError(
            f"申请 {application.tracking_number} 是政府信息更正申请（条例第四十一条），不按年度报告"
            "表三的办理结果决定：请在“作出更正决定”中选择予以更正、不予更正、转送或告知向有权更正的"
            "机关提出。"
        )
    info = outcomes.BY_KEY.get(outcome)
    if info is None:
        raise CaseError("请从年度报告表三的办理结果中选择一项。")
    _check_day(decided_on, "决定日期", application)
    _require_status(application, REQUIRED_STATUS[info.requires])
    if (
        info.requires == outcomes.CORRECTION_LAPSED
        and decided_on <= application.correction_deadline
    ):
        raise CaseError(
            f"补正期限 {application.correction_deadline} 尚未届满，不能按“逾期不补正”办结。"
        )
    if info.requires == outcomes.FEE_LAPSED and application.fee_due is None:
        raise CaseError("收费通知的送达日期尚未登记，缴费期限无法确定，不能按“逾期未缴费”办结。")
    if info.requires == outcomes.FEE_LAPSED and decided_on <= application.fee_due:
        raise CaseError(f"缴费期限 {application.fee_due} 尚未届满，不能按“逾期未缴费”办结。")
    if info.requires == outcomes.CORRECTED and not application.correction_received_on:
        raise CaseError(f"“{info.label}”只适用于申请人已经补正的申请。")
    if info.requires == outcomes.REASONS_UNREASONABLE:
        _require_reasons_unreasonable(application, info, decided_on)
    for earlier, what in (
        (application.correction_received_on, "收到补正之日"),
        (application.fee_paid_on, "缴费日"),
        (max((p.end for p in application.pauses.all() if p.end), default=None), "征求意见结束日"),
    ):
        if earlier and decided_on < earlier:
            raise CaseError(f"决定日期（{decided_on}）不能早于{what}（{earlier}）。")
    legal_basis = (legal_basis or "").strip() or disclosure_basis(info, disclosure)
    if info.needs_reason and not legal_basis:
        raise CaseError(f"“{info.label}”须写明依据。")
    if info.needs_reason and not (decision_text or "").strip():
        raise CaseError(f"“{info.label}”须向申请人说明理由，请填写答复内容。")
    if outcomes.SPECIAL_LAW in info.asks and not outcomes.names_special_law(legal_basis):
        raise CaseError(f"“{info.label}”须在依据中写明{info.note.removeprefix('依据中须写明')}")
    if info.key == "declined_repeated":
        _check_answered_before(application, decision_text, decided_on)
    responsible_agency_text = (responsible_agency_text or "").strip()
    withheld = _withheld(info, withheld)
    _check_refusal_articles(info, legal_basis, withheld)
    if outcomes.RESPONSIBLE_AGENCY not in info.asks:
        responsible_agency, responsible_agency_text = None, ""
    elif responsible_agency is not None and responsible_agency.pk == application.agency_id:
        raise CaseError("负责公开的机关不能是本机关：不属于本机关负责公开时，请选择其他机关。")
    elif (
        responsible_agency is not None
        and not (responsible_agency.phone.strip() or responsible_agency.address.strip())
        and not responsible_agency_text
    ):
        raise CaseError(
            f"{responsible_agency.name}在平台上没有登记联系电话和地址：条例第三十六条第（五）项"
            "要求告知负责公开的机关的名称和联系方式，请在“或填写负责公开的机关的名称和联系方式”中填写。"
        )
    provision = _provision(
        application,
        info,
        decided_on,
        disclosure=disclosure,
        form=provision_form,
        reason=provision_reason,
        route=provision_route,
        since=provision_from,
        until=provision_until,
    )
    if provision["disclosure"]:
        _check_disclosure_basis(legal_basis, provision["disclosure"])
    if not discloses(info) and application.released_items.exists():
        # The item page says it was provided to the applicant (gongkai.applications.release):
        # a reply that gives nothing does not keep items linked.
        raise CaseError(
            f"“{info.label}”不向申请人提供政府信息，但本申请已关联 "
            f"{application.released_items.count()} 条提供的信息：请先取消关联“提供的信息”中的"
            "各条信息，再作出这一决定。"
        )
    before = _state(application)
    if info.requires == outcomes.FEE_LAPSED:
        application.pauses.filter(kind=PauseKind.FEE, end__isnull=True).update(
            end=application.fee_due
        )
    application.outcome = outcome
    application.legal_basis = legal_basis
    application.decision_text = (decision_text or "").strip()
    application.withheld = withheld
    application.responsible_agency = responsible_agency
    application.responsible_agency_text = responsible_agency_text
    for name, value in provision.items():
        setattr(application, name, value)
    application.decided_on = decided_on
    application.decided_by = actor
    application.status = Status.DECIDED
    _save(actor, application, "application.decide", f"作出决定：{info.title}", before)
    return application


def _part_text(part: str) -> str:
    """A withheld part as stored: without the punctuation that closes a sentence, so that the
    same content typed twice is one and the letter's list reads evenly."""
    return (part or "").strip().rstrip("。．.；;，,、 ").strip()


def _withheld(info: outcomes.Outcome, entries: Iterable[tuple[str, str]]) -> list[dict]:
    """部分公开 (第三十七条): the parts withheld, each with its ground, as stored; nothing for
    any other outcome."""
    if outcomes.WITHHELD_PART not in info.asks:
        return []
    entries = [(_part_text(part), ground or "") for part, ground in entries or ()]
    entries = [(part, ground) for part, ground in entries if part or ground]
    if not entries:
        raise CaseError("部分公开须写明不予公开的内容及其理由（条例第三十七条）。")
    if len(entries) > outcomes.MAX_WITHHELD_PARTS:
        raise CaseError(
            f"不予公开的内容最多分 {outcomes.MAX_WITHHELD_PARTS} 项写明，请合并相近的内容。"
        )
    seen = set()
    for number, (part, ground) in enumerate(entries, 1):
        where = f"第 {number} 项不予公开的内容" if len(entries) > 1 else "不予公开的内容"
        if not part:
            raise CaseError(f"{where}未填写：部分公开须写明不予公开的内容（条例第三十七条）。")
        if ground not in outcomes.GROUNDS_BY_KEY:
            raise CaseError(
                f"{where}（{part[:20]}）须选择理由：条例第十四条至第十六条的情形，或不属于政府信息。"
            )
        if (part, ground) in seen:
            raise CaseError(f"{where}（{part[:20]}）与前面的一项内容和理由都相同，请删去一项。")
        seen.add((part, ground))
    return [{"part": part, "ground": ground} for part, ground in entries]


# A tracking number in the text a clerk wrote (as tracking_number() makes them).
TRACKING_NUMBER_IN_TEXT = re.compile(r"(?<!\d)\d{4}-\d{4}-\d{5,}(?!\d)")


def _check_answered_before(application: Application, text: str, decided_on: dt.date) -> None:
    """重复申请 (第三十六条第（六）项: 行政机关已就申请人提出的政府信息公开申请作出答复、申请人
    重复申请公开相同政府信息的): the reply names the earlier request of the same applicant that
    this agency answered, by its number, so that the applicant and a reviewer can check it."""
    numbers = TRACKING_NUMBER_IN_TEXT.findall(text or "")
    earlier = (
        Application.objects.filter(
            agency=application.agency,
            tracking_number__in=numbers,
            kind=CaseKind.DISCLOSURE,
            replied_on__isnull=False,
            replied_on__lte=decided_on,
        ).exclude(pk=application.pk)
        if numbers
        else Application.objects.none()
    )
    key = application.applicant_key
    same = [
        e
        for e in earlier
        if (key and e.applicant_key == key)
        or (not key and e.name.strip() == application.name.strip())
    ]
    if not same:
        raise CaseError(
            "“重复申请”须在答复内容中写明本机关此前已答复该申请人的申请编号（条例第三十六条第（六）项："
            "已就申请人提出的申请作出答复、申请人重复申请公开相同政府信息的），如：“您于2026年3月"
            "提出的申请（编号 2026-0001-00012）本机关已于2026年3月20日答复。”"
            + ("所写的编号不是本机关已答复的、同一申请人的申请。" if numbers else "")
        )


def _check_refusal_articles(info: outcomes.Outcome, basis: str, withheld: list[dict]) -> None:
    """An answer that rests on 第十四条至第十六条 is a refusal and must say so: its reply tells
    the applicant to apply for reconsideration first (行政复议法第二十三条第一款第（四）项), which
    a basis typed under another outcome would avoid. A 部分公开 may cite the articles its
    withheld parts rest on; a part withheld because a law forbids it names that law
    (第十四条)."""
    if info.refusal:
        return
    grounds = [outcomes.GROUNDS_BY_KEY[entry["ground"]] for entry in withheld]
    allowed = {a for g in grounds for a in outcomes.REFUSAL_ARTICLES if a in g.basis}
    extra = [a for a in outcomes.cited_refusal_articles(basis) if a not in allowed]
    if extra:
        where = (
            "请在不予公开的内容中选择依该条的理由"
            if outcomes.WITHHELD_PART in info.asks
            else "依这几条不予公开的，请选择相应的“不予公开”结果"
        )
        raise CaseError(
            f"依据引用了条例{'、'.join(extra)}，但“{info.label}”不是依该条作出的不予公开决定："
            f"{where}，答复才会告知申请人先申请行政复议（行政复议法第二十三条第一款第（四）项）；"
            "否则请从依据中删去该条。"
        )
    if any(g.key == "withheld_prohibited_by_law" for g in grounds) and not (
        outcomes.names_special_law(basis)
    ):
        law = outcomes.BY_KEY["withheld_prohibited_by_law"]
        raise CaseError(
            f"不予公开的内容以“{law.label}”为理由的，{law.note}请在依据中写明，如："
            "《中华人民共和国政府信息公开条例》第十四条、《中华人民共和国档案法》第二十八条。"
        )


# 予以公开 and 部分公开, the first two groups of table 三: the replies that give information
# (条例第三十六条第（一）（二）项, 第三十七条).
# The item of 第三十六条 each way of disclosing rests on; an outcome's default basis that cites
# both items cites the one chosen (docs/law/outcomes.md, 怎样提供).
DISCLOSURE_ITEMS = {
    Disclosure.PUBLISHED: outcomes.ALREADY_PUBLISHED_ITEM,
    Disclosure.PROVIDED: outcomes.PROVIDED_ITEM,
}
_BOTH_ITEMS = outcomes.BOTH_DISCLOSURE_ITEMS


def discloses(info: outcomes.Outcome) -> bool:
    """Whether an outcome's reply gives the applicant information (予以公开, 部分公开)."""
    return info.key in outcomes.DISCLOSING


def disclosure_basis(info: outcomes.Outcome, disclosure: str) -> str:
    """The outcome's default basis, citing the item of 第三十六条 the disclosure rests on: in
    place of both items where the default cites both, else beside the article (部分公开:
    第三十七条)."""
    item = DISCLOSURE_ITEMS.get(disclosure) if disclosure in Disclosure.values else None
    if not item or not info.basis:
        return info.basis
    if _BOTH_ITEMS in info.basis:
        return info.basis.replace(_BOTH_ITEMS, item)
    if item in info.basis or not info.basis.startswith(outcomes.REGULATION):
        return info.basis
    return info.basis.replace(outcomes.REGULATION, f"{outcomes.REGULATION}{item}、", 1)


def _check_disclosure_basis(basis: str, disclosure: str) -> None:
    """A basis the clerk wrote must not cite the other item of 第三十六条 without the chosen one."""
    item = DISCLOSURE_ITEMS[Disclosure(disclosure)]
    other = next(v for k, v in DISCLOSURE_ITEMS.items() if k != disclosure)

    def cited(it: str) -> bool:
        return it in basis or it.replace("第三十六条", "") in basis

    if cited(other) and not cited(item):
        raise CaseError(
            f"依据引用了{other}，与所选的公开情形（{Disclosure(disclosure).label}）不符，"
            f"请改为{item}，或将依据留空使用默认依据。"
        )


def _provision(
    application: Application,
    info: outcomes.Outcome,
    decided_on: dt.date,
    *,
    disclosure: str,
    form: str,
    reason: str,
    route: str,
    since: dt.date | None,
    until: dt.date | None,
) -> dict:
    """How, where and when a disclosing reply gives the information (条例第三十六条第（一）项:
    already published, the 方式、途径 of obtaining it; 第（二）项: provided, with the 方式、途径
    和时间; 第四十条: in the form asked for, or another suitable one with the reason). Empty for
    every other outcome."""
    if not discloses(info):
        return {
            "disclosure": "",
            "provision_form": "",
            "provision_reason": "",
            "provision_route": "",
            "provision_from": None,
            "provision_until": None,
        }
    reason, route = (reason or "").strip(), (route or "").strip()
    if disclosure not in Disclosure.values:
        raise CaseError(
            f"“{info.label}”须选择公开情形：该信息已经主动公开（条例第三十六条第（一）项），"
            "还是向申请人提供（第（二）项）。"
        )
    if form not in Provision.values:
        raise CaseError(
            f"“{info.label}”须选择提供政府信息的形式（条例第四十条）："
            + "、".join(Provision.labels)
            + "。"
        )
    application.provision_form = form
    if application.provision_differs:
        if not reason:
            raise CaseError(
                f"提供形式“{Provision(form).label}”与申请人要求的获取方式"
                f"“{application.get_delivery_display()}”不同：条例第四十条规定，按申请人要求的"
                "形式提供有困难或者可能危及政府信息载体安全的，方可通过其他适当形式提供，"
                "请写明理由。"
            )
    else:
        reason = ""
    if not route:
        raise CaseError(
            "请写明获取途径：网上获取的写明网址，当面查阅、抄录或领取的写明地点和办公时间，"
            "邮寄或电子邮件的写明寄往的地址或邮箱（条例第三十六条第（一）（二）项）。"
        )
    if until is not None and since is None:
        raise CaseError("填写了获取截止日期的，请同时填写起始日期。")
    if disclosure == Disclosure.PROVIDED and since is None:
        raise CaseError(
            "向申请人提供的，须写明提供或可以获取的时间（条例第三十六条第（二）项）："
            "请填写日期，期间的再填写截止日期。"
        )
    for value, what in ((since, "提供或获取日期"), (until, "获取截止日期")):
        if value is not None and value.year < 2000:
            raise CaseError(f"{what}（{value}）不是合理的日期，请核对年份。")
        if value is not None and value < decided_on:
            raise CaseError(f"{what}（{value}）不能早于决定日期（{decided_on}）。")
    if since is not None and until is not None and until < since:
        raise CaseError(f"获取截止日期（{until}）不能早于起始日期（{since}）。")
    return {
        "disclosure": disclosure,
        "provision_form": form,
        "provision_reason": reason,
        "provision_route": route,
        "provision_from": since,
        "provision_until": until,
    }


# The status a case must be in for an outcome's precondition (``Outcome.requires``).
REQUIRED_STATUS = {
    outcomes.IN_PROGRESS: Status.IN_PROGRESS,
    outcomes.CORRECTED: Status.IN_PROGRESS,
    outcomes.CORRECTION_LAPSED: Status.AWAITING_CORRECTION,
    outcomes.FEE_LAPSED: Status.AWAITING_PAYMENT,
    outcomes.REASONS_UNREASONABLE: Status.IN_PROGRESS,
}


def _require_reasons_unreasonable(application: Application, info, decided_on: dt.date) -> None:
    """第三十五条: 不予处理 for many or frequent requests only after the applicant was asked for
    reasons and the office judged them unreasonable, or none came by its date
    (gongkai.applications.reasons)."""
    from gongkai.applications.models import ReasonsJudgement

    if application.reasons_requested_on is None:
        raise CaseError(
            f"“{info.label}”（条例第三十五条）须先要求申请人说明理由：请先办理“要求说明理由”，"
            "再在“登记理由并判断”中认定理由不合理。"
        )
    if application.reasons_judgement != ReasonsJudgement.UNREASONABLE:
        raise CaseError(
            f"“{info.label}”（条例第三十五条）只适用于本机关认为申请理由不合理（或申请人逾期未"
            "说明理由）的申请："
            + (
                f"本申请已于 {application.reasons_judged_on} 认定理由合理，应继续办理。"
                if application.reasons_judgement
                else f"已于 {application.reasons_requested_on} 要求说明理由，请先在“登记理由并"
                "判断”中登记申请人的说明和判断。"
            )
        )
    if decided_on < application.reasons_judged_on:
        raise CaseError(
            f"决定日期（{decided_on}）不能早于认定理由不合理之日（{application.reasons_judged_on}）。"
        )


def outcomes_open_to(application: Application) -> list[outcomes.Outcome]:
    """The outcomes a case in its present status can be decided with."""
    return [o for o in outcomes.OUTCOMES if REQUIRED_STATUS[o.requires] == application.status]


@transaction.atomic
def reply(
    actor, application: Application, replied_on: dt.date, method: str, late_reason: str = ""
) -> Application:
    """Send the reply. One after the due date needs ``late_reason``: the lateness is a fact of
    the case the office answers for (and the annual report's reader sees), never silent."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.DECIDED)
    _check_day(replied_on, "答复日期", application)
    if replied_on < application.decided_on:
        raise CaseError(f"答复日期（{replied_on}）不能早于决定日期（{application.decided_on}）。")
    # 条例第十七条, 保守国家秘密法第三十五条: information provided is through the review chain
    # ending in 保密审查 first (gongkai.applications.release, docs/law/release.md).
    from gongkai.applications import release

    release.check_released(application, replied_on)
    before = _state(application)
    application.replied_on = replied_on
    application.reply_method = method
    application.status = Status.REPLIED
    late = application.reply_due and replied_on > application.reply_due
    due_label = "参考期限" if application.is_record_correction else "答复期限"
    late_reason = (late_reason or "").strip()
    if late and not application.is_record_correction and not late_reason:
        raise CaseError(
            f"答复日期（{replied_on}）晚于{due_label}（{application.reply_due}）：请写明逾期答复的原因，"
            "它记入案卷和操作记录。"
        )
    if len(late_reason) > 300:
        raise CaseError("逾期答复的原因不应超过 300 字。")
    application.reply_late_reason = late_reason if late else ""
    summary = f"已答复申请人（{replied_on}）" + (
        f"，超过{due_label} {application.reply_due}" if late else ""
    )
    if late and late_reason:
        summary += f"，原因：{late_reason}"
    # What was given is pinned in the reply's event: the published revision of each item
    # (release.pinned), so that a later revision does not rewrite what the applicant got.
    given = release.record_of(application)
    _save(
        actor,
        application,
        "application.reply",
        summary,
        before,
        after_extra={"released": given} if given else None,
    )
    return application


@transaction.atomic
def archive(actor, application: Application) -> Application:
    application = _locked(application)
    _require_handler(actor, application.agency)
    _require_status(application, Status.REPLIED)
    before = _state(application)
    application.archived_on = today()
    application.status = Status.ARCHIVED
    _save(actor, application, "application.archive", "归档", before)
    return application
