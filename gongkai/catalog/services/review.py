"""The review chain: submitting, acknowledging findings, approving (the last step publishes),
returning; and an imported row with a finding sent to review."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role
from gongkai.catalog.models import (
    Disclosure,
    FindingAcknowledgement,
    Item,
    ReviewDecision,
    Revision,
    State,
)
from gongkai.catalog.services.drafting import (
    create,
)
from gongkai.catalog.services.publishing import (
    _publish,
)
from gongkai.catalog.services.rules import (
    CatalogError,
    _locked,
    _record,
    _require_draft_role,
    _state,
    chain_for,
    may_submit,
    next_index_number,
)
from gongkai.catalog.services.scanning import (
    describe,
    findings_of,
    rescan,
    run_scan,
    unresolved,
)


@transaction.atomic
def acknowledge(actor, item: Item, *, key: str, action: str, reason: str = "") -> Item:
    """The reviewer of the current step answers one finding: ``removed`` (the text no longer
    holds it: the revision is scanned again to confirm) or ``kept`` with a reason."""
    item = _locked(item)
    role = _require_reviewer(actor, item)
    draft = item.draft
    before = findings_of(draft)
    found = rescan(draft, item.agency)
    reason = (reason or "").strip()
    if action == FindingAcknowledgement.Action.KEPT:
        finding = next((f for f in found if f["key"] == key), None)
        if finding is None:
            raise CatalogError("没有这一项检查发现，或它已不在文本中；请刷新页面后再确认。")
        if not reason:
            raise CatalogError(f"保留{describe([finding])}须写明理由（如：依法应当公示）。")
    elif action == FindingAcknowledgement.Action.REMOVED:
        finding = next((f for f in found if f["key"] == key), None)
        if finding is not None:
            raise CatalogError(
                f"重新检查后，文本中仍有{describe([finding])}。"
                "请退回起草人删除或修改，或选择“保留”并写明理由。"
            )
        finding = next((f for f in before if f["key"] == key), None)
        if finding is None:
            raise CatalogError("没有这一项检查发现；请刷新页面后再确认。")
    else:
        raise CatalogError("请选择“已删除/已修改”或“保留”。")
    state = _state(item)
    ack = FindingAcknowledgement.objects.create(
        item=item,
        revision=draft,
        key=key,
        kind=str(finding.get("kind", ""))[:20],
        masked=str(finding.get("masked", ""))[:300],
        step=item.review_step,
        role=role,
        reviewer=actor,
        action=action,
        reason=reason,
    )
    _record(
        actor,
        item,
        "item.finding_ack",
        f"{role.label}确认发布前检查发现{describe([finding])}：{ack.get_action_display()}",
        state,
        reason,
    )
    return item


@transaction.atomic
def submit(actor, item: Item) -> Item:
    item = _locked(item)
    _require_draft_role(actor, item.agency)
    if not may_submit(item):
        raise CatalogError("只有草稿或退回修改的信息可以提交审核。")
    before = _state(item)
    item.draft.findings = run_scan(item.draft, item.agency)
    item.draft.submitted_at = timezone.now()
    item.draft.save(update_fields=["findings", "submitted_at"])
    item.state = State.IN_REVIEW
    item.review_step = 0
    item.save()
    found = len(item.draft.findings)
    _record(
        actor,
        item,
        "item.submit",
        "提交审核" + (f"；发布前检查发现 {found} 处需要注意的内容" if found else ""),
        before,
    )
    return item


def current_role(item: Item) -> Role | None:
    if item.state != State.IN_REVIEW:
        return None
    chain = chain_for(item.agency)
    return chain[item.review_step] if item.review_step < len(chain) else None


def can_review(user, item: Item) -> bool:
    """Holds the role of the current step and did not write the draft."""
    role = current_role(item)
    return (
        role is not None
        and access.has_role(user, item.agency, role)
        and item.draft is not None
        and not is_author(user, item.draft)
    )


def is_author(user, revision: Revision) -> bool:
    """Wrote the revision or edited it: no one reviews their own text (the 审核 is a second pair
    of eyes)."""
    return revision.created_by_id == user.pk or revision.editors.filter(pk=user.pk).exists()


def review_queue(agency: Agency, user):
    """The items ``user`` may review now (待我审核): waiting at a step whose role they hold, with a
    draft they neither wrote nor edited, the rule of ``can_review`` as a query."""
    chain = chain_for(agency)
    roles = access.roles_in(user, agency)
    steps = [i for i, role in enumerate(chain) if role in roles]
    return (
        Item.objects.filter(agency=agency, state=State.IN_REVIEW, review_step__in=steps)
        .exclude(draft__created_by=user)
        .exclude(draft__editors=user)
    )


def _require_reviewer(actor, item: Item) -> Role:
    role = current_role(item)
    if role is None:
        raise CatalogError("这条信息目前不在审核中。")
    if not access.has_role(actor, item.agency, role):
        raise PermissionDenied(f"本环节为“{role.label}”，您没有这一角色。")
    if is_author(actor, item.draft):
        raise PermissionDenied("不能审核自己起草或修改的信息。")
    return role


@transaction.atomic
def approve(actor, item: Item, *, reason: str = "") -> Item:
    """Pass the current step. The text is scanned again; every finding must have been
    acknowledged by this step's reviewer in this round (``acknowledge``), whatever the step."""
    item = _locked(item)
    role = _require_reviewer(actor, item)
    chain = chain_for(item.agency)
    last = item.review_step == len(chain) - 1
    draft = item.draft
    found = rescan(draft, item.agency)
    open_ = unresolved(draft, role, found)
    if open_:
        if role is Role.SECRECY_REVIEWER:
            raise CatalogError(
                f"保密审查不能通过：发布前检查发现的 {len(open_)} 处内容尚未逐项确认——"
                f"{describe(open_)}。请逐项选择“已删除/已修改”或“保留”并写明理由，"
                "或退回修改（保守国家秘密法第三十五条、条例第十七条）。"
            )
        raise CatalogError(
            f"{role.label}通过前须逐项确认发布前检查的发现，尚未确认 {len(open_)} 处："
            f"{describe(open_)}。"
        )
    before = _state(item)
    ReviewDecision.objects.create(
        item=item,
        revision=draft,
        step=item.review_step,
        role=role,
        reviewer=actor,
        outcome=ReviewDecision.Outcome.APPROVED,
        reason=reason.strip(),
    )
    if not last:
        item.review_step += 1
        item.save()
        _record(actor, item, "item.approve", f"{role.label}通过", before, reason)
        return item
    _publish(item)
    summary = f"{role.label}通过，" + (
        "已发布" if draft.disclosure == Disclosure.PROACTIVE else "已编入目录（不主动公开）"
    )
    if found:
        summary += f"；发布前检查发现 {len(found)} 处，各环节均已逐项确认"
    _record(actor, item, "item.publish", summary, before, reason)
    return item


