"""The information a disclosing reply gives, and its review before the reply (条例第十七条,
保守国家秘密法第三十五条; gongkai.law.release, docs/law/release.md).

What a case releases is catalog items of the case's agency (``Application.released_items``):
the clerk starts a new draft from the case (依申请公开, prefilled from the case) and uploads the
files in the catalog's editor, or links an item the agency already has. Each item goes through
the catalog's own review chain, ending in 保密审查, with the pre-publication scan over its text
and attachments (``gongkai.catalog.services``): nothing of that review is done here. ``reply``
refuses a case decided to provide information until every linked item is through
(``check_released``).

Each step is a service like those of ``services``: role, status and lock checked, an event
recorded on the case, a refusal a ``CaseError`` in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application, Status
from gongkai.catalog import services as catalog
from gongkai.catalog.models import (
    Disclosure,
    DocumentKind,
    Item,
    ReviewDecision,
    Revision,
    State,
)
from gongkai.history.models import Event
from gongkai.law import outcomes
from gongkai.law import release as law
from gongkai.law.privacy import mask_in_text

# The category a new release item starts with, where the agency publishes under it: the
# catch-all of 第二十条（十五）; the clerk picks the right one in the catalog's editor.
DEFAULT_CATEGORY = "a20-15"
TITLE_LENGTH = 100


def refusal(application: Application, what: str = "准备提供的信息") -> str:
    """Why the case cannot take a release step now, or "" when it can."""
    if application.is_record_correction:
        return (
            f"申请 {application.tracking_number} 是政府信息更正申请（条例第四十一条），"
            f"不提供政府信息，不能{what}。"
        )
    if not application.status_enum.is_open or application.status == Status.PENDING:
        return (
            f"申请 {application.tracking_number} 目前为“{application.get_status_display()}”，"
            f"不能{what}：提供的信息在确认收到申请后、答复申请人前准备"
            + ("；已经答复的，不再改动。" if not application.status_enum.is_open else "。")
        )
    info = application.outcome_info if application.outcome else None
    if info is not None and not services.discloses(info):
        return (
            f"申请 {application.tracking_number} 已决定为“{info.title}”，答复不提供政府信息，"
            f"不能{what}。"
        )
    return ""


def _require_releasable(application: Application, what: str) -> None:
    problem = refusal(application, what)
    if problem:
        raise services.CaseError(problem)


def find_item(text: str, agency=None) -> Item:
    """The item a clerk typed: its 索引号, or the number in its page's address. With ``agency``,
    only that agency's items: one message for an item of another agency and for none at all, so
    that the form tells nothing of other agencies' catalogs (their unpublished drafts)."""
    text = (text or "").strip()
    items = Item.objects.all() if agency is None else Item.objects.filter(agency=agency)
    item = items.filter(index_number=text).first() if text else None
    if item is None and text.isdigit() and len(text) < 12:
        item = items.filter(pk=int(text)).first()
    if item is None:
        where = "目录" if agency is None else f"{agency.name}的目录"
        raise services.CaseError(
            f"{where}中没有索引号或编号为“{text[:60]}”的信息，请核对：本申请只能提供本机关目录中的"
            "信息。"
        )
    return item


def _summary_of(item: Item) -> str:
    revision = item.current
    title = mask_in_text(revision.title) if revision else ""
    return f"{item.index_number or '未编号信息'}《{title}》"


def _default_title(application: Application) -> str:
    """The first line of the request, with the ID and mobile numbers it holds masked and the
    applicant's own name taken out: the title is seen by every reviewer, by supervisors and in
    the catalog list, who need not know who asked."""
    lines = (line.strip() for line in application.description.splitlines())
    first = mask_in_text(next((line for line in lines if line), ""), known=[application.id_number])
    name = (application.name or "").strip()
    if not application.is_organisation and len(name) >= 2:
        first = first.replace(name, "申请人")
    return first[:TITLE_LENGTH] or f"申请 {application.tracking_number} 所需的政府信息"


