"""The back office for disclosure applications: lists, intake, the case file and its steps.

Every view fetches the case or the agency through an access check first; every step goes
through ``gongkai.applications.services``, which checks the role again and records the event.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency
from gongkai.applications import calendar_years, intake, reasons, release, services
from gongkai.applications import records as record_cases
from gongkai.applications.clock import horizon, work_calendar
from gongkai.applications.forms import IntakeForm
from gongkai.applications.models import (
    OPEN_STATUSES,
    PROVISION_MATCHES,
    Application,
    Attachment,
    Channel,
    Status,
)
from gongkai.clock import grid, notice, statutory
from gongkai.clock.workcalendar import (
    CalendarError,
    MissingYearError,
    WorkCalendar,
)
from gongkai.core import uploads
from gongkai.history.models import Event
from gongkai.law import periods
from gongkai.law.privacy import mask_email, mask_id, mask_in_text, mask_phone
from gongkai.office import case_forms as f
from gongkai.office import release_forms
from gongkai.office.views import _agency_context, _get_agency_for_user

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
DEFAULT_DUE_DAYS = 5


# --- lists --------------------------------------------------------------------------------

LISTS = {
    "open": "办理中（全部）",
    "mine": "我承办的",
    "due": "即将到期",
    "overdue": "已超期",
    "waiting": "等待申请人或第三方",
    "pending": "待确认收到",
    "closed": "已答复、已归档",
    "moved": "期限变动",
}


def _filtered(agency: Agency, view: str, user, days: int, today: dt.date):
    cases = Application.objects.filter(agency=agency)
    if view == "mine":
        return cases.filter(assignee=user, status__in=OPEN_STATUSES), None
    if view == "due":
        limit, missing = horizon(today, days)
        problem = f"{missing} 下表只列出 {limit} 以前到期的申请。" if missing else None
        return cases.filter(
            status__in=OPEN_STATUSES, reply_due__gte=today, reply_due__lte=limit
        ), problem
    if view == "overdue":
        return cases.filter(status__in=OPEN_STATUSES, reply_due__lt=today), None
    if view == "waiting":
        return cases.filter(
            status__in=[Status.AWAITING_CORRECTION, Status.AWAITING_PAYMENT, Status.CONSULTING]
        ), None
    if view == "pending":
        return cases.filter(status=Status.PENDING), None
    if view == "closed":
        return cases.filter(status__in=[Status.REPLIED, Status.ARCHIVED]), None
    if view == "moved":
        return cases.filter(pk__in=[e.subject_id for e in moved_events(agency)]), None
    return cases.filter(status__in=OPEN_STATUSES), None


def moved_events(agency: Agency) -> list[Event]:
    """The cases of this agency whose dates a loaded or corrected holiday year moved lately,
    with how (their recalculation events)."""
    return list(calendar_years.recently_moved(agency)[:500])


@login_required
def case_list(request, pk):
    agency = _get_agency_for_user(request, pk)
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
    context = _agency_context(request, agency, "cases")
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
    agency = _get_agency_for_user(request, pk)
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
    context = _agency_context(request, agency, "cases")
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
        files=data["attachments"],
        token=data["token"],
    )


@login_required
def oral_form(request, pk):
    """第二十九条第一款: the application the office filled in for an oral applicant, as a page
    to print and have the applicant sign (the browser prints it; no state changes)."""
    application = _get_case(request, pk)
    access.require(services.can_handle(request.user, application.agency))
    if application.channel != Channel.ORAL:
        raise Http404("这件申请不是口头提出的，没有代填申请表。")
    return render(
        request,
        "office/cases/oral_form.html",
        {"application": application, "agency": application.agency},
    )


# --- the case file ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step a user can take on a case: its form, when it applies, who may take it."""

    title: str
    form: type
    statuses: tuple[Status, ...]
    run: Any
    head_only: bool = False
    applies: Any = None  # extra condition on the case

    def available(self, application: Application) -> bool:
        return application.status in self.statuses and (
            self.applies is None or self.applies(application)
        )