@transaction.atomic
def return_for_changes(actor, item: Item, reason: str) -> Item:
    item = _locked(item)
    role = _require_reviewer(actor, item)
    if not reason.strip():
        raise CatalogError("退回须写明理由，起草人将据此修改。")
    before = _state(item)
    ReviewDecision.objects.create(
        item=item,
        revision=item.draft,
        step=item.review_step,
        role=role,
        reviewer=actor,
        outcome=ReviewDecision.Outcome.RETURNED,
        reason=reason.strip(),
    )
    item.state = State.RETURNED
    item.review_step = 0
    item.save()
    _record(actor, item, "item.return", f"{role.label}退回修改", before, reason.strip())
    return item


@transaction.atomic
def import_for_review(
    actor,
    agency: Agency,
    data: dict,
    *,
    published_on: dt.date,
    index_number: str,
    note: str,
):
    """A document of the old website in which the pre-publication scan found personal data, a
    classification mark or a sensitive word: drafted and submitted like any other, so that the
    agency's review chain, 保密审查 last, acknowledges each finding before it is published
    again. Its 索引号 (the file's, or one of the year it was published) and the day it was
    published on the old website are kept: once reviewed it is published as of that day."""
    number = index_number or next_index_number(agency, published_on.year)
    item = create(
        actor, agency, data, note=note, first_published_on=published_on, index_number=number
    )
    return submit(actor, item)