def _unusable(item: Item, application: Application) -> str:
    """Why ``item`` cannot be what the reply to ``application`` provides, or "" when it can:
    an item the catalog marks 不予公开 is never given out (条例第十四条至第十六条), and an item of
    依申请公开 made and reviewed for one applicant is not given to another (its reviewers kept
    what went to that applicant, their own data among it; 条例第十五条)."""
    revisions = [r for r in (item.published, item.draft) if r is not None]
    if any(not law.may_release(r.disclosure) for r in revisions):
        return (
            f"{_summary_of(item)}在目录中的公开属性为“不予公开”，不能作为提供给申请人的信息"
            "（条例第十四条至第十六条）：请提供已经依申请公开或主动公开的信息，或者起草新的信息。"
        )
    if not any(r.disclosure == Disclosure.ON_REQUEST for r in revisions):
        return ""
    key = application.applicant_key
    others = [
        a
        for a in item.released_by.exclude(pk=application.pk).order_by("id")
        if not law.same_applicant(key, a.applicant_key)
    ]
    if others:
        return (
            f"{_summary_of(item)}是为申请 {others[0].tracking_number} 的申请人依申请公开的信息，"
            "审核时按向该申请人提供核对（其中可能有该申请人本人的信息），不能提供给其他申请人："
            "请为本申请起草新的提供的信息。"
        )
    return ""


def default_data(application: Application) -> dict:
    """What a new release item starts with; the clerk changes any of it in the editor."""
    agency = application.agency
    keys = [c.key for c in agency.proactive_categories]
    return {
        "title": _default_title(application),
        "category": DEFAULT_CATEGORY if DEFAULT_CATEGORY in keys else keys[0],
        "kind": DocumentKind.INFORMATION,
        "formed_on": catalog.today(),
        "disclosure": Disclosure.ON_REQUEST,
        "nondisclosure_basis": (
            f"依申请公开：根据申请 {application.tracking_number} 向申请人提供（条例第二十七条、"
            "第三十六条第（二）项），不主动公开。"
        ),
        "publisher": agency.name,
    }


@transaction.atomic
def start_item(actor, application: Application, *, title: str = "") -> Item:
    """A new catalog draft of the case's agency for the information the reply gives, linked to
    the case. The files (redacted, for 部分公开) are uploaded in the catalog's editor, which
    scans them, and the draft is submitted to the chain there."""
    application = services._locked(application)
    services._require_handler(actor, application.agency)
    _require_releasable(application, "准备提供的信息")
    data = default_data(application)
    title = " ".join((title or "").split())
    if title:
        data["title"] = title[:TITLE_LENGTH]
    try:
        item = catalog.create(actor, application.agency, data)
    except catalog.CatalogError as exc:
        raise services.CaseError(str(exc)) from None
    before = services._state(application)
    application.released_items.add(item)
    services._save(
        actor,
        application,
        "application.release_start",
        f"起草提供的信息 {_summary_of(item)}，须经审核流程和保密审查后方可答复（{law.ARTICLES}）",
        before,
    )
    return item


@transaction.atomic
def link_item(actor, application: Application, item: Item) -> Application:
    """Link an item the agency already has in its catalog: its own, never withdrawn."""
    application = services._locked(application)
    services._require_handler(actor, application.agency)
    _require_releasable(application, "关联提供的信息")
    item = Item.objects.select_related("agency", "draft", "published").get(pk=item.pk)
    if item.agency_id != application.agency_id:
        raise services.CaseError(
            f"这条信息不在{application.agency.name}的目录中：本申请只能提供本机关目录中的信息，"
            f"并经本机关的审核流程和保密审查（{law.ARTICLES}）。"
        )
    if item.state == State.WITHDRAWN:
        raise services.CaseError(f"{_summary_of(item)}已撤销，不能作为提供的信息。")
    if application.released_items.filter(pk=item.pk).exists():
        raise services.CaseError(f"{_summary_of(item)}已经关联到本申请。")
    problem = _unusable(item, application)
    if problem:
        raise services.CaseError(problem)
    before = services._state(application)
    application.released_items.add(item)
    services._save(
        actor,
        application,
        "application.release_link",
        f"关联提供的信息 {_summary_of(item)}（{describe(item)}）",
        before,
    )
    return application


