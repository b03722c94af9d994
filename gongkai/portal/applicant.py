"""The applicant's own case: reached from the signed link in every message or by number and
query code through a POST form, never with the code in a URL (docs/applicant.md).

Opening a link or posting the form grants this browser's session the case
(``applicant_access.grant``) and redirects to ``/status/<number>/``, so the link's token is
in one request only and the page's address carries nothing secret. The page shows what the
applicant is entitled to see of their own case — their data unmasked, since it is theirs —
and nothing of the office's internal notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.applications import applicant_access, due, release, services
from gongkai.applications.forms import OnlineCorrectionForm
from gongkai.applications.models import Application, PauseKind
from gongkai.catalog.models import Attachment
from gongkai.clock.loader import work_calendar
from gongkai.clock.workcalendar import MissingYearError
from gongkai.core import ratelimit, uploads
from gongkai.history.models import Event
from gongkai.law import outcomes
from gongkai.law import remedies as remedy_days
from gongkai.letters import documents
from gongkai.letters.models import Kind
from gongkai.letters.placeholders import remedy_clause
from gongkai.notices.models import Message
from gongkai.portal.views import _site_agency

STATUS_LIMIT = 30  # look-ups per client address in ten minutes
# The letters of a case that go to someone else (the third party, a co-producing agency).
NOT_TO_APPLICANT = (Kind.CONSULTATION, Kind.THIRD_PARTY_NOTICE)


def _private(response: HttpResponse) -> HttpResponse:
    """Nothing of an applicant's case in a shared cache, and no address of it sent onwards."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def lookup(request):
    """申请查询: the form for number and query code. POST only looks the case up; an old
    bookmark with ``?code=`` in it is not followed (it would keep the code in logs)."""
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()[:40]
    error = ""
    status = 200
    if request.method == "POST":
        code = (request.POST.get("code") or "").strip()
        if not ratelimit.hit(
            "status", ratelimit.client_address(request), limit=STATUS_LIMIT, window=600
        ):
            error, status = "查询过于频繁，请10分钟后再试。", 429
        elif not (number and code):
            error, status = "请同时填写申请编号和查询码。", 400
        else:
            application = services.find_by_code(number, code)
            if application is None:
                error, status = "没有找到：请核对申请编号和查询码。", 404
            else:
                applicant_access.grant(request.session, application)
                return redirect("portal:case", number=application.tracking_number)
    elif request.GET.get("code"):
        error, status = (
            "为保护您的查询码，查询码不能写在网址中：请在下面的表单中输入查询码后查询。",
            400,
        )
    return _private(
        render(
            request,
            "portal/status.html",
            {"number": number, "error": error, "agency": _site_agency()},
            status=status,
        )
    )


def case_link(request, token):
    """The signed link of a message: grants the case, then the page without the token."""
    application = applicant_access.from_token(token)
    if application is None:
        return _private(
            render(
                request,
                "portal/status.html",
                {
                    "error": "链接无效或已失效（查询码重新生成后，以前的链接不再可用）："
                    "请用申请编号和查询码查询。",
                    "agency": _site_agency(),
                },
                status=404,
            )
        )
    applicant_access.grant(request.session, application)
    return _private(redirect("portal:case", number=application.tracking_number))


def _granted(request, number: str) -> Application:
    application = applicant_access.granted(request.session, number)
    if application is None:
        raise Http404("请先用申请编号和查询码查询，或打开通知中的链接。")
    return application


@dataclass(frozen=True)
class Step:
    day: dt.date
    what: str
    detail: str = ""