S = services
R = reasons
STEPS: dict[str, Step] = {
    "confirm": Step(
        "确认收到申请",
        f.ConfirmForm,
        (Status.PENDING,),
        lambda u, a, d: S.confirm_receipt(
            u, a, d["received_on"], d["note"], late_reason=d["late_reason"]
        ),
    ),
    "correction": Step(
        "告知补正",
        f.CorrectionForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: S.request_correction(u, a, d["items"], d["deadline"], d["notice_on"]),
        applies=lambda a: a.correction_notice_on is None,
    ),
    "correction_received": Step(
        "登记补正",
        f.CorrectionReceivedForm,
        (Status.AWAITING_CORRECTION,),
        lambda u, a, d: S.receive_correction(u, a, d["received_on"]),
    ),
    "consult": Step(
        "征求意见",
        f.ConsultForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: S.start_consultation(
            u, a, d["kind"], d["party"], d["sent_on"], received_on=d["received_on"]
        ),
        applies=lambda a: not a.is_record_correction,
    ),
    "consult_received": Step(
        "登记对方收到征求意见书",
        f.ConsultReceivedForm,
        (Status.CONSULTING,),
        lambda u, a, d: S.record_consultation_received(u, a, d["received_on"]),
        applies=lambda a: any(
            p.is_consultation and p.end is None and p.received_on is None for p in a.pauses.all()
        ),
    ),
    "consult_end": Step(
        "登记征求意见结果",
        f.ConsultEndForm,
        (Status.CONSULTING,),
        lambda u, a, d: S.end_consultation(u, a, d["ended_on"], d["result"], d["note"]),
    ),
    "extend": Step(
        "延长答复期限",
        f.ExtendForm,
        (Status.IN_PROGRESS, Status.CONSULTING),
        lambda u, a, d: S.extend(u, a, d["days"], d["reason"], d["approved_on"]),
        head_only=True,
        applies=lambda a: (
            a.extension_days == 0 and not a.is_record_correction and a.delayed_until is None
        ),
    ),
    "fee": Step(
        "发出收费通知",
        f.FeeForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: S.issue_fee_notice(
            u, a, d["method"], d["units"], d["notice_on"], received_on=d["received_on"]
        ),
        applies=lambda a: (
            a.fee_notice_sent_on is None and a.fee_notice_on is None and not a.is_record_correction
        ),
    ),
    "fee_received": Step(
        "登记收费通知送达",
        f.FeeReceivedForm,
        (Status.AWAITING_PAYMENT,),
        lambda u, a, d: S.record_fee_notice_received(u, a, d["received_on"]),
        applies=lambda a: a.fee_notice_on is None,
    ),
    "paid": Step(
        "登记缴费",
        f.PaidForm,
        (Status.AWAITING_PAYMENT,),
        lambda u, a, d: S.record_payment(u, a, d["paid_on"]),
    ),
    # 第三十五条 (gongkai.applications.reasons)
    "reasons_request": Step(
        "要求说明理由",
        f.ReasonsRequestForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: R.request_reasons(
            u,
            a,
            sent_on=d["sent_on"],
            counted=d["counted"],
            question=d["question"],
            answer_by=d["answer_by"],
        ),
        applies=lambda a: (
            a.reasons_requested_on is None
            and not a.is_record_correction
            and not (a.reply_due and a.reply_due < services.today())
        ),
    ),
    "reasons_record": Step(
        "登记理由并判断",
        f.ReasonsRecordForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: R.record_reasons(
            u,
            a,
            judgement=d["judgement"],
            judged_on=d["judged_on"],
            received_on=d["received_on"],
            text=d["text"],
            delayed_until=d["delayed_until"],
            delay_reason=d["delay_reason"],
        ),
        applies=lambda a: a.reasons_requested_on is not None and not a.reasons_judgement,
    ),
    "delay": Step(
        "确定延迟答复",
        f.DelayForm,
        (Status.IN_PROGRESS,),
        lambda u, a, d: R.set_delay(
            u,
            a,
            decided_on=d["decided_on"],
            delayed_until=d["delayed_until"],
            reason=d["reason"],
        ),
        applies=lambda a: a.reasons_judgement == "reasonable" and a.delayed_until is None,
    ),
    "decide": Step(
        "作出决定",
        f.DecideForm,
        (Status.IN_PROGRESS, Status.AWAITING_CORRECTION, Status.AWAITING_PAYMENT),
        lambda u, a, d: S.decide(
            u,
            a,
            d["outcome"],
            legal_basis=d["legal_basis"],
            decision_text=d["decision_text"],
            decided_on=d["decided_on"],
            withheld=d["withheld"],
            responsible_agency=d["responsible_agency"],
            responsible_agency_text=d["responsible_agency_text"],
            disclosure=d["disclosure"],
            provision_form=d["provision_form"],
            provision_reason=d["provision_reason"],
            provision_route=d["provision_route"],
            provision_from=d["provision_from"],
            provision_until=d["provision_until"],
        ),
        applies=lambda a: not a.is_record_correction,
    ),
    # 第四十一条: the decision of a 更正申请 (docs/law/records.md).
    "decide_record": Step(
        "作出更正决定",
        f.RecordDecideForm,
        record_cases.DECIDABLE,
        lambda u, a, d: record_cases.decide_record(
            u,
            a,
            d["record_outcome"],
            d["decided_on"],
            d["decision_text"],
            responsible_agency=d["responsible_agency"],
            responsible_agency_text=d["responsible_agency_text"],
        ),
        applies=lambda a: a.is_record_correction,
    ),
    # A case registered as the wrong kind, before its decision (docs/law/records.md).
    "change_kind": Step(
        "更改申请类型",
        f.ChangeKindForm,
        record_cases.KIND_CHANGEABLE,
        lambda u, a, d: record_cases.change_kind(
            u, a, d["kind"], d["reason"], evidence=d["evidence"]
        ),
    ),
    # 条例第十七条: the information a disclosing reply gives, through the catalog's review
    # chain ending in 保密审查 (gongkai.applications.release).
    "release_new": Step(
        "起草提供的信息",
        release_forms.ReleaseNewForm,
        tuple(Status),
        lambda u, a, d: release.start_item(u, a, title=d["title"]),
        applies=lambda a: not release.refusal(a),
    ),
    "release_link": Step(
        "关联目录中的信息",
        release_forms.ReleaseLinkForm,
        tuple(Status),
        lambda u, a, d: release.link_item(u, a, release.find_item(d["item"], a.agency)),
        applies=lambda a: not release.refusal(a),
    ),
    "reply": Step(
        "答复申请人",
        f.ReplyForm,
        (Status.DECIDED,),
        lambda u, a, d: S.reply(u, a, d["replied_on"], d["method"]),
    ),
    "archive": Step("归档", f.ArchiveForm, (Status.REPLIED,), lambda u, a, d: S.archive(u, a)),
    # 第四十三条 (gongkai.applications.intake): at any step, whether asked for or noticed.
    "assistance": Step(
        "登记提供的帮助",
        f.AssistanceForm,
        tuple(Status),
        lambda u, a, d: intake.record_assistance(u, a, d["given"], d["given_on"]),
    ),
    "reissue_code": Step(
        "重新生成查询码",
        f.ReissueCodeForm,
        tuple(Status),
        lambda u, a, d: S.reissue_query_code(u, a, d["verified"]),
    ),
}