@transaction.atomic
def unlink_item(actor, application: Application, item: Item | int) -> Application:
    """Take an item off the case (it stays in the catalog, with its review)."""
    application = services._locked(application)
    services._require_handler(actor, application.agency)
    if application.is_record_correction or not application.status_enum.is_open:
        raise services.CaseError(
            f"申请 {application.tracking_number} 目前为“{application.get_status_display()}”，"
            "提供的信息不再改动。"
        )
    item = application.released_items.filter(pk=getattr(item, "pk", item)).first()
    if item is None:
        raise services.CaseError("这条信息没有关联到本申请。")
    before = services._state(application)
    application.released_items.remove(item)
    services._save(
        actor,
        application,
        "application.release_unlink",
        f"取消关联提供的信息 {_summary_of(item)}",
        before,
    )
    return application


# --- where each item is --------------------------------------------------------------------


def _secrecy_approvals(item: Item):
    return ReviewDecision.objects.filter(
        item=item,
        revision_id=item.published_id,
        role=Role.SECRECY_REVIEWER,
        outcome=ReviewDecision.Outcome.APPROVED,
    )


def passed(item: Item) -> bool:
    """Through the whole chain: the text the item holds now is a published revision that the
    保密审查, the chain's last step, approved; no newer draft is waiting; and that revision is
    one the catalog lets out, 依申请公开 or 主动公开 (never 不予公开)."""
    return (
        item.state == State.PUBLISHED
        and item.published_id is not None
        and law.may_release(item.published.disclosure)
        and _secrecy_approvals(item).exists()
    )


def passed_on(item: Item):
    """The day the published revision passed 保密审查 (the last approval at that step), or the
    day it was published where no time is recorded; ``None`` if it never did."""
    decision = _secrecy_approvals(item).order_by("-at", "-id").first()
    if decision is not None:
        return timezone.localtime(decision.at).date()
    return item.published.published_on if item.published_id else None


def describe(item: Item) -> str:
    """Where the item is on its way through the chain, in the words of the case page."""
    if passed(item):
        return "已通过审核流程和保密审查"
    if item.state == State.WITHDRAWN:
        return "已撤销"
    if item.state == State.PUBLISHED and item.published.disclosure == Disclosure.NOT_PUBLIC:
        return "目录中为“不予公开”，不能提供给申请人"
    if item.state == State.IN_REVIEW:
        chain = catalog.chain_for(item.agency)
        role = catalog.current_role(item)
        if role is None:
            return "审核中"
        step = f"第 {item.review_step + 1} 个环节，共 {len(chain)} 个"
        return f"审核中，当前环节：{role.label}（{step}）"
    if item.state == State.RETURNED:
        return "已退回修改，修改后须重新提交审核"
    if item.state == State.DRAFT:
        return "草稿，尚未提交审核" + ("（已发布的文本正在修订）" if item.published_id else "")
    if item.imported:
        return "由原网站导入，未经本平台的审核流程和保密审查"
    return "已编入目录，但没有保密审查通过的记录"


@dataclass(frozen=True)
class Released:
    item: Item
    passed: bool
    where: str
    # The revision given: for a replied case, the one the reply recorded (``pinned``); before
    # the reply, the item's current text.
    title: str = ""
    number: int | None = None
    # Replied, and the item's text has changed since (a newer revision or a draft).
    revised: bool = False
    # The row is what the reply recorded it gave.
    given: bool = False


