"""The back office for the catalog: lists and queues, the editor, the item page with its review,
the agency's catalog settings. Every view checks access first; every change goes through
``gongkai.catalog.services``, which checks the role again and records the event."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Role
from gongkai.agencies.shortcuts import agency_context, agency_for
from gongkai.catalog import marks, services
from gongkai.catalog.models import Attachment, Item, State
from gongkai.catalog.office_forms import (
    AcknowledgeForm,
    ApproveForm,
    CatalogSettingsForm,
    ItemForm,
    ReasonForm,
)
from gongkai.core import uploads
from gongkai.history.models import Event
from gongkai.law import categories, privacy
from gongkai.scan import LABELS

PAGE_SIZE = 50

LISTS = {
    "all": "全部",
    "queue": "待我审核",
    "drafts": "草稿与退回",
    "review": "审核中",
    "published": "已发布",
    "late": "逾期或即将逾期未发布",
    "published_late": "逾期发布",
    "withdrawn": "已撤销",
}


def _queue(agency, user):
    return services.review_queue(agency, user)


@login_required
def item_list(request, pk):
    agency = agency_for(request, pk)
    view = request.GET.get("view", "all")
    if view not in LISTS:
        view = "all"
    items = Item.objects.filter(agency=agency)
    if view == "queue":
        items = _queue(agency, request.user)
    elif view == "drafts":
        items = items.filter(state__in=[State.DRAFT, State.RETURNED])
    elif view == "review":
        items = items.filter(state=State.IN_REVIEW)
    elif view == "published":  # what the public sees, including items under revision
        items = items.filter(published__isnull=False).exclude(state=State.WITHDRAWN)
    elif view == "late":
        items = services.late_items(agency, within_days=3)
    elif view == "published_late":
        items = services.published_late(agency)
    elif view == "withdrawn":
        items = items.filter(state=State.WITHDRAWN)
    query = request.GET.get("q", "").strip()
    if query:
        items = items.filter(
            Q(index_number__icontains=query)
            | Q(draft__title__icontains=query)
            | Q(published__title__icontains=query)
        )
    items = items.select_related("draft", "published").order_by("-id")
    if view == "late":
        items = items.order_by("due_on", "id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    today = services.today()
    for item in page.object_list:
        item.overdue = services.is_overdue(item, today)
    context = agency_context(request, agency, "items")
    context.update(
        {
            "page": page,
            "view": view,
            "lists": LISTS,
            "q": query,
            "today": today,
            "can_draft": services.can_draft(request.user, agency),
            "chain": services.chain_for(agency),
            "queue_count": _queue(agency, request.user).count(),
            "provisional_years": sorted({y for i in page.object_list for y in i.provisional_years}),
        }
    )
    return render(request, "office/items/list.html", context)


def _item_form_page(request, agency, form, item=None, status=200):
    context = agency_context(request, agency, "items")
    context.update({"form": form, "item": item})
    return render(request, "office/items/edit.html", context, status=status)


@login_required
def item_create(request, pk):
    agency = agency_for(request, pk)
    access.require(services.can_draft(request.user, agency))
    form = ItemForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.create(request.user, agency, data, attachments=data["attachments"])
        except services.CatalogError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存草稿。" + _scan_message(item))
            return redirect("office:item", pk=item.pk)
    return _item_form_page(request, agency, form, status=400 if form.errors else 200)


def _get_item(request, pk) -> Item:
    item = get_object_or_404(Item.objects.select_related("agency", "draft", "published"), pk=pk)
    access.require(access.can_read(request.user, item.agency))
    return item


@login_required
def item_edit(request, pk):
    item = _get_item(request, pk)
    access.require(services.can_draft(request.user, item.agency))
    if not services.may_edit(item):
        messages.error(request, f"{item.get_state_display()}的信息不能修改。")
        return redirect("office:item", pk=item.pk)
    revision = item.current
    initial = {f: getattr(revision, f) for f in services.CONTENT_FIELDS}
    form = ItemForm(
        request.POST or None, request.FILES or None, agency=item.agency, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.edit(
                request.user, item, data, note=data["note"], attachments=data["attachments"]
            )
        except services.CatalogError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存修改。" + _scan_message(item))
            return redirect("office:item", pk=item.pk)
    return _item_form_page(request, item.agency, form, item, status=400 if form.errors else 200)


def _scan_message(item: Item) -> str:
    found = item.draft.findings if item.draft else []
    if not found:
        return "发布前检查没有发现个人信息、密级标志或敏感词。检查无误后请提交审核。"
    return (
        f"发布前检查发现 {len(found)} 处需要注意的内容，已在页面的文字中标出；"
        "请删除或脱敏，确需保留的由各审核人逐项确认。"
    )


def _findings_context(request, item: Item, revision, role) -> dict:
    """The scanned text with the findings marked in place, and per finding what each step's
    reviewer answered in this round."""
    text = services.scan_text(revision)
    findings = services.findings_of(revision)
    if not marks.fits(text, findings):  # stored before the text or the scan changed
        findings = services.run_scan(revision, item.agency)
    acks = list(services.acknowledgements(revision)) if revision.submitted_at else []
    mine = set()
    if role is not None:
        mine = {a.key for a in acks if a.role == role}
    rows = []
    for index, finding in enumerate(findings, start=1):
        rows.append(
            {
                **finding,
                "label": LABELS.get(finding.get("kind"), finding.get("kind")),
                "anchor": marks.anchor(index),
                "number": index,
                "acks": [a for a in acks if a.key == finding["key"]],
                "open": role is not None and finding["key"] not in mine,
            }
        )
    return {
        "findings": rows,
        "marked_text": marks.marked(text, findings) if findings else "",
        "open_findings": sum(1 for r in rows if r["open"]),
    }


def _item_page(request, item: Item, bound: dict | None = None, status=200):
    agency = item.agency
    revision = item.current
    chain = services.chain_for(agency)
    can_draft = services.can_draft(request.user, agency)
    # The decisions of the latest round of review of the text shown (draft or published).
    decisions = []
    if revision is not None and revision.submitted_at is not None:
        decisions = list(
            item.decisions.filter(revision=revision, at__gte=revision.submitted_at)
            .select_related("reviewer")
            .order_by("at", "id")
        )
    steps = []
    for index, role in enumerate(chain):
        done = [d for d in decisions if d.step == index]
        steps.append(
            {
                "role": role,
                "decision": done[-1] if done else None,
                "current": item.state == State.IN_REVIEW and item.review_step == index,
            }
        )
    bound = bound or {}
    can_review = services.can_review(request.user, item)
    role = services.current_role(item) if can_review else None
    context = agency_context(request, agency, "items")
    context.update(_findings_context(request, item, revision, role))
    context.update(
        {
            "item": item,
            "revision": revision,
            "category": categories.BY_KEY.get(revision.category),
            "period": categories.publication_period(revision.category, bool(revision.approved_on)),
            "steps": steps,
            "last_step": item.state == State.IN_REVIEW and item.review_step == len(chain) - 1,
            "can_draft": can_draft,
            "can_review": can_review,
            "is_author": item.draft is not None and services.is_author(request.user, item.draft),
            "review_role": role,
            "acknowledge_form": bound.get("acknowledge"),
            "ack_choices": AcknowledgeForm.base_fields["action"].choices,
            "can_withdraw": access.has_role(request.user, agency, Role.HEAD)
            and services.may_withdraw(item),
            "can_edit": can_draft and services.may_edit(item),
            "can_submit": can_draft and services.may_submit(item),
            "approve_form": bound.get("approve") or ApproveForm(),
            "return_form": bound.get("return") or ReasonForm(),
            "withdraw_form": bound.get("withdraw") or ReasonForm(),
            "attachments": list(revision.attachments.all()),
            "unscanned": services.unscanned_attachments(revision),
            # The masks' own output: the page does not restate them.
            "mask_examples": [
                privacy.MASK_EXAMPLES["mobile"],
                privacy.MASK_EXAMPLES["resident_id"],
            ],
            "revisions": list(item.revisions.select_related("created_by").order_by("-number")),
            "returns": list(
                item.decisions.filter(outcome="returned")
                .select_related("reviewer")
                .order_by("-at")[:5]
            ),
            "events": Event.objects.filter(
                subject_type__app_label="catalog",
                subject_type__model="item",
                subject_id=str(item.pk),
            ).order_by("at", "id"),
            "public_url": services.public_url(item) if item.is_public else "",
            # 条例第十七条: the disclosure cases whose reply gives this item (applications.release).
            "released_for": list(item.released_by.order_by("id").only("pk", "tracking_number")),
            "today": services.today(),
        }
    )
    return render(request, "office/items/detail.html", context, status=status)


@login_required
def item_detail(request, pk):
    return _item_page(request, _get_item(request, pk))


STEPS = {
    "submit": (None, lambda u, i, d: services.submit(u, i), "已提交审核。"),
    "approve": (
        ApproveForm,
        lambda u, i, d: services.approve(u, i, reason=d["reason"]),
        "已审核通过。",
    ),
    "acknowledge": (
        AcknowledgeForm,
        lambda u, i, d: services.acknowledge(
            u, i, key=d["key"], action=d["action"], reason=d["reason"]
        ),
        "已记录对这一项检查发现的确认。",
    ),
    "return": (
        ReasonForm,
        lambda u, i, d: services.return_for_changes(u, i, d["reason"]),
        "已退回修改。",
    ),
    "withdraw": (ReasonForm, lambda u, i, d: services.withdraw(u, i, d["reason"]), "已撤销。"),
}


@login_required
@require_POST
def item_step(request, pk, step):
    item = _get_item(request, pk)
    if step not in STEPS:
        raise Http404("没有这个操作。")
    form_class, run, done = STEPS[step]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _item_page(request, item, bound={step: form}, status=400)
    try:
        run(request.user, item, form.cleaned_data if form else {})
    except services.CatalogError as exc:
        if form is None:
            messages.error(request, str(exc))
            return _item_page(request, item, status=400)
        form.add_error(None, str(exc))
        return _item_page(request, item, bound={step: form}, status=400)
    except PermissionDenied:
        raise
    messages.success(request, done)
    if step == "acknowledge":  # back to the list of findings, to answer the next one
        return redirect(reverse("office:item", args=[item.pk]) + "#findings-title")
    return redirect("office:item", pk=item.pk)


@login_required
def item_attachment(request, pk, attachment_pk):
    item = _get_item(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, revision__item=item)
    return uploads.download(attachment)


@login_required
def catalog_settings(request, pk):
    agency = agency_for(request, pk)
    can_edit = access.can_administer(request.user, agency)
    current = services.settings_for(agency)
    chain = [r.value for r in services.chain_for(agency) if r != Role.SECRECY_REVIEWER]
    form = CatalogSettingsForm(
        request.POST or None,
        initial={
            "chain": chain,
            "index_format": current.index_format,
            "sensitive_words": current.sensitive_words,
        },
    )
    if request.method == "POST":
        access.require(can_edit)
        if form.is_valid():
            data = form.cleaned_data
            order = [value for value, _label in form.fields["chain"].choices]
            roles = [r for r in order if r in data["chain"]] + [Role.SECRECY_REVIEWER.value]
            try:
                restarted = services.change_settings(
                    request.user,
                    agency,
                    chain=roles,
                    index_format=data["index_format"],
                    sensitive_words=data["sensitive_words"],
                )
            except services.CatalogError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    "目录设置已保存。"
                    + (
                        f"审核中的 {restarted} 条信息将按新流程从第一个环节重新审核。"
                        if restarted
                        else ""
                    ),
                )
                return redirect("office:catalog_settings", pk=agency.pk)
    context = agency_context(request, agency, "items")
    context.update({"form": form, "can_edit": can_edit})
    return render(
        request, "office/items/settings.html", context, status=400 if form.errors else 200
    )
