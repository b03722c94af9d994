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

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application, Status
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Disclosure, DocumentKind, Item, ReviewDecision, State
from gongkai.law import outcomes
from gongkai.law import release as law

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


def find_item(text: str) -> Item:
    """The item a clerk typed: its 索引号, or the number in its page's address."""
    text = (text or "").strip()
    item = Item.objects.filter(index_number=text).first() if text else None
    if item is None and text.isdigit() and len(text) < 12:
        item = Item.objects.filter(pk=int(text)).first()
    if item is None:
        raise services.CaseError(f"目录中没有索引号或编号为“{text[:60]}”的信息，请核对。")
    return item


def _summary_of(item: Item) -> str:
    revision = item.current
    return f"{item.index_number or '未编号信息'}《{revision.title if revision else ''}》"


def _default_title(application: Application) -> str:
    lines = (line.strip() for line in application.description.splitlines())
    first = next((line for line in lines if line), "")
    return first[:TITLE_LENGTH] or f"申请 {application.tracking_number} 所需的政府信息"


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


def passed(item: Item) -> bool:
    """Through the whole chain: the text the item holds now is a published revision that the
    保密审查, the chain's last step, approved; no newer draft is waiting."""
    return (
        item.state == State.PUBLISHED
        and item.published_id is not None
        and ReviewDecision.objects.filter(
            item=item,
            revision_id=item.published_id,
            role=Role.SECRECY_REVIEWER,
            outcome=ReviewDecision.Outcome.APPROVED,
        ).exists()
    )


def describe(item: Item) -> str:
    """Where the item is on its way through the chain, in the words of the case page."""
    if passed(item):
        return "已通过审核流程和保密审查"
    if item.state == State.WITHDRAWN:
        return "已撤销"
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


def released(application: Application) -> list[Released]:
    items = application.released_items.select_related("agency", "draft", "published").order_by("id")
    return [Released(item, passed(item), describe(item)) for item in items]


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
        return ""
    listed = "；".join(f"{_summary_of(r.item)}：{r.where}" for r in waiting)
    return (
        f"提供的信息尚未全部通过审核流程和保密审查，不能答复（{law.ARTICLES}）。"
        f"尚未通过的 {len(waiting)} 条：{listed}。"
    )


def check_released(application: Application) -> None:
    """Called by ``services.reply`` inside its transaction: the linked items are locked so that
    none changes state between the check and the reply."""
    if not application.outcome or not law.needs_review(application.outcome, application.disclosure):
        return
    list(Item.objects.select_for_update(of=("self",)).filter(released_by=application))
    problem = blocking(application)
    if problem:
        raise services.CaseError(problem)