def _handlers(agency: Agency):
    from gongkai.agencies.models import Membership

    ids = Membership.objects.filter(agency=agency, role__in=services.CASE_ROLES).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


def _new_form(key: str, application: Application, data=None):
    step = STEPS[key]
    today = services.today()
    initial = {
        name: today
        for name in (
            "received_on",
            "notice_on",
            "sent_on",
            "ended_on",
            "approved_on",
            "paid_on",
            "decided_on",
            "replied_on",
            "given_on",
        )
    }
    if key in ("fee", "consult"):
        # Received is a fact of its own (109号第七条; 条例第三十二条、第三十四条): never assumed
        # to be today.
        del initial["received_on"]
    if key == "reasons_record":
        # 第三十五条: the reasons may not have come at all; the day they did is typed in.
        del initial["received_on"]
        initial["judged_on"] = today
    if key == "reasons_request" and data is None:
        initial["counted"] = "\n".join(reasons.suggested_counted(application))
    initial["method"] = application.delivery if key == "reply" else None
    form = step.form(data, initial=initial) if key != "assign" else None
    if key == "decide" and application.status != Status.IN_PROGRESS:
        # Waiting for a correction or a fee, only the outcome for its lapse is open.
        form.fields["outcome"].choices = [(o.key, o.title) for o in S.outcomes_open_to(application)]
    if key == "decide" and application.delivery:
        # 第四十条: the form the applicant asked for, unless the clerk says why not.
        matching = PROVISION_MATCHES.get(application.delivery, ())
        form.fields["provision_form"].initial = matching[0] if matching else None
        form.fields["provision_form"].help_text = (
            f"申请人要求的获取方式：{application.get_delivery_display()}。"
            + form.fields["provision_form"].help_text
        )
    if key == "fee":
        form.fields["method"].initial = "per_item"
    if key == "change_kind":
        form.fields["kind"].initial = next(
            (k for k, _ in form.fields["kind"].choices if k != application.kind), None
        )
    return form


def _get_case(request, pk) -> Application:
    application = get_object_or_404(Application.objects.select_related("agency", "assignee"), pk=pk)
    access.require(access.can_read(request.user, application.agency))
    return application


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
        form = (bound or {}).get(key) or _new_form(key, application)
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
    context = _agency_context(request, agency, "cases")
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
                initial={"assignee": application.assignee_id}, handlers=_handlers(agency)
            )
            if can_handle and application.status_enum.is_open
            else None,
            "letters": _letters(application),
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