def pinned(application: Application) -> dict[int, dict]:
    """What the reply of a replied case gave, by item id, as its event recorded it: revision id,
    number and title of each item (``services.reply``). Empty before the reply, and for a case
    replied before the platform recorded it."""
    event = (
        Event.objects.for_object(application)
        .filter(action="application.reply")
        .order_by("-at", "-id")
        .first()
    )
    rows = ((event.after or {}).get("released") or []) if event is not None else []
    return {row["item"]: row for row in rows if isinstance(row, dict) and "item" in row}


def record_of(application: Application) -> list[dict]:
    """What a reply records of the items it gives: the published revision of each."""
    return [
        {
            "item": item.pk,
            "revision": item.published_id,
            "number": item.published.number if item.published_id else None,
            "title": mask_in_text(item.published.title) if item.published_id else "",
        }
        for item in application.released_items.select_related("published").order_by("id")
    ]


def released(application: Application) -> list[Released]:
    items = application.released_items.select_related("agency", "draft", "published").order_by("id")
    given = pinned(application)
    rows = []
    for item in items:
        at = given.get(item.pk)
        current = item.current
        if at is not None:
            rows.append(
                Released(
                    item,
                    passed(item),
                    describe(item),
                    title=at.get("title") or "",
                    number=at.get("number"),
                    revised=current is None or current.pk != at.get("revision"),
                    given=True,
                )
            )
        else:
            rows.append(
                Released(
                    item,
                    passed(item),
                    describe(item),
                    title=current.title if current else "",
                    number=current.number if current else None,
                )
            )
    return rows


def revision_given(application: Application, item: Item) -> Revision | None:
    """The revision of ``item`` the reply gave, where the reply recorded it."""
    at = pinned(application).get(item.pk)
    if at is None or not at.get("revision"):
        return None
    return Revision.objects.filter(pk=at["revision"], item=item).first()


def blocking(application: Application) -> str:
    """Why the reply cannot be sent yet for want of review, or "" when nothing stops it."""
    if not application.outcome or not law.needs_review(application.outcome, application.disclosure):
        return ""
    info = outcomes.BY_KEY[application.outcome]
    rows = released(application)
    if not rows:
        return (
            f"“{info.label}”向申请人提供政府信息，答复前须经保密审查（{law.ARTICLES}）："
            "请在“提供的信息”中起草或关联本机关目录中的信息，经审核流程和保密审查通过后再答复。"
        )
    waiting = [r for r in rows if not r.passed]
    if not waiting:
        unusable = [p for p in (_unusable(r.item, application) for r in rows) if p]
        return unusable[0] if unusable else ""
    listed = "；".join(f"{_summary_of(r.item)}：{r.where}" for r in waiting)
    return (
        f"提供的信息尚未全部通过审核流程和保密审查，不能答复（{law.ARTICLES}）。"
        f"尚未通过的 {len(waiting)} 条：{listed}。"
    )


def check_released(application: Application, replied_on=None) -> None:
    """Called by ``services.reply`` inside its transaction: the linked items are locked so that
    none changes state between the check and the reply. ``replied_on``: the reply date the
    clerk gave, never before the day an item it gives passed 保密审查 (保守国家秘密法第三十五条:
    the review comes before the disclosure, a reply recorded later included)."""
    if not application.outcome or not law.needs_review(application.outcome, application.disclosure):
        return
    list(Item.objects.select_for_update(of=("self",)).filter(released_by=application))
    problem = blocking(application)
    if problem:
        raise services.CaseError(problem)
    if replied_on is None:
        return
    for row in released(application):
        day = passed_on(row.item)
        if day is not None and replied_on < day:
            raise services.CaseError(
                f"答复日期（{replied_on}）早于提供的信息{_summary_of(row.item)}通过保密审查之日"
                f"（{day}）：信息须先经保密审查再提供（{law.ARTICLES}），请核对答复日期。"
            )
