"""The checker's page in the back office (``office:checker``): any staff member uploads
published reports, a draft, or a zip of them, and follows the check as a background job
(``checker.job``), whose page shows what ``gongkai check`` would say and offers the Excel
summary.

The page reads the uploads and opens their archives within the limits of ``forms`` (50 MB
uploaded, 100 MB once unzipped, 200 reports), so that what cannot be checked is said at
once; the reports then wait in the default storage for the worker, which deletes them when
it is done. The results stay with the job, visible to its submitter only, until old jobs
are pruned.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gongkai.agencies import access
from gongkai.checker import forms, job, reading, results, summary
from gongkai.jobs import views as job_views
from gongkai.jobs.models import KEEP_FOR, Job

# Room for the multipart headers and the other fields of a request at the upload limit.
REQUEST_OVERHEAD = 1024 * 1024
RECENT = 5  # the submitter's latest checks listed on the page


def _refusal(request) -> str | None:
    """Why a POST cannot be read at all, said before Django parses it; None when it can."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = forms.MAX_UPLOAD_BYTES
    if length > limit + REQUEST_OVERHEAD:
        return (
            f"上传的内容约 {forms.megabytes(length)} MB，超过一次 {limit // forms.MB} MB 的上限，"
            "未读取。请分批检查；网页和文本报告打包成 zip 后会小得多。"
        )
    try:
        # Parse the request here, where a refusal can still be explained in Chinese.
        request.FILES  # noqa: B018
    except TooManyFilesSent:
        return (
            f"一次最多选择 {forms.max_files()} 个文件，未读取。更多的报告请打包成一个 zip 文件上传"
            f"（一次最多 {forms.MAX_REPORTS} 份）。"
        )
    except (RequestDataTooBig, TooManyFieldsSent):
        return "提交的内容不符合要求，未读取。请只选择报告文件后重新提交。"
    return None


# The CSRF middleware would parse the upload before the view runs (streaming an oversized one
# to temporary files) and answer too many files with a bare "400" page. Exempt here, the view
# refuses such a request unread and says why (a refusal changes nothing); every request that
# is read and checked goes through ``_checker``, which checks the CSRF token.
@csrf_exempt
@login_required
def checker(request):
    access.require(access.is_staff_user(request.user))
    if request.method == "POST":
        refused = _refusal(request)
        if refused:
            form = forms.CheckForm(data={}, files={}, refused=refused)
            form.is_valid()
            return _page(request, form, status=413)
    return _checker(request)


@csrf_protect
def _checker(request):
    if request.method != "POST":
        return _page(request, forms.CheckForm())
    form = forms.CheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    submitted = job.submit(request.user, form.cleaned_data)
    return redirect("office:job", submitted.pk)


@login_required
def checker_xlsx(request, pk):
    """The Excel summary of a finished check."""
    access.require(access.is_staff_user(request.user))
    checked = job_views.visible_job(request, pk)
    if checked.kind != job.KIND or checked.state != "done":
        raise Http404("没有这次检查的结果。")
    day = timezone.localdate(checked.finished_at)
    return results.xlsx(results.ranked(job.checked(checked)), day)


def _page(request, form, *, status=200):
    context = {
        "form": form,
        "codes": list(summary.CODE_LABELS.items()),
        "max_upload_mb": forms.MAX_UPLOAD_BYTES // forms.MB,
        "max_expanded_mb": forms.MAX_EXPANDED_BYTES // forms.MB,
        "max_reports": forms.MAX_REPORTS,
        "max_files": forms.max_files(),
        "max_file_mb": reading.MAX_BYTES // forms.MB,
        "max_pdf_pages": reading.MAX_PDF_PAGES,
        "keep_days": KEEP_FOR.days,
        # Not their results: 200 reports' worth each, and the list shows none of it.
        "recent": Job.objects.filter(kind=job.KIND, created_by=request.user).defer(
            "result", "params"
        )[:RECENT],
    }
    response = render(request, "checker/index.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response