def _letters(application: Application) -> list:
    from gongkai.letters.documents import available

    return available(application)


@login_required
def case_detail(request, pk):
    return _case_page(request, _get_case(request, pk))


@login_required
@require_POST
def case_step(request, pk, step):
    application = _get_case(request, pk)
    if step == "assign":
        access.require(services.can_handle(request.user, application.agency))
        form = f.AssignForm(request.POST, handlers=_handlers(application.agency))
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
    form = _new_form(step, application, request.POST)
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
    application = _get_case(request, pk)
    access.require(services.can_handle(request.user, application.agency))
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return uploads.download(attachment)


# --- the working-day calendar -------------------------------------------------------------


def _calendar_input(request) -> str:
    """What the administrator gave: the uploaded file's text, else the pasted text. Raises
    CalendarError for an unreadable upload or too long a text."""
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > notice.FILE_LIMIT:
            raise CalendarError(f"文件不应超过 {notice.FILE_LIMIT // 1000} KB。")
        text = notice.decode(upload.read(), "上传的文件")
    else:
        text = request.POST.get("data", "")
    if len(text) > notice.TEXT_LIMIT:
        raise CalendarError(notice.TOO_LONG)
    return text


def _added_message(added: calendar_years.Added) -> str:
    if added.unchanged:
        return added.summary()
    return (
        f"{added.summary()}{len(added.moved)} 件办理中的申请期限随之变动，"
        f"{added.items_moved} 条待发布信息的应公开日期随之变动。"
    )


@login_required
def calendars(request):
    """Years the calendar knows, and what is provisional. A system administrator pastes the
    State Council's notice (or a year file), sees the year as month grids, and confirms; the
    one service saves it, records it and recomputes the open cases."""
    access.require(access.is_staff_user(request.user))
    is_admin = access.is_system_admin(request.user)
    error = ""
    text = ""
    preview = None
    year_field = unicodedata.normalize("NFKC", request.POST.get("year", "")).strip()
    if request.method == "POST":
        access.require(is_admin)
        data = read = None
        try:
            if year_field and not (
                year_field.isascii() and year_field.isdigit() and len(year_field) <= 4
            ):
                raise CalendarError("年份应为四位数字，如 2027。")
            year = int(year_field) if year_field else None
            if year is not None and not 1950 <= year <= 2199:
                raise CalendarError("年份应为四位数字，如 2027。")
            text = _calendar_input(request)
            data, read = notice.read_year(text, year=year, where="提交的日历数据")
        except CalendarError as exc:
            error = str(exc)
        if not error and request.POST.get("action") == "save":
            how = "粘贴的通知全文" if read is not None else "JSON 数据"
            try:
                added = calendar_years.add_year(
                    request.user,
                    data,
                    origin=f"后台工作日历页面（{how}）",
                    accept_missing=request.POST.get("accept_missing") == "1",
                )
            except CalendarError as exc:
                error = str(exc)
            except OSError as exc:
                error = (
                    f"无法保存 {data.year} 年的日历文件（{exc.strerror or exc}）：请检查数据目录"
                    "的 calendars 文件夹是否可写。什么也没有保存。"
                )
            else:
                messages.success(request, _added_message(added))
                return redirect("office:calendars")
        if data is not None:
            calendar = work_calendar()
            years = dict(calendar.years)
            years[data.year] = data
            preview_calendar = WorkCalendar(years.values())
            months = grid.months(preview_calendar, data.year)
            preview = {
                "data": data,
                "read": read,
                "months": months,
                "workdays": sum(m.workdays for m in months),
                "replaces": calendar.years.get(data.year),
                "earlier": sorted(
                    d for d in data.rest_days | data.make_up_workdays if d.year < data.year
                ),
                "missing": statutory.missing_festivals(data.year, data.rest_days),
            }
    calendar = work_calendar()
    years = [calendar.years[y] for y in sorted(calendar.years, reverse=True)]
    following = services.today().year + 1
    moved = list(calendar_years.recently_moved()[:1000]) if is_admin else []
    return render(
        request,
        "office/calendars.html",
        {
            "years": years,
            "is_admin": is_admin,
            "error": error,
            "text": text,
            "year_field": year_field,
            "preview": preview,
            "next_year": following,
            "next_provisional": calendar.is_provisional(following),
            "why": statutory.why([following]),
            "moved_days": calendar_years.MOVED_DAYS,
            "moved": moved,
        },
        status=400 if error else 200,
    )


def case_url(application: Application) -> str:
    return reverse("office:case", args=[application.pk])
