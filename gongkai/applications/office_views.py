"""The back office for disclosure applications: lists, intake, the case file (its steps are
``office_steps``; the calendar page is ``office_calendars``).

Every view fetches the case or the agency through an access check first; every step goes
through ``gongkai.applications.services``, which checks the role again and records the event.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.agencies.shortcuts import agency_context, agency_for
from gongkai.applications import (
    calendar_years,
    case_lists,
    due,
    intake,
    reasons,
    release,
    release_forms,
    services,
)
from gongkai.applications import office_forms as f
from gongkai.applications.forms import IntakeForm
from gongkai.applications.models import (
    Application,
    Attachment,
    Channel,
    Status,
)
from gongkai.applications.office_steps import STEPS, handlers, new_form
from gongkai.applications.shortcuts import case_for
from gongkai.clock.workcalendar import (
    MissingYearError,
)
from gongkai.core import uploads
from gongkai.history.models import Event
from gongkai.law import periods
from gongkai.law.privacy import mask_email, mask_id, mask_in_text, mask_phone

PAGE_SIZE = 50
TRACKING_NUMBER = re.compile(r"^\d{4}-\d{4}-\d{5,}$")
# What a list row shows: never the applicant's identity or contact data, and no long text.
LIST_FIELDS = [
    "tracking_number",
    "kind",  # a 更正申请 is tagged and has no reply due date (第四十一条)
    "name",
    "applicant_type",
    "status",
    "received_on",
    "correction_received_on",  # where the reply period starts: for the 暂定 mark
    "delayed_until",  # a delayed reply's date (第三十五条) is never 暂定
    "reply_due",
    "clock_error",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
]
DEFAULT_DUE_DAYS = case_lists.DEFAULT_DUE_DAYS
LISTS = case_lists.LISTS


# --- lists --------------------------------------------------------------------------------


def _filtered(agency: Agency, view: str, user, days: int, today: dt.date):
    cases = Application.objects.filter(agency=agency)
    if view == "moved":
        return cases.filter(pk__in=[e.subject_id for e in moved_events(agency)]), None
    found = case_lists.rule(view, user=user, today=today, days=days)
    return cases.filter(found.condition), found.problem or None


def moved_events(agency: Agency) -> list[Event]:
    """The cases of this agency whose dates a loaded or corrected holiday year moved lately,
    with how (their recalculation events)."""
    return list(calendar_years.recently_moved(agency)[:500])


@login_required
def case_list(request, pk):
    agency = agency_for(request, pk)
    view = request.GET.get("view", "open")
    if view not in LISTS:
        view = "open"
    try:
        days = max(1, min(int(request.GET.get("days", DEFAULT_DUE_DAYS)), 60))
    except ValueError:
        days = DEFAULT_DUE_DAYS
    today = services.today()
    cases, problem = _filtered(agency, view, request.user, days, today)
    query = request.GET.get("q", "").strip()
    if TRACKING_NUMBER.match(query):
        cases = cases.filter(tracking_number=query)  # the unique index: instant at any size
    elif query:
        cases = cases.filter(Q(tracking_number__icontains=query) | Q(name__icontains=query))
    order = ["reply_due", "id"] if view in ("due", "overdue", "mine", "open") else ["-id"]
    cases = cases.select_related("assignee").only(*LIST_FIELDS).order_by(*order)
    # 第四十三条: a case whose applicant asked for help is marked, without loading the text.
    cases = cases.annotate(
        needs_help=ExpressionWrapper(~Q(assistance_requested=""), output_field=BooleanField())
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page.object_list:
        case.due = due.reply_due(case, today)
    context = agency_context(request, agency, "cases")
    context.update(
        {
            "page": page,
            "view": view,
            "lists": LISTS,
            "days": days,
            "q": query,
            "today": today,
            "problem": problem,
            "can_handle": services.can_handle(request.user, agency),
            "moved": moved_events(agency) if view == "moved" else [],
            "provisional_years": sorted(
                {y for c in page.object_list for y in c.reply_provisional_years()}
            ),
        }
    )
    return render(request, "office/cases/list.html", context)


# --- intake -------------------------------------------------------------------------------


@login_required
def case_create(request, pk):
    agency = agency_for(request, pk)
    access.require(services.can_handle(request.user, agency))
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        # 第三十三条第一款: the answer on the spot, posted with the registration.
        spot = f.OnTheSpotForm(request.POST)
        valid, spot_valid = form.is_valid(), spot.is_valid()
        answer = spot_valid and spot.cleaned_data["answer"]
        if valid and spot_valid:
            data = form.cleaned_data
            try:
                if answer:
                    application, code = _answer_on_the_spot(request, agency, data, spot)
                else:
                    application, code = services.register(
                        request.user,
                        agency,
                        data,
                        channel=data["channel"],
                        submitted_on=data["submitted_on"],
                        received_on=data["received_on"],
                        receipt_note=data["receipt_note"],
                        files=data["attachments"],
                        token=data["token"],
                        applicant_confirmed_at=data["applicant_confirmed_at"],
                        oral_reason=data["oral_reason"],
                    )
            except services.CaseError as exc:
                form.add_error(None, str(exc))
            else:
                if code:
                    messages.success(
                        request,
                        f"已登记申请 {application.tracking_number}，查询码 {code}"
                        "（请写在回执上交给申请人，系统不再显示）。"
                        + ("已当场答复：请在“文书”中打印答复告知书交给申请人。" if answer else ""),
                    )
                else:
                    # The same form posted twice: nothing was registered or answered again.
                    messages.warning(
                        request,
                        f"这份登记表已经提交过，申请 {application.tracking_number} 没有重复登记"
                        + ("，也没有再次答复：请核对本页的状态是否为已答复。" if answer else "。"),
                    )
                return redirect("office:case", pk=application.pk)
    else:
        spot = f.OnTheSpotForm()
        form = IntakeForm(
            initial={
                "token": uuid.uuid4().hex,
                "submitted_on": services.today(),
                "channel": "in_person",
                "applicant_type": "natural_person",
            }
        )
    context = agency_context(request, agency, "cases")
    context["form"] = form
    context["spot"] = spot
    return render(request, "office/cases/create.html", context)


def _answer_on_the_spot(request, agency: Agency, data: dict, spot) -> tuple[Application, str]:
    answer = spot.cleaned_data
    return intake.answer_on_the_spot(
        request.user,
        agency,
        data,
        channel=data["channel"],
        submitted_on=data["submitted_on"],
        outcome=answer["outcome"],
        legal_basis=answer["legal_basis"],
        decision_text=answer["decision_text"],
        provision_form=answer["provision_form"],
        provision_reason=answer["provision_reason"],
        provision_route=answer["provision_route"],
        responsible_agency=answer["responsible_agency"],
        responsible_agency_text=answer["responsible_agency_text"],
        receipt_note=data["receipt_note"],
        applicant_confirmed_at=data["applicant_confirmed_at"],
        oral_reason=data["oral_reason"],
        files=data["attachments"],
        token=data["token"],
    )


@login_required
def oral_form(request, pk):
    """第二十九条第一款: the application the office filled in for an oral applicant, as a page
    to print and have the applicant sign (the browser prints it; no state changes)."""
    application = case_for(request, pk)
    access.require(services.can_handle(request.user, application.agency))
    if application.channel != Channel.ORAL:
        raise Http404("这件申请不是口头提出的，没有代填申请表。")
    return render(
        request,
        "office/cases/oral_form.html",
        {"application": application, "agency": application.agency},
    )


# --- the case file ------------------------------------------------------------------------


def _case_page(request, application: Application, bound: dict | None = None, status=200):
    agency = application.agency
    can_handle = services.can_handle(request.user, agency)
    can_extend = services.can_extend(request.user, agency)
    forms = []
    for key, step in STEPS.items():
        if not step.available(application):
            continue
        allowed = can_extend if step.head_only else can_handle
        if not allowed:
            continue
        form = (bound or {}).get(key) or new_form(key, application)
        forms.append({"key": key, "title": step.title, "form": form, "open": key in (bound or {})})
    try:
        explanation = services.explain(application)
        clock_problem = ""
    except MissingYearError as exc:
        explanation, clock_problem = None, str(exc)
    events = (
        Event.objects.filter(
            subject_type__model="application",
            subject_type__app_label="applications",
            subject_id=str(application.pk),
        )
        .select_related("actor")
        .order_by("at", "id")
    )
    pauses = list(application.pauses.all())
    context = agency_context(request, agency, "cases")
    context.update(
        {
            "application": application,
            "forms": forms,
            "explanation": explanation,
            "clock_problem": clock_problem,
            "remaining_days": periods.REPLY_DAYS
            + application.extension_days
            - (explanation.counted_so_far if explanation else 0),
            "pauses": pauses,
            # 第三十二条、第三十四条: a consultation whose period ended is closed, never left
            # open (docs/law/consultation.md).
            "lapsed_consultations": [p for p in pauses if p.lapsed(services.today())],
            "attachments": list(application.attachments.all()),
            "events": events,
            "can_handle": can_handle,
            "assign_form": f.AssignForm(
                initial={"assignee": application.assignee_id}, handlers=handlers(agency)
            )
            if can_handle and application.status_enum.is_open
            else None,
            "reasons_asked": reasons.asked(application),
            # Full identity and contact data only for those who handle the case.
            "shown_id": application.id_number if can_handle else mask_id(application.id_number),
            "shown_phone": application.phone if can_handle else mask_phone(application.phone),
            "shown_email": application.email if can_handle else mask_email(application.email),
            # Numbers the applicant wrote into the request are masked like the fields above
            # (their own document number too, whatever its type).
            "shown_description": application.description
            if can_handle
            else mask_in_text(application.description, known=[application.id_number]),
            "today": services.today(),
            "due": due.reply_due(application, services.today()),
            "released": release.released(application),
            "release_blocking": release.blocking(application)
            if application.status == Status.DECIDED
            else "",
            "can_unlink": can_handle
            and application.status_enum.is_open
            and not application.is_record_correction,
        }
    )
    return render(request, "office/cases/detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    return _case_page(request, case_for(request, pk))


@login_required
@require_POST
def case_step(request, pk, step):
    application = case_for(request, pk)
    if step == "assign":
        access.require(services.can_handle(request.user, application.agency))
        form = f.AssignForm(request.POST, handlers=handlers(application.agency))
        if form.is_valid():
            services.assign(request.user, application, form.cleaned_data["assignee"])
            messages.success(request, "承办人已更新。")
        return redirect("office:case", pk=application.pk)
    if step == "release_unlink":
        access.require(services.can_handle(request.user, application.agency))
        form = release_forms.ReleaseUnlinkForm(request.POST)
        try:
            if not form.is_valid():
                raise services.CaseError("请选择要取消关联的信息。")
            release.unlink_item(request.user, application, form.cleaned_data["item"])
        except services.CaseError as exc:
            messages.error(request, str(exc))
            return _case_page(request, application, status=400)
        messages.success(request, "已取消关联。")
        return redirect("office:case", pk=application.pk)
    if step not in STEPS:
        raise Http404("没有这个办理步骤。")
    definition = STEPS[step]
    allowed = (
        services.can_extend(request.user, application.agency)
        if definition.head_only
        else services.can_handle(request.user, application.agency)
    )
    if not allowed:
        raise PermissionDenied(
            "延长答复期限须经政府信息公开工作机构负责人同意。"
            if definition.head_only
            else "只有本机关的承办人员或负责人可以办理申请。"
        )
    if not definition.available(application):
        if application.is_record_correction and application.status in definition.statuses:
            # 第四十一条: a step of the 政府信息公开申请 only (docs/law/records.md).
            problem = (
                f"申请 {application.tracking_number} 是政府信息更正申请（条例第四十一条），"
                f"不适用“{definition.title}”。"
            )
        else:
            problem = (
                f"申请 {application.tracking_number} 目前为“{application.get_status_display()}”，"
                f"不能办理“{definition.title}”。"
            )
        messages.error(request, problem)
        return _case_page(request, application, status=400)
    form = new_form(step, application, request.POST)
    if form.is_valid():
        try:
            result = definition.run(request.user, application, form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            if step == "release_new":
                messages.success(
                    request,
                    "已起草提供的信息并关联到本申请。请上传向申请人提供的文件，核对后提交审核。",
                )
                return redirect("office:item_edit", pk=result.pk)
            if step == "reissue_code":
                messages.success(
                    request,
                    f"新的查询码：{result}。请告知申请人（只显示这一次），旧查询码已作废。",
                )
                return redirect("office:case", pk=application.pk)
            messages.success(request, f"已办理：{definition.title}。")
            return redirect("office:case", pk=application.pk)
    application.refresh_from_db()
    return _case_page(request, application, bound={step: form}, status=400)


@login_required
def attachment_download(request, pk, attachment_pk):
    application = case_for(request, pk)
    access.require(services.can_handle(request.user, application.agency))
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return uploads.download(attachment)