def timeline(a: Application) -> list[Step]:
    """Every step of the case the applicant is concerned with, by date (from the case's own
    facts; the office's internal steps and notes are not shown)."""
    steps = [
        Step(timezone.localdate(a.submitted_at), "提交申请", a.get_channel_display()),
    ]
    if a.received_on:
        steps.append(Step(a.received_on, "收到申请", "答复期限自此日起计算（条例第三十一条）"))
    if a.correction_notice_on:
        steps.append(
            Step(
                a.correction_notice_on,
                "告知补正",
                f"补正期限 {a.correction_deadline:%Y-%m-%d}" if a.correction_deadline else "",
            )
        )
    if a.correction_received_on:
        steps.append(Step(a.correction_received_on, "收到补正", "答复期限自此日起重新计算"))
    for pause in a.pauses.all():
        if pause.kind == PauseKind.FEE:
            continue
        steps.append(Step(pause.start, "征求意见开始", "征求意见的时间不计入答复期限"))
        if pause.end:
            steps.append(Step(pause.end, "征求意见结束", "答复期限继续计算"))
    if a.extension_approved_on:
        steps.append(
            Step(a.extension_approved_on, "延长答复期限", f"延长 {a.extension_days} 个工作日")
        )
    if a.reasons_requested_on:
        steps.append(Step(a.reasons_requested_on, "要求说明理由", "条例第三十五条"))
    if a.reasons_received_on:
        steps.append(Step(a.reasons_received_on, "收到您的理由说明"))
    if a.delay_decided_on and a.delayed_until:
        steps.append(Step(a.delay_decided_on, "延迟答复", f"延迟至 {a.delayed_until:%Y-%m-%d}"))
    if a.fee_notice_sent_on:
        steps.append(Step(a.fee_notice_sent_on, "发出收费通知", f"{a.fee_amount or 0} 元"))
    if a.fee_notice_on:
        steps.append(Step(a.fee_notice_on, "收费通知送达", "缴费期间不计入答复期限"))
    if a.fee_paid_on:
        steps.append(Step(a.fee_paid_on, "缴费"))
    steps += _withdrawn_replies(a)
    if a.replied_on:
        steps.append(Step(a.replied_on, "答复", a.result_title))
    return sorted(steps, key=lambda s: s.day)


def _withdrawn_replies(a: Application) -> list[Step]:
    """Replies the office took back (gongkai.applications.mend): the applicant received them,
    so the page says so — mended, never hidden."""
    events = Event.objects.for_object(a)
    replies = list(events.filter(action="application.reply").order_by("at", "id"))
    if a.replied_on is not None and replies:
        replies = replies[:-1]  # the last is the reply that stands
    found = [
        Step(timezone.localdate(e.at), "答复（已撤回）", "本机关已撤回这一答复") for e in replies
    ]
    for e in events.filter(action="application.step_back", before__status="replied"):
        found.append(Step(timezone.localdate(e.at), "撤回答复", "本机关将重新作出答复"))
    return found


def letters_for(a: Application) -> list[tuple[Kind, str]]:
    """The letters sent to the applicant: every step's letter, the reply's only once replied."""
    replied = a.replied_on is not None
    return [
        (kind, title)
        for kind, title in documents.available(a)
        if kind not in NOT_TO_APPLICANT and (replied or not kind.is_reply)
    ]


@dataclass(frozen=True)
class Remedies:
    clause: str
    known_on: dt.date
    reconsideration_by: dt.date
    litigation_by: dt.date | None  # None: 复议前置, no suit before reconsideration
    # 部分公开 with a withheld part under 复议前置: the suit's date is for the part provided.
    litigation_for_provided_part: bool = False


def _is_rest_day(day: dt.date) -> bool:
    try:
        return not work_calendar().is_workday(day)
    except MissingYearError:
        return day.weekday() >= 5


def remedies(a: Application) -> Remedies | None:
    """The remedy clause of the reply (the letter's own) and its last days, counted from the
    reply date: the applicant who received the reply later counts from that day."""
    if a.replied_on is None or (a.is_record_correction and a.record_outcome_info is None):
        return None
    reconsider, sue = remedy_days.remedy_last_days(a.replied_on, _is_rest_day)
    info = a.outcome_info
    grounds = [g for _, g in a.withheld_parts] if info else []
    review_first = bool(info and outcomes.review_first(info, grounds))
    return Remedies(
        clause=remedy_clause(a, a.agency),
        known_on=a.replied_on,
        reconsideration_by=reconsider,
        litigation_by=None if review_first and not grounds else sue,
        litigation_for_provided_part=review_first and bool(grounds),
    )


def _may_correct(application: Application) -> bool:
    return application.status == "awaiting_correction" and not (
        application.correction_deadline and services.today() > application.correction_deadline
    )


def case(request, number, *, correction_form=None, status=200):
    application = _granted(request, number)
    if correction_form is None and _may_correct(application):
        correction_form = OnlineCorrectionForm(initial={"description": application.description})
    given = release.pinned(application) if application.replied_on else {}
    released = []
    for row in release.released(application) if given else []:
        revision = release.revision_given(application, row.item)
        if revision is not None:
            released.append((row, list(revision.attachments.all())))
    context = {
        "agency": application.agency,
        "section": "apply",
        "application": application,
        "status": application.status_enum,
        "due": due.reply_due(application, services.today()),
        "timeline": timeline(application),
        "letters": letters_for(application),
        "released": released,
        "remedies": remedies(application),
        "outcome_title": application.result_title,
        "notices": Message.objects.filter(application=application).order_by("-created_at")[:50],
        "open_pauses": [p for p in application.pauses.all() if p.end is None],
        "correction_form": correction_form if _may_correct(application) else None,
        "versions": list(application.versions.all()),
    }
    return _private(render(request, "portal/case.html", context, status=status))


@require_POST
def case_correction(request, number):
    """在线补正 (第三十条): the corrected request from the case page."""
    application = _granted(request, number)
    form = OnlineCorrectionForm(request.POST, request.FILES)
    if not form.is_valid():
        return case(request, number, correction_form=form, status=400)
    data = form.cleaned_data
    try:
        services.correct_online(
            application,
            description=data["description"],
            note=data["note"],
            files=data["attachments"],
        )
    except services.CaseError as exc:
        if application.status != "awaiting_correction":
            # Posted twice, or the office registered it meanwhile: nothing to do again.
            messages.info(request, str(exc))
            return redirect("portal:case", number=number)
        form.add_error(None, str(exc))
        return case(request, number, correction_form=form, status=400)
    messages.success(
        request,
        "已提交补正。答复期限自今日起重新计算（条例第三十条），本机关将按补正后的申请办理。",
    )
    return redirect("portal:case", number=number)


def case_letter(request, number, kind):
    application = _granted(request, number)
    try:
        kind = Kind(kind)
    except ValueError:
        raise Http404("没有这种文书。") from None
    if kind not in dict(letters_for(application)):
        raise Http404("本申请没有这份文书。")
    try:
        letter = documents.render(
            application, kind, query_url=request.build_absolute_uri("/status/")
        )
    except documents.LetterNotAvailable:
        raise Http404("本申请没有这份文书。") from None
    response = HttpResponse(documents.to_pdf(letter), content_type=documents.PDF_CONTENT_TYPE)
    # Opens in the browser's viewer; saving keeps the letter's own file name.
    response.headers["Content-Disposition"] = content_disposition_header(
        False, f"{letter.filename}.pdf"
    )
    return _private(response)


def case_file(request, number, attachment_pk):
    """A file of the information the reply gave: only an attachment of a revision the reply
    recorded giving."""
    application = _granted(request, number)
    if application.replied_on is None:
        raise Http404("尚未答复。")
    revisions = [row.get("revision") for row in release.pinned(application).values()]
    attachment = get_object_or_404(
        Attachment, pk=attachment_pk, revision_id__in=[r for r in revisions if r]
    )
    return _private(uploads.download(attachment))


@require_POST
def case_leave(request, number):
    """退出: this browser forgets the case (a shared or public computer)."""
    applicant_access.revoke(request.session, number)
    messages.info(request, "已退出：本浏览器不再保留该申请的查询状态。")
    return redirect(reverse("portal:status"))
